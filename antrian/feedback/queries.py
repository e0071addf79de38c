"""What the staff's complaint list shows: each complaint with its deadline and lateness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from antrian.cases.personal_data import mask_phone
from antrian.clock import local
from antrian.feedback.complaints import CATEGORIES, STATUSES
from antrian.feedback.deadlines import answer_deadline, is_late, working_days_between
from antrian.feedback.models import Complaint

LIST_LIMIT = 200


@dataclass(frozen=True)
class ComplaintRow:
    complaint: Complaint
    category: str
    status: str
    deadline: date
    late: bool
    days_to_answer: int | None  # working days, once answered
    phone_masked: str


def complaint_row(complaint: Complaint, now: datetime, target_days: int) -> ComplaintRow:
    answered = complaint.answered_dt
    return ComplaintRow(
        complaint=complaint,
        category=CATEGORIES[complaint.category][0],
        status=STATUSES[complaint.status],
        deadline=answer_deadline(complaint.received_dt, target_days),
        late=is_late(complaint.received_dt, answered, now, target_days),
        days_to_answer=None
        if answered is None
        else working_days_between(local(complaint.received_dt).date(), local(answered).date()),
        phone_masked=mask_phone(complaint.phone),
    )


def complaint_rows(
    session: Session,
    now: datetime,
    target_days: int,
    *,
    status: str = "",
    category: str = "",
    late_only: bool = False,
) -> list[ComplaintRow]:
    """Newest first; open ones (baru, diproses) before the rest when no status is chosen."""
    query = select(Complaint).options(joinedload(Complaint.handler))
    if status in STATUSES:
        query = query.where(Complaint.status == status)
    if category in CATEGORIES:
        query = query.where(Complaint.category == category)
    complaints = session.scalars(query.order_by(Complaint.id.desc()).limit(LIST_LIMIT)).all()
    rows = [complaint_row(c, now, target_days) for c in complaints]
    if late_only:
        rows = [r for r in rows if r.late]
    rows.sort(key=lambda r: r.complaint.status not in ("baru", "diproses"))  # stable
    return rows
