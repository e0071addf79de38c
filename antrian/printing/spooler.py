"""The print spooler: one worker thread per printer, jobs persisted in `print_jobs`.

Issuing never waits for paper: the kiosk's transaction only writes a PrintJob; a worker claims
it after the commit (a conditional UPDATE, so two workers or two processes never print the same
job), renders it once, sends the bytes, and records the outcome. A failing printer gets
retries with backoff and an event staff can see; a job that keeps failing is marked failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select, update

from antrian.clock import utcnow
from antrian.config import Settings
from antrian.db import Database
from antrian.events import record_event
from antrian.models import PrintJob
from antrian.printer_status import PrinterLock, configured_printers, printer_lock
from antrian.printing.slips import slip_from_payload
from antrian.settings_store import office_info

log = logging.getLogger("antrian.printing")

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (1, 2, 5, 10, 20, 30, 60, 60)
LEASE = timedelta(minutes=2)  # far longer than any slip takes to send
IDLE_WAIT_SECONDS = 3.0


class Spooler:
    def __init__(
        self,
        db: Database,
        printers: dict[str, str],
        profile: str,
        office,
        clock: Callable[[], datetime] = utcnow,
        locks: dict[str, PrinterLock] | None = None,
    ):
        self.db = db
        self.printers = printers
        self.profile = profile
        self.office = office  # an OfficeInfo, or a callable read per job (admin edits apply)
        self.clock = clock
        # Held while sending, so the status monitor never asks a printer in mid-slip.
        self.locks = locks or {name: PrinterLock() for name in printers}
        self.stop_event = threading.Event()
        self._wake = {name: threading.Event() for name in printers}
        self._threads: list[threading.Thread] = []
        self.healthy: dict[str, bool] = {name: True for name in printers}

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Spooler:
        printers = configured_printers(settings)
        locks = {name: printer_lock(settings.instance_path, name) for name in printers}
        office = partial(office_info, db, settings)
        return cls(db, printers, settings.printer_profile, office, locks=locks)

    def start(self) -> None:
        self.recover()
        for name in self.printers:
            t = threading.Thread(target=self._run, args=(name,), name=f"spool-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self.stop_event.set()
        self.wake()
        for t in self._threads:
            t.join(timeout=5)

    def wake(self) -> None:
        for event in self._wake.values():
            event.set()

    def recover(self) -> None:
        """Jobs a killed process left 'printing' go back to pending (printed at most once more).

        Only jobs whose lease ran out: another worker that is printing right now keeps its job,
        so a worker booting beside it does not print the same slip again.
        """
        with self.db.write() as s:
            s.execute(
                update(PrintJob)
                .where(PrintJob.status == "printing", PrintJob.next_attempt_dt <= self.clock())
                .values(status="pending")
            )

    def _run(self, name: str) -> None:
        last_recover = self.clock()
        while not self.stop_event.is_set():
            try:
                if self.clock() - last_recover > LEASE:
                    # A worker that died mid-slip left its job 'printing': take it back.
                    self.recover()
                    last_recover = self.clock()
                worked = self.run_once(name)
            except Exception:  # noqa: BLE001 - the spooler must outlive a database hiccup
                log.exception("Spooler %s gagal; mencoba lagi", name)
                worked = False
            if not worked:
                # Commits in this process wake us at once; the timeout only paces retries and
                # jobs written by other processes.
                self._wake[name].wait(timeout=IDLE_WAIT_SECONDS)
                self._wake[name].clear()

    def claim(self, name: str, now: datetime) -> PrintJob | None:
        with self.db.write() as s:
            due = (
                select(PrintJob.id)
                .where(
                    PrintJob.printer == name,
                    PrintJob.status == "pending",
                    PrintJob.next_attempt_dt <= now,
                )
                .order_by(PrintJob.id)
                .limit(1)
            )
            if self.db.is_postgres:
                due = due.with_for_update(skip_locked=True)
            job_id = s.execute(
                update(PrintJob)
                .where(PrintJob.id == due.scalar_subquery(), PrintJob.status == "pending")
                # While printing, next_attempt_dt is the lease: past it, recover() may retry.
                .values(
                    status="printing",
                    attempts=PrintJob.attempts + 1,
                    next_attempt_dt=now + LEASE,
                )
                .returning(PrintJob.id)
                .execution_options(synchronize_session=False)
            ).scalar()
            return s.get(PrintJob, job_id) if job_id else None

    def run_once(self, name: str) -> bool:
        """Print one due job for this printer. Returns False when there was none."""
        from hardware.printing.layouts import render_bytes
        from hardware.printing.transports import PrinterError, send_bytes

        job = self.claim(name, self.clock())
        if job is None:
            return False
        try:
            office = self.office() if callable(self.office) else self.office
            data = render_bytes(slip_from_payload(job.kind, job.payload), office, self.profile)
            with self.locks[name].hold():
                send_bytes(self.printers[name], data, self.profile)
        except (PrinterError, OSError) as exc:
            self._failed(job, name, getattr(exc, "message", None) or str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - a broken payload will not heal by retrying
            log.exception("Job cetak %s rusak", job.id)
            self._failed(job, name, f"Data cetak rusak: {exc}", give_up=True)
            return False
        self._printed(job, name)
        return True

    def _printed(self, job: PrintJob, name: str) -> None:
        now = self.clock()
        with self.db.write() as s:
            s.execute(
                update(PrintJob)
                .where(PrintJob.id == job.id)
                .values(status="done", printed_dt=now, last_error=None)
            )
            if not self.healthy[name]:
                record_event(
                    s,
                    "printer.ok",
                    now,
                    f"printer:{name}",
                    printer=name,
                    message=f"Printer {name} kembali normal.",
                )
        self.healthy[name] = True

    def _failed(self, job: PrintJob, name: str, reason: str, give_up: bool = False) -> None:
        now = self.clock()
        gave_up = give_up or job.attempts >= MAX_ATTEMPTS
        delay = BACKOFF_SECONDS[min(job.attempts, len(BACKOFF_SECONDS)) - 1]
        with self.db.write() as s:
            s.execute(
                update(PrintJob)
                .where(PrintJob.id == job.id)
                .values(
                    status="failed" if gave_up else "pending",
                    last_error=reason,
                    next_attempt_dt=now + timedelta(seconds=delay),
                )
            )
            if self.healthy[name] or gave_up:
                record_event(
                    s,
                    "printer.failed" if gave_up else "printer.error",
                    now,
                    f"printer:{name}",
                    printer=name,
                    job_id=job.id,
                    message=f"Printer {name}: {reason}"
                    + (" (cetak dibatalkan)" if gave_up else ""),
                )
        self.healthy[name] = False
        log.warning("Cetak job %s di printer %s gagal: %s", job.id, name, reason)


def reprint(db_session, job_id: int, now: datetime) -> PrintJob:
    """Staff asked for another copy: a new job with the same payload."""
    old = db_session.get(PrintJob, job_id)
    copy = PrintJob(
        printer=old.printer,
        kind=old.kind,
        payload=old.payload,
        ticket_id=old.ticket_id,
        created_dt=now,
        next_attempt_dt=now,
    )
    db_session.add(copy)
    db_session.info["print_jobs_written"] = True
    return copy
