"""The queue's figures for a period: issued, served, no-shows, waiting and service times, per
service, per officer, per counter, and the busiest hours.

Read from the tickets themselves. Every figure of a service counts the tickets taken for it at
the kiosk (a transfer is counted where the ticket was taken, and in `transferred`). Waiting
time: issue to first call (the ticket's `first_called_dt`). Service time: the start of service
(or, without "Mulai", the last call) to finish, for finished tickets. A no-show is a ticket
whose last state was "tidak hadir" (skipped and never served).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from antrian import clock
from antrian.models import Counter, Service, Staff, Ticket
from antrian.reports.periods import Period
from antrian.reports.sql import local_part, milliseconds_between, office_offset_minutes
from antrian.reports.stats import percentile, share


@dataclass
class Times:
    """Minutes: median and 90th percentile, and how many tickets they were taken over."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, minutes: list[float]) -> Times:
        ordered = sorted(minutes)
        return cls(
            len(ordered),
            _round(percentile(ordered, 50, presorted=True)),
            _round(percentile(ordered, 90, presorted=True)),
        )


@dataclass
class QueueRow:
    key: str  # service code, staff username or counter number; "" for the whole office
    name: str
    issued: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    priority: int = 0
    waiting: Times = field(default_factory=Times)
    service: Times = field(default_factory=Times)

    @property
    def no_show_rate(self) -> float | None:
        return _round(share(self.no_show, self.issued), 4)

    def as_dict(self) -> dict:
        return {**asdict(self), "no_show_rate": self.no_show_rate}


@dataclass
class TicketReport:
    period: Period
    office: QueueRow
    services: list[QueueRow]
    officers: list[QueueRow]
    counters: list[QueueRow]
    # issued tickets by weekday (0 = Monday) and hour, office time
    hours: dict[int, dict[int, int]]

    def as_dict(self) -> dict:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "office": self.office.as_dict(),
            "services": [r.as_dict() for r in self.services],
            "officers": [r.as_dict() for r in self.officers],
            "counters": [r.as_dict() for r in self.counters],
            "busiest_hours": [
                {"weekday": day, "hour": hour, "issued": n}
                for day, row in sorted(self.hours.items())
                for hour, n in sorted(row.items())
            ],
        }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def ticket_report(session: Session, period: Period) -> TicketReport:
    t = Ticket.__table__
    in_period = t.c.service_day.between(period.start, period.end)
    services = {s.id: s for s in session.scalars(select(Service).order_by(Service.sort_order))}
    staff = {s.id: s for s in session.scalars(select(Staff))}
    counters = {c.id: c for c in session.scalars(select(Counter).order_by(Counter.number))}

    office = QueueRow("", "Seluruh kantor")
    by_service = {sid: QueueRow(s.code, s.name_id) for sid, s in services.items()}
    served = and_(t.c.status == "done", t.c.finished_dt.is_not(None))
    offset = office_offset_minutes(
        datetime.combine(period.start, datetime.min.time(), tzinfo=clock.OFFICE_TZ)
    )
    weekday = local_part(t.c.issued_dt, literal("dow"), literal(offset))
    hour = local_part(t.c.issued_dt, literal("hour"), literal(offset))
    hours: dict[int, dict[int, int]] = defaultdict(dict)
    # The reads below go through the connection: plain tuples, no ORM row bookkeeping. The
    # counts and the heat map come from one grouping (one read of the period's rows).
    conn = session.connection()
    for sid, day, at, issued, n_served, no_show, transferred, priority in conn.execute(
        select(
            t.c.issued_service_id,
            weekday,
            hour,
            func.count(),
            func.count().filter(served),
            func.count().filter(t.c.status == "no_show"),
            func.count().filter(t.c.service_id != t.c.issued_service_id),
            func.count().filter(t.c.priority.is_not(None)),
        )
        .where(in_period)
        .group_by(t.c.issued_service_id, weekday, hour)
    ):
        hours[day][at] = hours[day].get(at, 0) + issued
        for row in (office, by_service[sid]):
            row.issued += issued
            row.served += n_served
            row.no_show += no_show
            row.transferred += transferred
            row.priority += priority

    # One pass over the period's tickets for both times, in whole milliseconds from SQL. The
    # waiting time reads the ticket's own first call (no grouping of a year of calls). Each
    # row lands in one list per service or per (service, officer, counter); the office's,
    # the officers' and the counters' lists are joined from those afterwards (far fewer
    # operations per ticket than filling four lists row by row).
    waits_ms: dict[int, list[int]] = defaultdict(list)
    serves_ms: dict[tuple[int, int | None, int | None], list[int]] = defaultdict(list)
    began = func.coalesce(t.c.started_dt, t.c.called_dt, t.c.finished_dt)
    for sid, staff_id, counter_id, wait_ms, serve_ms in conn.execute(
        select(
            t.c.issued_service_id,
            t.c.staff_id,
            t.c.counter_id,
            milliseconds_between(t.c.first_called_dt, t.c.issued_dt),
            case((served, milliseconds_between(t.c.finished_dt, began))),
        ).where(in_period)
    ).all():
        if wait_ms is not None:
            waits_ms[sid].append(wait_ms)
        if serve_ms is not None:
            serves_ms[(sid, staff_id, counter_id)].append(serve_ms)

    waits: dict[object, list[float]] = defaultdict(list)
    for sid, ms in waits_ms.items():
        waits[sid] = _minutes(ms)
        waits["office"] += waits[sid]
    serves: dict[tuple[str, object], list[float]] = defaultdict(list)
    for (sid, staff_id, counter_id), ms in serves_ms.items():
        minutes = _minutes(ms)
        serves[("service", "office")] += minutes
        serves[("service", sid)] += minutes
        if staff_id is not None:
            serves[("staff", staff_id)] += minutes
        if counter_id is not None:
            serves[("counter", counter_id)] += minutes

    office.waiting = Times.of(waits["office"])
    office.service = Times.of(serves[("service", "office")])
    for sid, row in by_service.items():
        row.waiting = Times.of(waits[sid])
        row.service = Times.of(serves[("service", sid)])
    officers = []
    for sid, who in staff.items():
        minutes = serves[("staff", sid)]
        if minutes:
            row = QueueRow(who.username, who.full_name, served=len(minutes))
            row.service = Times.of(minutes)
            officers.append(row)
    desks = []
    for cid, desk in counters.items():
        minutes = serves[("counter", cid)]
        if minutes:
            row = QueueRow(str(desk.number), desk.name, served=len(minutes))
            row.service = Times.of(minutes)
            desks.append(row)
    return TicketReport(
        period=period,
        office=office,
        services=[r for r in by_service.values() if r.issued or services_active(services, r)],
        officers=sorted(officers, key=lambda r: (-r.served, r.name)),
        counters=desks,
        hours=dict(hours),
    )


def _minutes(milliseconds: list[int]) -> list[float]:
    """In order: lists joined from these are sorted runs, which Python's sort merges quickly."""
    return [ms / 60_000 for ms in sorted(milliseconds)]


def services_active(services: dict[int, Service], row: QueueRow) -> bool:
    return any(s.code == row.key and s.active for s in services.values())
