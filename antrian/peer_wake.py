"""Waking the other processes on one SQLite file when events or print jobs are committed.

PostgreSQL carries "look again" between processes with LISTEN/NOTIFY; SQLite has nothing like
it. `antrian serve --workers 2` on SQLite therefore gives each process a Unix datagram socket
in one folder per database; a process that commits events or print jobs sends a short
datagram to every other socket there: whether events were written and which printers got jobs.
The receiver wakes its streams (they read the new rows from the database) or only the printers
named: the printer process woken for every call used to read the print queue ~3,000 times in a
3,000-ticket bench for nothing, at ~1 ms of CPU each. A datagram lost (a full queue) is
harmless: pending ones already wake the process, streams re-read the log periodically and
the spooler looks every few seconds anyway.
"""

from __future__ import annotations

import hashlib
import logging
import os
import select
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("antrian.peer_wake")

RELIST_SECONDS = 2.0
GATHER_SECONDS = 0.005


def wake_folder(database_path: str) -> Path:
    """A short path (Unix socket paths stop at 107 bytes) shared by every process of one file."""
    digest = hashlib.sha256(str(Path(database_path).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"antrian-wake-{digest}"


def encode_ring(events: bool, printers: Iterable[str]) -> bytes:
    """b"E" or b"-" (events written or not), then the printers with new jobs, one per line."""
    return b"\n".join([b"E" if events else b"-", *(name.encode() for name in sorted(printers))])


def decode_ring(message: bytes) -> tuple[bool, frozenset[str]]:
    flag, *names = message.split(b"\n")
    return flag == b"E", frozenset(name.decode(errors="replace") for name in names if name)


class PeerWake(threading.Thread):
    """`on_wake(events_written, printers_with_jobs)` runs for every ring from another process."""

    def __init__(
        self,
        database_path: str,
        on_wake: Callable[[bool, frozenset[str]], None],
        stop: threading.Event,
    ):
        super().__init__(name="antrian-peer-wake", daemon=True)
        self.folder = wake_folder(database_path)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self.on_wake = on_wake
        self.stop_event = stop
        self.path = self.folder / f"{os.getpid()}.sock"
        self.path.unlink(missing_ok=True)  # a dead process with our pid left it
        self.inbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.inbox.bind(str(self.path))
        self.inbox.setblocking(False)
        self.outbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.outbox.setblocking(False)

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                ready, _, _ = select.select([self.inbox], [], [], 1.0)  # 1 s: to notice `stop`
                if ready:
                    # A moment for the rush's next rings to arrive, then one wake-up for all.
                    self.stop_event.wait(GATHER_SECONDS)
                    self.on_wake(*self._drain())
        finally:
            self.inbox.close()
            self.path.unlink(missing_ok=True)

    def _drain(self) -> tuple[bool, frozenset[str]]:
        """Every ring waiting in the inbox, as one: in a rush they queue up while this process
        is busy, and one wake-up answers them all (one per ticket cost the printer process
        ~10% of its CPU)."""
        events, printers = False, frozenset()
        while True:
            try:
                message = self.inbox.recv(4096)
            except BlockingIOError:
                return events, printers
            more_events, more_printers = decode_ring(message)
            events, printers = events or more_events, printers | more_printers

    def ring(self, events: bool, printers: Iterable[str] = ()) -> None:
        """Tell every other process on this database what this commit wrote."""
        message = encode_ring(events, printers)
        for path in self._peers():
            try:
                self.outbox.sendto(message, path)
            except BlockingIOError:
                pass  # its queue is full of wake-ups already
            except (ConnectionRefusedError, FileNotFoundError):
                # Nobody reads it: the process is gone (killed, so it could not clean up).
                Path(path).unlink(missing_ok=True)
            except OSError as exc:
                log.warning("Tidak dapat membangunkan %s: %s", path, exc)

    _listed: tuple[str, ...] = ()
    _listed_version = -1
    _listed_at = 0.0

    def _peers(self) -> tuple[str, ...]:
        """The other processes' sockets, read again when the folder changed (a socket made or
        removed changes its mtime) and every couple of seconds in case two changes fell in
        one tick of the clock: reading the folder on every commit cost three syscalls per
        ticket, this costs one."""
        try:
            version = os.stat(self.folder).st_mtime_ns
            now = time.monotonic()
            if version != self._listed_version or now - self._listed_at > RELIST_SECONDS:
                self._listed_at = now
                with os.scandir(self.folder) as entries:
                    self._listed = tuple(
                        entry.path
                        for entry in entries
                        if entry.name != self.path.name and entry.name.endswith(".sock")
                    )
                self._listed_version = version
        except OSError:
            return ()
        return self._listed
