"""Waking the other worker processes on one SQLite file when events are committed.

PostgreSQL carries "look again" between processes with LISTEN/NOTIFY; SQLite has nothing like
it. `antrian serve --workers 2` on SQLite therefore gives each process a Unix datagram socket
in one folder per database; a process that commits events sends one byte to every other socket
there, and the receiver wakes its streams, which read the new rows from the database. A byte
lost (a full queue) is harmless: a pending wake-up already covers it, and every stream re-reads
the log periodically anyway.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("antrian.peer_wake")


def wake_folder(database_path: str) -> Path:
    """A short path (Unix socket paths stop at 107 bytes) shared by every process of one file."""
    digest = hashlib.sha256(str(Path(database_path).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"antrian-wake-{digest}"


class PeerWake(threading.Thread):
    def __init__(self, database_path: str, on_wake: Callable[[], None], stop: threading.Event):
        super().__init__(name="antrian-peer-wake", daemon=True)
        self.folder = wake_folder(database_path)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self.on_wake = on_wake
        self.stop_event = stop
        self.path = self.folder / f"{os.getpid()}.sock"
        self.path.unlink(missing_ok=True)  # a dead process with our pid left it
        self.inbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.inbox.bind(str(self.path))
        self.inbox.settimeout(1.0)  # to notice `stop`
        self.outbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.outbox.setblocking(False)

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                try:
                    self.inbox.recv(64)
                except TimeoutError:
                    continue
                self.on_wake()
        finally:
            self.inbox.close()
            self.path.unlink(missing_ok=True)

    def ring(self) -> None:
        """Tell every other process on this database to look at the event log again."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name == self.path.name or not entry.name.endswith(".sock"):
                continue
            try:
                self.outbox.sendto(b"!", entry.path)
            except BlockingIOError:
                pass  # its queue is full of wake-ups already
            except (ConnectionRefusedError, FileNotFoundError):
                # Nobody reads it: the process is gone (killed, so it could not clean up).
                Path(entry.path).unlink(missing_ok=True)
            except OSError as exc:
                log.warning("Tidak dapat membangunkan %s: %s", entry.name, exc)
