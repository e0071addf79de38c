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

from sqlalchemy import select, update

from antrian.clock import utcnow
from antrian.config import Settings
from antrian.db import Database
from antrian.events import record_event
from antrian.models import PrintJob
from antrian.printing.slips import slip_from_payload

log = logging.getLogger("antrian.printing")

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (1, 2, 5, 10, 20, 30, 60, 60)


class Spooler:
    def __init__(
        self,
        db: Database,
        printers: dict[str, str],
        profile: str,
        office,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.db = db
        self.printers = printers
        self.profile = profile
        self.office = office
        self.clock = clock
        self.stop_event = threading.Event()
        self._wake = {name: threading.Event() for name in printers}
        self._threads: list[threading.Thread] = []
        self.healthy: dict[str, bool] = {name: True for name in printers}

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Spooler:
        from hardware.printing.layouts import OfficeInfo

        office = OfficeInfo(settings.office_name, settings.office_address, settings.office_phone)
        printers = {"kiosk": settings.kiosk_printer_url, "loket": settings.counter_printer_url}
        return cls(db, {k: v for k, v in printers.items() if v}, settings.printer_profile, office)

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
        """Jobs a killed process left 'printing' go back to pending (printed at most once more)."""
        with self.db.write() as s:
            s.execute(
                update(PrintJob).where(PrintJob.status == "printing").values(status="pending")
            )

    def _run(self, name: str) -> None:
        while not self.stop_event.is_set():
            try:
                worked = self.run_once(name)
            except Exception:  # noqa: BLE001 - the spooler must outlive a database hiccup
                log.exception("Spooler %s gagal; mencoba lagi", name)
                worked = False
            if not worked:
                self._wake[name].wait(timeout=1.0)
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
                .values(status="printing", attempts=PrintJob.attempts + 1)
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
            data = render_bytes(slip_from_payload(job.kind, job.payload), self.office, self.profile)
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
