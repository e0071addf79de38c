"""Complaints and the SKM survey in a period: what the head of office reports on service quality.

Complaints count by the office-local day they were received; time to answer is in working days
(antrian/feedback/deadlines.py, the same rule as the complaint desk's deadline). The SKM figures
are antrian.feedback.skm's own (NRR per element, IKM, grade)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian import clock
from antrian.feedback.complaints import CATEGORIES
from antrian.feedback.deadlines import is_late, working_days_between
from antrian.feedback.models import Complaint
from antrian.feedback.skm import IkmReport, ikm_report
from antrian.reports.periods import Period
from antrian.reports.stats import percentile


@dataclass
class ComplaintFigures:
    received: int = 0
    answered: int = 0
    still_open: int = 0
    late: int = 0
    answer_days_median: float | None = None
    answer_days_p90: float | None = None
    by_category: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "answered": self.answered,
            "open": self.still_open,
            "late": self.late,
            "answer_working_days": {"median": self.answer_days_median, "p90": self.answer_days_p90},
            "by_category": [{"category": c, "count": n} for c, n in self.by_category],
        }


def _day_bounds(period: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time(), tzinfo=clock.OFFICE_TZ)
    end = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=clock.OFFICE_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def complaint_figures(
    session: Session, period: Period, now: datetime, target_days: int
) -> ComplaintFigures:
    start, end = _day_bounds(period)
    complaints = session.scalars(
        select(Complaint).where(Complaint.received_dt >= start, Complaint.received_dt < end)
    ).all()
    figures = ComplaintFigures(received=len(complaints))
    days: list[float] = []
    categories: Counter[str] = Counter()
    for c in complaints:
        categories[CATEGORIES.get(c.category, (c.category,))[0]] += 1
        figures.late += is_late(c.received_dt, c.answered_dt, now, target_days)
        if c.answered_dt is None:
            figures.still_open += 1
            continue
        figures.answered += 1
        days.append(
            working_days_between(
                clock.local(c.received_dt).date(), clock.local(c.answered_dt).date()
            )
        )
    figures.answer_days_median = percentile(days, 50)
    figures.answer_days_p90 = percentile(days, 90)
    figures.by_category = categories.most_common()
    return figures


def skm_figures(session: Session, period: Period) -> IkmReport:
    return ikm_report(session, period.start, period.end)


def ikm_as_dict(report: IkmReport) -> dict:
    return {
        "respondents": report.respondents,
        "nrr": [{"element": e.name_id, "nrr": float(v)} for e, v in report.nrr],
        "ikm": None if report.ikm is None else float(report.ikm),
        "grade": report.grade,
        "performance": report.performance,
    }
