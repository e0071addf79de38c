"""IUMK cases against the SOP's standard (15 / 15 / 120 / 15 minutes, 165 in all).

A case counts in the period it was opened (office-local day). A step is within its standard when
it ended no later than its standard minutes after it started; a finished case is within 165
minutes when its steps' minutes add up to 165 or less (the same clock as the case page). Times
are whole milliseconds from SQL (antrian/reports/sql.py), so the boundary is exact.
Open cases past a standard are listed whatever their period: that is the work to chase now."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from antrian import clock
from antrian.cases.models import Case, CaseStep
from antrian.cases.steps import STEPS, TOTAL_STANDARD_MINUTES, step_clock, total_clock
from antrian.reports.periods import Period
from antrian.reports.sql import milliseconds_between
from antrian.reports.stats import percentile, share


@dataclass
class StepFigures:
    step: int
    title: str
    standard_minutes: int
    done: int = 0
    within: int = 0
    median_minutes: float | None = None
    p90_minutes: float | None = None

    @property
    def share_within(self) -> float | None:
        value = share(self.within, self.done)
        return None if value is None else round(value, 4)


@dataclass
class OverdueCase:
    case_id: int
    receipt_number: str | None
    step: int | None  # the open step past its standard; None: only the total is past 165
    minutes: int
    standard_minutes: int


@dataclass
class CaseFigures:
    opened: int = 0
    finished: int = 0
    finished_within_total: int = 0
    steps: list[StepFigures] = field(default_factory=list)
    overdue: list[OverdueCase] = field(default_factory=list)

    @property
    def share_within_total(self) -> float | None:
        value = share(self.finished_within_total, self.finished)
        return None if value is None else round(value, 4)

    def as_dict(self) -> dict:
        return {
            "opened": self.opened,
            "finished": self.finished,
            "finished_within_165_minutes": self.finished_within_total,
            "share_within_165_minutes": self.share_within_total,
            "steps": [{**asdict(s), "share_within": s.share_within} for s in self.steps],
            "open_past_standard": [asdict(o) for o in self.overdue],
        }


def _bounds(period: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time(), tzinfo=clock.OFFICE_TZ)
    end = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=clock.OFFICE_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def case_figures(session: Session, period: Period, now: datetime) -> CaseFigures:
    start, end = _bounds(period)
    c, st = Case.__table__, CaseStep.__table__
    in_period = and_(c.c.opened_dt >= start, c.c.opened_dt < end)
    conn = session.connection()  # plain tuples: a year is ~20,000 cases, ~80,000 steps
    opened, finished, first_id, last_id = conn.execute(
        select(
            func.count(), func.count().filter(c.c.status == "done"), func.min(c.c.id),
            func.max(c.c.id),
        ).where(in_period)
    ).one()  # fmt: skip
    figures = CaseFigures(opened=opened, finished=finished)
    taken: dict[int, list[int]] = {n: [] for n in STEPS}  # milliseconds, per step
    # A finished case's steps have all ended (each starts after the one before has ended, and
    # the fourth ends the case), so its total is the sum of its ended steps: whole
    # milliseconds, added exactly and held against 165 minutes.
    totals: dict[int, int] = defaultdict(int)
    # The period's cases lie between its first and last id (ids grow as cases are opened; were
    # one out of order, the range would only widen): the steps are read through their case_id
    # index, not all the steps of every year (PostgreSQL hashed the whole table).
    steps_read = (
        select(
            st.c.case_id,
            c.c.status,
            st.c.step,
            milliseconds_between(st.c.ended_dt, st.c.started_dt),
        )
        .join(c, c.c.id == st.c.case_id)
        .where(in_period, st.c.case_id.between(first_id, last_id), st.c.ended_dt.is_not(None))
    )
    for case_id, status, step, took in conn.execute(steps_read).all() if opened else ():
        taken[step].append(took)
        if status == "done":
            totals[case_id] += took
    over = sum(total > TOTAL_STANDARD_MINUTES * 60_000 for total in totals.values())
    figures.finished_within_total = finished - over
    steps = {n: StepFigures(n, k.title, k.standard_minutes) for n, k in STEPS.items()}
    for n, row in steps.items():
        ordered = sorted(taken[n])
        row.done = len(ordered)
        # Sorted: the steps within the standard are the ones up to the standard's place.
        row.within = bisect_right(ordered, row.standard_minutes * 60_000)
        minutes = [ms / 60_000 for ms in ordered]  # still in order
        row.median_minutes = _round(percentile(minutes, 50, presorted=True))
        row.p90_minutes = _round(percentile(minutes, 90, presorted=True))
    figures.steps = list(steps.values())
    figures.overdue = overdue_cases(session, now)
    return figures


def overdue_cases(session: Session, now: datetime) -> list[OverdueCase]:
    found = []
    for case in session.scalars(
        select(Case).options(selectinload(Case.steps)).where(Case.status == "open")
    ):
        open_step = next((s for s in case.steps if s.ended_dt is None), None)
        total = total_clock(case, now)
        if open_step is not None and step_clock(open_step, now).state == "red":
            clock_ = step_clock(open_step, now)
            found.append(
                OverdueCase(
                    case.id, case.receipt_number, open_step.step, int(clock_.minutes),
                    clock_.standard,
                )
            )  # fmt: skip
        elif case.steps and total.minutes > TOTAL_STANDARD_MINUTES:
            found.append(
                OverdueCase(
                    case.id, case.receipt_number, None, int(total.minutes), TOTAL_STANDARD_MINUTES
                )
            )
    return sorted(found, key=lambda o: -(o.minutes - o.standard_minutes))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
