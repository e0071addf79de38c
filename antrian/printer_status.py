"""Printer status: a monitor thread asks each printer how it is, staff see the answer.

Every `ANTRIAN_PRINTER_STATUS_SECONDS` the monitor sends `DLE EOT` to each network or serial
printer (file:// and dummy:// cannot answer) and writes a `printer.status` event only when
the answer changed, so the staff desk shows "Printer kiosk: kertas habis" within one round and
clears it when the printer says "siap" again. The event log is the memory: a restart or a
second process compares with the last event, not with what it remembers.

A printer is asked only while nobody prints on it: many thermal printers take one connection at
a time, and a status question in the middle of a slip could be answered with a false
"offline". `PrinterLock` is held by the spooler while it sends and by the monitor while it
asks; it is a thread lock plus an flock on a file in the instance folder, so spoolers of other
gunicorn workers wait too.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.clock import as_utc, utcnow
from antrian.config import Settings
from antrian.db import Database
from antrian.events import record_event
from antrian.models import Event

log = logging.getLogger("antrian.printer_status")

EVENT_KIND = "printer.status"
MONITORED_SCHEMES = ("tcp", "serial")  # the transports that can answer DLE EOT


class PrinterLock:
    """Held while bytes go to one printer or its status is asked, across threads and workers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._local = threading.Lock()

    @contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[bool]:
        """Yields True once held; False after `timeout` seconds (0: do not wait at all)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._local.acquire(timeout=-1 if timeout is None else timeout):
            yield False
            return
        try:
            fd = self._lock_file(deadline)
            if fd == -2:
                yield False
                return
            try:
                yield True
            finally:
                if fd >= 0:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)
        finally:
            self._local.release()

    def _lock_file(self, deadline: float | None) -> int:
        """The flocked fd; -1 when there is no usable lock file; -2 when the wait timed out."""
        if self.path is None:
            return -1
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            # A read-only instance folder must not stop printing; threads still coordinate.
            log.warning("Berkas kunci printer %s tidak dapat dibuat", self.path, exc_info=True)
            return -1
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    return -2
                time.sleep(0.02)


_locks: dict[str, PrinterLock] = {}
_locks_guard = threading.Lock()


def printer_lock(instance_path: Path | None, name: str) -> PrinterLock:
    """One lock object per printer and instance folder in this process (spooler and monitor)."""
    if instance_path is None:
        return PrinterLock()
    path = Path(instance_path).resolve() / f".printer-{name}.lock"
    with _locks_guard:
        lock = _locks.get(str(path))
        if lock is None:
            lock = _locks[str(path)] = PrinterLock(path)
        return lock


def url_lock(instance_path: Path | None, url: str) -> PrinterLock:
    """The lock of a printer address: devices that share one printer (two counters, a counter
    and the default) never send or ask at once, whatever their names."""
    return printer_lock(instance_path, "url-" + hashlib.sha256(url.encode()).hexdigest()[:16])


def configured_printers(settings: Settings) -> dict[str, str]:
    printers = {"kiosk": settings.kiosk_printer_url, "loket": settings.counter_printer_url}
    return {name: url for name, url in printers.items() if url}


def monitored(url: str) -> bool:
    return urlsplit(url).scheme.lower() in MONITORED_SCHEMES


def last_status_event(session: Session, name: str) -> Event | None:
    return session.scalar(
        select(Event)
        .where(Event.kind == EVENT_KIND, Event.actor == f"printer:{name}")
        .order_by(Event.id.desc())
        .limit(1)
    )


def is_problem(text: str | None) -> bool:
    return text not in (None, "siap", "status tidak tersedia")


def problem_since(session: Session, name: str) -> datetime | None:
    """Since when the printer has had a problem (any, without "siap" between); None: none."""
    last = last_status_event(session, name)
    if last is None or not is_problem(last.data.get("status")):
        return None
    return as_utc(datetime.fromisoformat(last.data.get("since") or last.created_dt.isoformat()))


def record_status(session: Session, name: str, status, now: datetime) -> int | None:
    """Write a printer.status event if the printer's state differs from the last one; its id.

    Written by the monitor's rounds and by the spooler's sends alike, so the desks learn of a
    problem from whichever sees it first and of the recovery the same way."""
    from antrian.printing.directory import printer_label

    text = status.describe()
    last = last_status_event(session, name)
    if last is not None and last.data.get("status") == text:
        return None
    since = problem_since(session, name) if is_problem(text) else None
    return record_event(
        session,
        EVENT_KIND,
        now,
        f"printer:{name}",
        printer=name,
        status=text,
        message=f"{printer_label(session, name)}: {text}",
        ready=status.ready,
        known=status.known,
        online=status.online,
        paper_out=status.paper_out,
        paper_near_end=status.paper_near_end,
        cover_open=status.cover_open,
        error=status.error,
        since=(since or now).isoformat(),
    )


class PrinterMonitor:
    """Asks every monitored printer for its status, every `interval` seconds, in one thread."""

    def __init__(
        self,
        db: Database,
        printers: dict[str, str],
        locks: dict[str, PrinterLock],
        interval: float = 30.0,
        *,
        stop: threading.Event | None = None,
        query: Callable | None = None,
        clock: Callable[[], datetime] = utcnow,
        timeout: float = 2.0,
        directory: Callable[[], dict[str, str]] | None = None,
        lock_for: Callable[[str], PrinterLock] | None = None,
    ) -> None:
        from hardware.printing.status import query_status

        self.db = db
        self.printers = {name: url for name, url in printers.items() if monitored(url)}
        self.locks = locks
        # The office's printers, read again every round: one the admin adds is asked too.
        self.directory = directory
        self.lock_for = lock_for or (lambda _url: PrinterLock())
        self.interval = interval
        self.stop_event = stop or threading.Event()
        self.query = query or query_status
        self.clock = clock
        self.timeout = timeout
        self._thread: threading.Thread | None = None

    def check(self, name: str):
        """Ask one printer now; None when it is busy printing (asked again next round)."""
        url = self.printers[name]
        lock = self.locks.get(name) or self.lock_for(url)
        with lock.hold(timeout=0) as free:
            if not free:
                return None
            status = self.query(url, timeout=self.timeout)
        with self.db.write() as session:
            if record_status(session, name, status, self.clock()) is not None:
                log.info("Printer %s: %s", name, status.describe())
        return status

    def check_all(self) -> None:
        if self.directory is not None:
            try:
                printers = self.directory()
            except Exception:  # noqa: BLE001 - ask the printers known so far
                log.exception("Daftar printer tidak dapat dibaca")
            else:
                self.printers = {name: url for name, url in printers.items() if monitored(url)}
        for name in list(self.printers):
            try:
                self.check(name)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the monitor
                log.exception("Status printer %s tidak dapat diperiksa", name)

    def start(self) -> None:
        if not (self.printers or self.directory) or (
            self._thread is not None and self._thread.is_alive()
        ):
            return
        self._thread = threading.Thread(target=self._run, name="printer-status", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self.stop_event.is_set():
            self.check_all()
            self.stop_event.wait(self.interval)
