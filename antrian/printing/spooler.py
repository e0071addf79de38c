"""The print spooler: one worker thread per printer, jobs persisted in `print_jobs`.

Issuing never waits for paper: the kiosk's transaction only writes a PrintJob; a worker claims
it after the commit (a conditional UPDATE, so two workers or two processes never print the same
job), renders it once, sends the bytes, and records the outcome. A failing printer gets
retries with backoff and an event staff can see; a job that keeps failing is marked failed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

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
BATCH = 20  # slips claimed at once while the printer's pace is not known yet
MAX_BATCH = 200
BATCH_SECONDS = 2.0  # then a batch is about what the printer takes in this long
GATHER_SECONDS = 0.1


class Batch(NamedTuple):
    claimed: int
    printed: int
    printer_failed: bool  # the printer refused a slip: wait before trying it again
    limit: int = BATCH  # how many it could have claimed: fewer means the queue is empty


class ClaimedJob(NamedTuple):
    id: int
    kind: str
    payload: dict
    attempts: int


_jobs = PrintJob.__table__


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
        # Seconds each printer took per slip lately (None: nothing sent yet).
        self.pace: dict[str, float | None] = {name: None for name in printers}

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

    @property
    def alive(self) -> bool:
        """Every printer's thread runs (antrian/background.py starts a spooler again if not)."""
        return all(t.is_alive() for t in self._threads)

    def stop(self) -> None:
        self.stop_event.set()
        self.wake()
        for t in self._threads:
            t.join(timeout=5)

    def wake(self, printers: Iterable[str] | None = None) -> None:
        """Wake the threads of these printers (all by default). Only the printer that got a
        job: a woken idle thread would claim with a write transaction for nothing."""
        for name in self._wake if printers is None else printers:
            if name in self._wake:
                self._wake[name].set()

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
                claimed, printed, printer_failed, limit = self.print_batch(name)
            except Exception:  # noqa: BLE001 - the spooler must outlive a database hiccup
                log.exception("Spooler %s gagal; mencoba lagi", name)
                claimed = printed = limit = 0
                printer_failed = True
            if printer_failed or not printed:
                # Commits in this process wake us at once; the timeout only paces retries and
                # jobs written by other processes.
                self._wake[name].wait(timeout=IDLE_WAIT_SECONDS)
                self._wake[name].clear()
            elif claimed < limit:
                # Let a rush gather into the next batch (one claim and one 'done' write for
                # many slips) instead of chasing every commit; paper takes longer than this.
                self.stop_event.wait(GATHER_SECONDS)

    def claim(self, name: str, now: datetime, limit: int = BATCH) -> list[ClaimedJob]:
        """Take up to `limit` due jobs of this printer, oldest first, in one transaction."""
        due = (
            select(_jobs.c.id)
            .where(
                _jobs.c.printer == name,
                _jobs.c.status == "pending",
                _jobs.c.next_attempt_dt <= now,
            )
            # Due order, then issue order: ix_print_jobs_pending hands the rows out in this
            # order, so a backlog of thousands is not sorted on every claim.
            .order_by(_jobs.c.next_attempt_dt, _jobs.c.id)
            .limit(limit)
        )
        with self.db.read() as r:
            # Woken for nothing (a call, another printer's job): no write lock for that.
            if r.execute(due.limit(1)).first() is None:
                return []
        with self.db.write() as s:
            if self.db.is_postgres:
                # Materialised first: inside IN, PostgreSQL may run a LIMIT ... SKIP LOCKED
                # subquery again per row and claim more than `limit` (seen in the tests).
                due = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
                due = select(due.c.id)
            rows = s.execute(
                update(_jobs)
                .where(_jobs.c.id.in_(due), _jobs.c.status == "pending")
                # While printing, next_attempt_dt is the lease: past it, recover() may retry.
                .values(
                    status="printing", attempts=_jobs.c.attempts + 1, next_attempt_dt=now + LEASE
                )
                .returning(_jobs.c.id, _jobs.c.kind, _jobs.c.payload, _jobs.c.attempts)
            ).all()
        return sorted((ClaimedJob(*row) for row in rows), key=lambda job: job.id)

    def batch_size(self, name: str) -> int:
        """How many slips to claim at once: about BATCH_SECONDS of this printer's recent pace.

        A thermal printer taking half a second a slip gets 4, so a rush does not leave dozens
        of slips 'printing' ahead of the paper. A file or a fast network printer gets up to
        MAX_BATCH: in a kiosk rush (bench.issue_tickets, 16 clients) batches of 20 were always
        full and the printer process claimed again at once, ~0.75 ms of CPU per slip, taken
        from the web workers on the same cores; batches of 200 cost ~0.45 ms."""
        pace = self.pace[name]
        if pace is None:
            return BATCH
        return max(1, min(MAX_BATCH, int(BATCH_SECONDS / max(pace, 1e-6))))

    def run_once(self, name: str) -> bool:
        """Print the due jobs of this printer, one batch. Returns False when none printed."""
        return self.print_batch(name).printed > 0

    def print_batch(self, name: str) -> Batch:
        """Print one batch of this printer's due jobs.

        Under a rush the batch shares one claim, one read of the office header and one
        'done' write among its slips (`batch_size`; bench: ~2.9 ms of CPU per slip alone). Each slip
        is still sent on its own, and however the batch ends (the printer dies, a bug, the
        server stops) the slips sent are marked done and the rest go back to the queue: none
        is left 'printing' to be printed again once the lease runs out."""
        from hardware.printing.layouts import render_bytes
        from hardware.printing.transports import PrinterError, send_bytes

        claimed_at = self.clock()
        limit = self.batch_size(name)
        batch = self.claim(name, claimed_at, limit)
        if not batch:
            return Batch(0, 0, printer_failed=False, limit=limit)
        office = self.office() if callable(self.office) else self.office
        printed: list[int] = []
        sending = 0.0  # seconds spent sending the slips printed
        settled: set[int] = set()  # printed, failed or given back
        printer_failed = False
        try:
            for job in batch:
                if self.stop_event.is_set() or self.clock() - claimed_at > LEASE * 0.75:
                    break  # never send past the lease: another spooler may take the job then
                try:
                    slip = slip_from_payload(job.kind, job.payload)
                    data = render_bytes(slip, office, self.profile)
                except Exception as exc:  # noqa: BLE001 - a broken payload will not heal
                    log.exception("Job cetak %s rusak", job.id)
                    self._failed(job, name, f"Data cetak rusak: {exc}", give_up=True)
                    settled.add(job.id)
                    continue
                try:
                    with self.locks[name].hold():
                        started = time.perf_counter()
                        send_bytes(self.printers[name], data, self.profile)
                        sending += time.perf_counter() - started
                except (PrinterError, OSError) as exc:
                    self._failed(job, name, getattr(exc, "message", None) or str(exc))
                    settled.add(job.id)
                    printer_failed = True
                    break
                printed.append(job.id)
                settled.add(job.id)
        finally:
            self._done(printed, name)
            self._unclaim([job for job in batch if job.id not in settled])
            if printed:
                per_slip = sending / len(printed)
                last = self.pace[name]
                self.pace[name] = per_slip if last is None else (last + per_slip) / 2
        return Batch(len(batch), len(printed), printer_failed, limit)

    def _done(self, job_ids: list[int], name: str) -> None:
        if not job_ids:
            return
        now = self.clock()
        with self.db.write() as s:
            s.execute(
                update(_jobs)
                .where(_jobs.c.id.in_(job_ids), _jobs.c.status == "printing")
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

    def _unclaim(self, jobs: list[ClaimedJob]) -> None:
        """Not sent (the printer failed first, or the batch was cut short): back in the queue,
        no attempt counted."""
        if not jobs:
            return
        with self.db.write() as s:
            s.execute(
                update(_jobs)
                .where(_jobs.c.id.in_([job.id for job in jobs]), _jobs.c.status == "printing")
                .values(
                    status="pending", attempts=_jobs.c.attempts - 1, next_attempt_dt=self.clock()
                )
            )

    def _failed(self, job: ClaimedJob, name: str, reason: str, give_up: bool = False) -> None:
        now = self.clock()
        gave_up = give_up or job.attempts >= MAX_ATTEMPTS
        delay = BACKOFF_SECONDS[min(job.attempts, len(BACKOFF_SECONDS)) - 1]
        with self.db.write() as s:
            s.execute(
                update(_jobs)
                .where(_jobs.c.id == job.id)
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
        if not give_up:
            self.healthy[name] = False  # a broken payload says nothing about the printer
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
    db_session.info.setdefault("print_jobs_written", set()).add(copy.printer)
    return copy
