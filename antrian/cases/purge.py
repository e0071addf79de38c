"""UU 27/2022: personal data is kept only as long as ANTRIAN_DATA_RETENTION_DAYS.

A case past the retention (counted from when it closed, or opened if it never did) loses its
applicant's name, NIK, NPWP, phone, e-mail, address, notes and the names in its step outputs.
It keeps what the office must: the receipt number, the NIB, the register entry's number, the
dates, the KBLI and legal form (the anonymous statistics)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from antrian.cases.models import Case, CaseAssignment, CaseStep
from antrian.events import hold_event_order, record_event

log = logging.getLogger("antrian.purge")

PERSONAL_OUTPUTS = ("oss_username", "handed_over_to")
PURGE_INTERVAL_SECONDS = 24 * 60 * 60


def purge_personal_data(session: Session, now: datetime, retention_days: int) -> int:
    """Returns how many cases were emptied now; an event records the run (no names in it).

    Plain UPDATEs: nothing encrypted is read, so a purge works even without the data key."""
    hold_event_order(session)
    cutoff = now - timedelta(days=retention_days)
    ids = session.scalars(
        select(Case.id).where(
            Case.purged_dt.is_(None), func.coalesce(Case.closed_dt, Case.opened_dt) < cutoff
        )
    ).all()
    if not ids:
        return 0
    session.execute(
        update(Case)
        .where(Case.id.in_(ids))
        .values(
            applicant_name="",
            nik=None,
            phone=None,
            email=None,
            npwp=None,
            business_address="",
            notes="",
            purged_dt=now,
        )
    )
    session.execute(update(CaseAssignment).where(CaseAssignment.case_id.in_(ids)).values(note=""))
    for step in session.scalars(select(CaseStep).where(CaseStep.case_id.in_(ids))):
        if any(k in step.outputs for k in PERSONAL_OUTPUTS):
            step.outputs = {k: v for k, v in step.outputs.items() if k not in PERSONAL_OUTPUTS}
    record_event(
        session, "case.purged", now, "system", cases=len(ids), retention_days=retention_days
    )
    return len(ids)


class DailyPurge(threading.Thread):
    """Inside the server: purge once at start, then every day, until `stop` is set. `purges`
    are functions (session, now, retention_days) -> count; the cases' by default."""

    def __init__(self, db, retention_days: int, stop: threading.Event, clock, purges=None):
        super().__init__(name="antrian-purge", daemon=True)
        self.db = db
        self.retention_days = retention_days
        self.stop_event = stop
        self.clock = clock
        self.purges = purges or [purge_personal_data]

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                with self.db.write() as session:
                    counts = [p(session, self.clock(), self.retention_days) for p in self.purges]
                if any(counts):
                    log.info("data pribadi dihapus (masa simpan habis): %s", counts)
            except Exception:  # noqa: BLE001 - a failed run is retried the next day, not fatal
                log.exception("penghapusan data pribadi gagal")
            self.stop_event.wait(PURGE_INTERVAL_SECONDS)
