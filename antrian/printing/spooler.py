"""The print spooler: one thread per printer, jobs persisted in `print_jobs`, one slip at a time.

Issuing never waits for paper: the kiosk's transaction only writes a PrintJob. The printer's
thread takes its oldest job (issue order), sends it with `deliver` (which asks a printer that
can answer for its status before and after the slip), and records that slip's outcome at once,
in the same transaction that takes the next slip of a queue (one transaction per slip in a
rush, however fast the printer):

- confirmed (or sent to a printer that cannot confirm): done;
- the printer cannot print (paper out, cover open, offline, unreachable): nothing was sent;
  the job and every job behind it wait, retried with backoff until the job's service day
  ends. Nothing gives up while a printer is merely off;
- sent but not confirmed (the printer died with the slip in it): it may be on paper, so it is
  printed again when the printer is back, marked CETAK ULANG.

At most one slip per printer is ever 'printing'. A process killed in mid-slip leaves that one
job 'printing'; the next spooler to start takes it back first, as a possible copy (`recover`).
A spooler that is stopped claims nothing more, so a slip is only marked a possible copy when
a process really died with it.
One process prints for an office (the server decides which), so nobody else can be sending it.
The statements that move a job are in antrian/printing/print_queue.py.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from antrian.clock import as_utc, service_day_start, utcnow
from antrian.config import Settings
from antrian.db import Database
from antrian.events import hold_event_order, record_event
from antrian.printer_status import (
    PrinterLock,
    monitored,
    problem_since,
    record_status,
    url_lock,
)
from antrian.printing import print_queue
from antrian.printing.directory import printer_label, printer_urls
from antrian.printing.print_queue import ClaimedJob
from antrian.printing.slips import slip_from_payload, slip_gettext
from antrian.settings_store import office_info

if TYPE_CHECKING:  # the hardware layer loads escpos: imported when the first slip prints
    from hardware.printing.layouts import OfficeInfo

log = logging.getLogger("antrian.printing")

BACKOFF_SECONDS = (1, 2, 5, 10, 20, 30)  # then every 30 s, for as long as the day lasts
IDLE_WAIT_SECONDS = 3.0  # a look for jobs written by another process, when nothing woke us
GATHER_SECONDS = 0.2  # woken by a commit, the thread waits this long for the commits after it
SILENT_RECHECK_SECONDS = 300.0  # a printer that did not answer status is asked again after
DIRECTORY_SECONDS = 60.0  # the printers' list is read again at least this often


class Claimed(NamedTuple):
    job: ClaimedJob
    office: OfficeInfo  # read when the queue's first slip was claimed: edits apply from the next
    url: str  # the printer's address when it was claimed: a slip is sent where it was claimed


class Settled(NamedTuple):
    printed: bool  # on paper (or can never print): the printer may go on
    next: Claimed | None = None  # the queue's next slip, claimed with this one's outcome


class Spooler:
    def __init__(
        self,
        db: Database,
        printers: dict[str, str],
        profile: str,
        office,
        clock: Callable[[], datetime] = utcnow,
        locks: dict[str, PrinterLock] | None = None,
        alert_seconds: float = 60.0,
        *,
        directory: Callable[[], dict[str, str]] | None = None,
        lock_for: Callable[[str], PrinterLock] | None = None,
    ):
        self.db = db
        self.printers = dict(printers)  # name -> URL; replaced whole by refresh()
        self.profile = profile
        # An OfficeInfo, or `office(connection)`, read with each job (admin edits apply).
        self.office = office
        self.clock = clock
        self.alert_seconds = alert_seconds
        # The office's printers as the admin set them (antrian/printing/directory.py): read at
        # start, when a job names a printer this spooler does not know, and every minute.
        self.directory = directory
        # Held while sending, so the status monitor never asks a printer in mid-slip; one per
        # address, so two devices sharing a printer never interleave their slips.
        self.lock_for = lock_for or _memory_locks()
        self.locks: dict[str, PrinterLock] = dict(locks or {})
        self.stop_event = threading.Event()
        self._wake: dict[str, threading.Event] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._refresh_wanted = threading.Event()
        self._guard = threading.Lock()
        self.failures: dict[str, int] = {}  # in a row, per printer
        self.alerted: dict[str, bool] = {}
        self.silent_since: dict[str, float | None] = {}
        for name in self.printers:
            self._know(name)

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Spooler:
        directory = partial(printer_urls, db, settings)
        office = partial(office_info, settings=settings)
        return cls(
            db,
            directory(),
            settings.printer_profile,
            office,
            alert_seconds=settings.printer_alert_seconds,
            directory=directory,
            lock_for=partial(url_lock, settings.instance_path),
        )

    def _know(self, name: str) -> None:
        self._wake.setdefault(name, threading.Event())
        self.failures.setdefault(name, 0)
        self.alerted.setdefault(name, False)
        self.silent_since.setdefault(name, None)
        self.locks.setdefault(name, self.lock_for(self.printers[name]))

    def start(self) -> None:
        self.recover()
        with self._guard:
            self._start_threads()
        if self.directory is not None:
            threading.Thread(target=self._follow_directory, name="spool-list", daemon=True).start()

    def _running(self, name: str) -> bool:
        return name in self._threads and self._threads[name].is_alive()

    def _start_threads(self) -> None:
        """A thread for each printer without one (called holding the guard)."""
        for name in self.printers:
            if self._running(name):
                continue  # also a removed printer's thread that has not ended yet: it goes on
            t = threading.Thread(target=self._run, args=(name,), name=f"spool-{name}", daemon=True)
            t.start()
            self._threads[name] = t

    def refresh(self) -> None:
        """Read the office's printers again: a new printer gets its thread, a changed address
        applies from the next slip, a removed printer's thread ends."""
        printers = self.directory() if self.directory is not None else self.printers
        new = [name for name in printers if not self._running(name)]
        if new:
            self.recover(new)  # a slip a killed process left 'printing' on these printers
        with self._guard:
            for name, url in printers.items():
                if self.printers.get(name) != url:
                    self.locks[name] = self.lock_for(url)  # a new printer, or a new address
            self.printers = dict(printers)  # whole: the threads read it without the guard
            for name in printers:
                self._know(name)
            self._start_threads()
        for name in list(self._wake):
            if name not in printers:
                self._wake[name].set()  # its thread sees it is gone and ends

    def _follow_directory(self) -> None:
        while not self.stop_event.is_set():
            self._refresh_wanted.wait(timeout=DIRECTORY_SECONDS)
            self._refresh_wanted.clear()
            if self.stop_event.is_set():
                return
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - keep printing on the printers known so far
                log.exception("Daftar printer tidak dapat dibaca; dicoba lagi")

    @property
    def alive(self) -> bool:
        """Every printer's thread runs (antrian/background.py starts a spooler again if not)."""
        printers, threads = self.printers, self._threads
        return all(name in threads and threads[name].is_alive() for name in printers)

    def stop(self) -> None:
        self.stop_event.set()
        self._refresh_wanted.set()
        self.wake()
        for t in list(self._threads.values()):
            t.join(timeout=5)

    def wake(self, printers: Iterable[str] | None = None) -> None:
        """Wake the threads of these printers (all by default). A printer this spooler does
        not know yet (just added on the admin page) makes it read the list again."""
        for name in list(self._wake) if printers is None else printers:
            if name in self._wake:
                self._wake[name].set()
            else:
                self._refresh_wanted.set()

    def recover(self, printers: list[str] | None = None) -> None:
        """A job left 'printing' by a killed process goes back first in line, as a possible
        copy: its bytes may or may not have reached paper. Only this spooler's printers."""
        names = list(self.printers) if printers is None else printers
        with self.db.write() as s:
            print_queue.take_back_printing(s.connection(), names, self.clock())

    def _run(self, name: str) -> None:
        while self._goes_on(name):
            try:
                self.drain(name)
                pause = IDLE_WAIT_SECONDS
                if self.failures[name]:
                    pause = min(pause, _backoff(self.failures[name]))
            except Exception:  # noqa: BLE001 - the spooler must outlive a database hiccup
                log.exception("Spooler %s gagal; mencoba lagi", name)
                pause = IDLE_WAIT_SECONDS
            # A commit wakes us (in this process, or through NOTIFY); the timeout paces retries
            # and looks for jobs written by another process without either.
            if self._wake[name].wait(timeout=pause):
                # The rest of a rush commits meanwhile and is then claimed one slip with the
                # other's outcome: a transaction a slip, not three. Nobody sees 0.2 s.
                self.stop_event.wait(GATHER_SECONDS)
            self._wake[name].clear()

    def _goes_on(self, name: str) -> bool:
        return not self.stop_event.is_set() and name in self.printers

    def drain(self, name: str) -> None:
        """Print this printer's due slips in order, until none is due or one did not print
        (then the backoff, or the next commit's wake, brings the thread back)."""
        while self._goes_on(name):
            claimed = self.claim(name, self.clock())
            settled = Settled(printed=False)
            while claimed is not None:
                settled = self.print_claimed(name, claimed, claim_next=self._goes_on(name))
                claimed = settled.next
            if not settled.printed:
                return

    def run_once(self, name: str) -> bool:
        """Print this printer's next due job and claim nothing after it. False when there was
        none or it did not print."""
        claimed = self.claim(name, self.clock())
        return claimed is not None and self.print_claimed(name, claimed).printed

    def claim(self, name: str, now: datetime) -> Claimed | None:
        """This printer's oldest waiting job, if it is due, and the office it is printed for.
        A job in backoff keeps the ones behind it waiting too: slips come out in issue order.

        It looks with a reader first, so the wake-ups of an idle printer never take a
        writer's turn (the slips of a queue are claimed with the one before: `_printed`)."""
        with self.db.read_engine.connect() as conn:
            row = print_queue.head(conn, name)
        url = self.printers.get(name)
        if row is None or url is None:  # a removed printer's slips went to the default
            return None
        if as_utc(row.created_dt) < service_day_start(now):
            self.expire(name, now)
            return self.claim(name, now)
        if as_utc(row.next_attempt_dt) > now:
            return None
        with self.db.engine.begin() as conn:
            job = print_queue.claim_next(conn, name, now)
            if job is None:
                return None
            office = self.office(conn) if callable(self.office) else self.office
        return Claimed(job, office, url)

    def expire(self, name: str, now: datetime) -> None:
        """Slips of a past service day are not printed the next morning: failed, visible to
        staff (who can still reprint one), recorded."""
        with self.db.write() as s:
            # First, as every writer that records an event (antrian/events.py): an admin
            # removing this printer holds it and then moves its waiting slips.
            hold_event_order(s)
            expired = print_queue.fail_past_days(
                s.connection(), name, now, "Hari layanan sudah berakhir; tidak dicetak."
            )
            if not expired:
                return
            record_event(
                s,
                "print.expired",
                now,
                f"printer:{name}",
                printer=name,
                job_ids=expired,
                message=f"{len(expired)} slip dari hari sebelumnya tidak dicetak.",
            )

    def print_claimed(self, name: str, claimed: Claimed, claim_next: bool = False) -> Settled:
        """Send one claimed slip and settle it; with `claim_next`, take the queue's next slip
        in the same transaction as this one's outcome (when it printed)."""
        from hardware.printing.delivery import MaybePrinted, NotReady, deliver, offline
        from hardware.printing.layouts import render_bytes
        from hardware.printing.transports import PrinterError, describe_os_error

        job, office, url = claimed
        try:
            slip = slip_from_payload(job.kind, job.payload)
            gettext = slip_gettext(job.payload)
            data = render_bytes(slip, office, self.profile, reprint=job.reprint, gettext=gettext)
        except Exception as exc:  # noqa: BLE001 - a broken payload will not heal
            log.exception("Job cetak %s rusak", job.id)
            following = self._give_up(job, name, f"Data cetak rusak: {exc}", claim_next)
            return Settled(printed=True, next=self._next(name, following, claimed))
        try:
            with self.locks[name].hold():
                status = deliver(url, data, self.profile, ask=self._asks(name))
        except NotReady as exc:
            self._not_printed(job, name, exc.status, exc.message)
        except MaybePrinted as exc:
            self._not_printed(job, name, exc.status, exc.message, maybe_printed=True)
        except (PrinterError, OSError) as exc:
            reason = getattr(exc, "message", None) or describe_os_error(exc)
            self._not_printed(job, name, offline(reason), reason)
        else:
            if not status.known and monitored(url) and self._asks(name):
                self.silent_since[name] = time.monotonic()  # do not wait for answers per slip
            following = self._printed(job, name, status, claim_next)
            return Settled(printed=True, next=self._next(name, following, claimed))
        return Settled(printed=False)

    def _next(self, name: str, job: ClaimedJob | None, before: Claimed) -> Claimed | None:
        if job is None:
            return None
        return Claimed(job, before.office, self.printers.get(name, before.url))

    def _asks(self, name: str) -> bool:
        since = self.silent_since[name]
        return since is None or time.monotonic() - since > SILENT_RECHECK_SECONDS

    def _printed(self, job: ClaimedJob, name: str, status, claim_next: bool) -> ClaimedJob | None:
        now = self.clock()
        with self.db.write() as s:
            print_queue.mark_done(s.connection(), job.id, now)
            if status.known or self.failures[name]:
                # Ready again: the desks' alert clears (written only when it changed).
                record_status(s, name, status, now)
            following = print_queue.claim_next(s.connection(), name, now) if claim_next else None
        self.failures[name] = 0
        self.alerted[name] = False
        return following

    def _not_printed(
        self, job: ClaimedJob, name: str, status, reason: str, maybe_printed: bool = False
    ) -> None:
        """Back in the queue, first in line, retried after a backoff: never given up on."""
        self.failures[name] += 1
        now = self.clock()
        retry_at = now + timedelta(seconds=_backoff(self.failures[name]))
        with self.db.write() as s:
            print_queue.back_in_line(s.connection(), job.id, reason, maybe_printed, retry_at)
            record_status(s, name, status, now)  # the desks see why, at once
            since = problem_since(s, name)
            if not self.alerted[name] and since and now - since >= self._alert_after:
                self._alert(s, name, status, now)
        log.warning("Cetak job %s di printer %s belum berhasil: %s", job.id, name, reason)

    @property
    def _alert_after(self) -> timedelta:
        return timedelta(seconds=self.alert_seconds)

    def _alert(self, s, name: str, status, now: datetime) -> None:
        waiting = print_queue.waiting_count(s.connection(), name)
        record_event(
            s,
            "printer.alert",
            now,
            f"printer:{name}",
            printer=name,
            waiting=waiting,
            message=f"{printer_label(s, name)} belum dapat mencetak: {status.describe()}. "
            f"{waiting} slip menunggu.",
        )
        self.alerted[name] = True

    def _give_up(
        self, job: ClaimedJob, name: str, reason: str, claim_next: bool
    ) -> ClaimedJob | None:
        now = self.clock()
        with self.db.write() as s:
            print_queue.mark_failed(s.connection(), job.id, reason)
            record_event(
                s,
                "printer.failed",
                now,
                f"printer:{name}",
                printer=name,
                job_id=job.id,
                message=f"{printer_label(s, name)}: {reason} (cetak dibatalkan)",
            )
            return print_queue.claim_next(s.connection(), name, now) if claim_next else None


def _backoff(failures: int) -> float:
    return BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1]


def _memory_locks() -> Callable[[str], PrinterLock]:
    """Locks by address within this spooler (tests; a spooler without an instance folder)."""
    locks: dict[str, PrinterLock] = {}
    return lambda url: locks.setdefault(url, PrinterLock())
