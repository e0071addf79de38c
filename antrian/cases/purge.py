"""UU 27/2022: personal data is kept only as long as ANTRIAN_DATA_RETENTION_DAYS.

A case past the retention (counted from when it closed, or opened if it never did) loses its
applicant's name, NIK, NPWP, phone, e-mail, address, notes and the names in its step outputs.
It keeps what the office must: the receipt number, the NIB, the register entry's number, the
dates, the KBLI and legal form (the anonymous statistics)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from antrian.cases.models import Case
from antrian.events import hold_event_order, record_event

log = logging.getLogger("antrian.purge")

PERSONAL_OUTPUTS = ("oss_username", "handed_over_to")
PURGE_INTERVAL_SECONDS = 24 * 60 * 60


def purge_personal_data(session: Session, now: datetime, retention_days: int) -> int:
    """Returns how many cases were emptied now; an event records the run (no names in it)."""
    hold_event_order(session)
    cutoff = now - timedelta(days=retention_days)
    cases = session.scalars(
        select(Case)
        .where(Case.purged_dt.is_(None), func.coalesce(Case.closed_dt, Case.opened_dt) < cutoff)
        .options(selectinload(Case.steps), selectinload(Case.assignments))
    ).all()
    for case in cases:
        case.applicant_name = ""
        case.nik = case.phone = case.email = case.npwp = None
        case.business_address = ""
        case.notes = ""
        for assignment in case.assignments:
            assignment.note = ""
        for step in case.steps:
            if any(k in step.outputs for k in PERSONAL_OUTPUTS):
                step.outputs = {k: v for k, v in step.outputs.items() if k not in PERSONAL_OUTPUTS}
        case.purged_dt = now
    if cases:
        record_event(
            session,
            "case.purged",
            now,
            "system",
            cases=len(cases),
            retention_days=retention_days,
        )
    return len(cases)


class DailyPurge(threading.Thread):
    """Inside the server: purge once at start, then every day, until `stop` is set."""

    def __init__(self, db, retention_days: int, stop: threading.Event, clock):
        super().__init__(name="antrian-purge", daemon=True)
        self.db = db
        self.retention_days = retention_days
        self.stop_event = stop
        self.clock = clock

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                with self.db.write() as session:
                    count = purge_personal_data(session, self.clock(), self.retention_days)
                if count:
                    log.info("data pribadi %d berkas dihapus (masa simpan habis)", count)
            except Exception:  # noqa: BLE001 - a failed run is retried the next day, not fatal
                log.exception("penghapusan data pribadi gagal")
            self.stop_event.wait(PURGE_INTERVAL_SECONDS)
