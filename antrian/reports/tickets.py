"""The queue's figures for a period: issued, served, no-shows, waiting and service times, per
service, per officer, per counter, and the busiest hours.

Read from the tickets and calls themselves. Every figure of a service counts the tickets taken
for it at the kiosk (a transfer is counted where the ticket was taken, and in `transferred`).
Waiting time: issue to first call. Service time: the start of service (or, without "Mulai",
the last call) to finish, for finished tickets. A no-show is a ticket whose last state was
"tidak hadir" (skipped and never served).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from antrian import clock
from antrian.models import Call, Counter, Service, Staff, Ticket
from antrian.reports.periods import Period
from antrian.reports.sql import local_part, minutes_between, office_offset_minutes
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
    in_period = Ticket.service_day.between(period.start, period.end)
    first_call = (
        select(Call.ticket_id, func.min(Call.called_dt).label("first_dt"))
        .join(Ticket, Ticket.id == Call.ticket_id)
        .where(in_period)
        .group_by(Call.ticket_id)
        .subquery()
    )
    services = {s.id: s for s in session.scalars(select(Service).order_by(Service.sort_order))}
    staff = {s.id: s for s in session.scalars(select(Staff))}
    counters = {c.id: c for c in session.scalars(select(Counter).order_by(Counter.number))}

    office = QueueRow("", "Seluruh kantor")
    by_service = {sid: QueueRow(s.code, s.name_id) for sid, s in services.items()}
    for sid, issued, served, no_show, transferred, priority in session.execute(
        select(
            Ticket.issued_service_id,
            func.count(),
            func.count().filter(Ticket.status == "done", Ticket.finished_dt.is_not(None)),
            func.count().filter(Ticket.status == "no_show"),
            func.count().filter(Ticket.service_id != Ticket.issued_service_id),
            func.count().filter(Ticket.priority.is_not(None)),
        )
        .where(in_period)
        .group_by(Ticket.issued_service_id)
    ):
        for row in (office, by_service[sid]):
            row.issued += issued
            row.served += served
            row.no_show += no_show
            row.transferred += transferred
            row.priority += priority

    waits: dict[object, list[float]] = defaultdict(list)
    # The two long reads go through the connection: plain tuples, no ORM row bookkeeping.
    conn = session.connection()
    for sid, minutes in conn.execute(
        select(Ticket.issued_service_id, minutes_between(first_call.c.first_dt, Ticket.issued_dt))
        .join(first_call, first_call.c.ticket_id == Ticket.id)
        .where(in_period)
    ):
        waits["office"].append(minutes)
        waits[sid].append(minutes)

    serves: dict[tuple[str, object], list[float]] = defaultdict(list)
    began = func.coalesce(Ticket.started_dt, Ticket.called_dt, Ticket.finished_dt)
    for sid, staff_id, counter_id, minutes in conn.execute(
        select(
            Ticket.issued_service_id,
            Ticket.staff_id,
            Ticket.counter_id,
            minutes_between(Ticket.finished_dt, began),
        ).where(in_period, Ticket.status == "done", Ticket.finished_dt.is_not(None))
    ):
        serves[("service", "office")].append(minutes)
        serves[("service", sid)].append(minutes)
        if staff_id is not None:
            serves[("staff", staff_id)].append(minutes)
        if counter_id is not None:
            serves[("counter", counter_id)].append(minutes)

    offset = office_offset_minutes(
        datetime.combine(period.start, datetime.min.time(), tzinfo=clock.OFFICE_TZ)
    )
    weekday = local_part(Ticket.issued_dt, literal("dow"), literal(offset))
    hour = local_part(Ticket.issued_dt, literal("hour"), literal(offset))
    hours: dict[int, dict[int, int]] = defaultdict(dict)
    for day, at, n in session.execute(
        select(weekday, hour, func.count()).where(in_period).group_by(weekday, hour)
    ):
        hours[day][at] = n

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


def services_active(services: dict[int, Service], row: QueueRow) -> bool:
    return any(s.code == row.key and s.active for s in services.values())
