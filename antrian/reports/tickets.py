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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antrian import clock
from antrian.models import Call, Counter, Service, Staff, Ticket
from antrian.reports.periods import Period
from antrian.reports.stats import median, percentile, share


@dataclass
class Times:
    """Minutes: median and 90th percentile, and how many tickets they were taken over."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, minutes: list[float]) -> Times:
        return cls(len(minutes), _round(median(minutes)), _round(percentile(minutes, 90)))


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


def _minutes(later: datetime, earlier: datetime) -> float:
    return (clock.as_utc(later) - clock.as_utc(earlier)).total_seconds() / 60


def ticket_report(session: Session, period: Period) -> TicketReport:
    in_period = Ticket.service_day.between(period.start, period.end)
    first_call = (
        select(Call.ticket_id, func.min(Call.called_dt).label("first_dt"))
        .join(Ticket, Ticket.id == Call.ticket_id)
        .where(in_period)
        .group_by(Call.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Ticket.issued_service_id,
            Ticket.service_id,
            Ticket.status,
            Ticket.priority,
            Ticket.issued_dt,
            Ticket.called_dt,
            Ticket.started_dt,
            Ticket.finished_dt,
            Ticket.staff_id,
            Ticket.counter_id,
            first_call.c.first_dt,
        )
        .outerjoin(first_call, first_call.c.ticket_id == Ticket.id)
        .where(in_period)
    ).all()
    services = {s.id: s for s in session.scalars(select(Service).order_by(Service.sort_order))}
    staff = {s.id: s for s in session.scalars(select(Staff))}
    counters = {c.id: c for c in session.scalars(select(Counter).order_by(Counter.number))}

    office = QueueRow("", "Seluruh kantor")
    by_service = {sid: QueueRow(s.code, s.name_id) for sid, s in services.items()}
    by_staff: dict[int, QueueRow] = {}
    by_counter: dict[int, QueueRow] = {}
    waits: dict[int | str, list[float]] = defaultdict(list)
    serves: dict[tuple[str, int | str], list[float]] = defaultdict(list)
    hours: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    for r in rows:
        groups = [office, by_service[r.issued_service_id]]
        issued_local = clock.local(r.issued_dt)
        hours[issued_local.weekday()][issued_local.hour] += 1
        for g in groups:
            g.issued += 1
            g.priority += r.priority is not None
            g.transferred += r.service_id != r.issued_service_id
            g.no_show += r.status == "no_show"
        if r.first_dt is not None:
            wait = _minutes(r.first_dt, r.issued_dt)
            waits["office"].append(wait)
            waits[r.issued_service_id].append(wait)
        if r.status != "done" or r.finished_dt is None:
            continue
        minutes = _minutes(r.finished_dt, r.started_dt or r.called_dt or r.finished_dt)
        if r.staff_id is not None:
            who = staff.get(r.staff_id)
            row = by_staff.setdefault(
                r.staff_id, QueueRow(who.username, who.full_name) if who else QueueRow("?", "?")
            )
            row.served += 1
            serves[("staff", r.staff_id)].append(minutes)
        if r.counter_id is not None:
            desk = counters.get(r.counter_id)
            row = by_counter.setdefault(
                r.counter_id,
                QueueRow(str(desk.number), desk.name) if desk else QueueRow("?", "?"),
            )
            row.served += 1
            serves[("counter", r.counter_id)].append(minutes)
        for g in groups:
            g.served += 1
        serves[("service", "office")].append(minutes)
        serves[("service", r.issued_service_id)].append(minutes)

    office.waiting = Times.of(waits["office"])
    office.service = Times.of(serves[("service", "office")])
    for sid, row in by_service.items():
        row.waiting = Times.of(waits[sid])
        row.service = Times.of(serves[("service", sid)])
    for sid, row in by_staff.items():
        row.service = Times.of(serves[("staff", sid)])
    for cid, row in by_counter.items():
        row.service = Times.of(serves[("counter", cid)])
    return TicketReport(
        period=period,
        office=office,
        services=[r for r in by_service.values() if r.issued or services_active(services, r)],
        officers=sorted(by_staff.values(), key=lambda r: (-r.served, r.name)),
        counters=[by_counter[c] for c in counters if c in by_counter],
        hours={d: dict(h) for d, h in hours.items()},
    )


def services_active(services: dict[int, Service], row: QueueRow) -> bool:
    return any(s.code == row.key and s.active for s in services.values())
