"""The supervisor's live view of today: queues, the longest wait now, what each counter does.

Read fresh on every change (the staff event stream triggers a re-render), from the tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from antrian import clock
from antrian.clock import service_day
from antrian.models import Counter, Service, Ticket
from antrian.reports.cases import overdue_cases


@dataclass
class ServiceNow:
    code: str
    name: str
    waiting: int
    priority_waiting: int
    longest_wait_minutes: int | None
    issued: int
    served: int


@dataclass
class CounterNow:
    number: int
    name: str
    status: str  # called | serving | idle
    code: str | None
    officer: str | None
    minutes: int | None  # in this state for (idle: since its last ticket ended)


def _minutes(now: datetime, then: datetime | None) -> int | None:
    return None if then is None else int((now - clock.as_utc(then)).total_seconds() // 60)


def today_view(session: Session, now: datetime) -> dict:
    day = service_day(now)
    today = Ticket.service_day == day
    per_service = {
        sid: (issued, served)
        for sid, issued, served in session.execute(
            select(
                Ticket.issued_service_id,
                func.count(),
                func.count().filter(Ticket.status == "done"),
            )
            .where(today)
            .group_by(Ticket.issued_service_id)
        )
    }
    waiting = {
        sid: (n, p, oldest)
        for sid, n, p, oldest in session.execute(
            select(
                Ticket.service_id,
                func.count(),
                func.count().filter(Ticket.priority.is_not(None)),
                func.min(Ticket.issued_dt),
            )
            .where(today, Ticket.status == "waiting")
            .group_by(Ticket.service_id)
        )
    }
    services = []
    for s in session.scalars(select(Service).where(Service.active).order_by(Service.sort_order)):
        n, p, oldest = waiting.get(s.id, (0, 0, None))
        issued, served = per_service.get(s.id, (0, 0))
        services.append(ServiceNow(s.code, s.name_id, n, p, _minutes(now, oldest), issued, served))

    busy = {
        t.counter_id: t
        for t in session.scalars(
            select(Ticket)
            .options(joinedload(Ticket.staff))
            .where(today, Ticket.status.in_(("called", "serving")))
        )
    }
    last_end = dict(
        session.execute(
            select(Ticket.counter_id, func.max(Ticket.finished_dt))
            .where(today, Ticket.finished_dt.is_not(None))
            .group_by(Ticket.counter_id)
        ).all()
    )
    counters = []
    for c in session.scalars(select(Counter).where(Counter.active).order_by(Counter.number)):
        t = busy.get(c.id)
        if t is None:
            counters.append(
                CounterNow(c.number, c.name, "idle", None, None, _minutes(now, last_end.get(c.id)))
            )
        else:
            since = t.started_dt if t.status == "serving" else t.called_dt
            who = t.staff.full_name if t.staff else None
            counters.append(
                CounterNow(c.number, c.name, t.status, t.code, who, _minutes(now, since))
            )
    return {
        "services": services,
        "counters": counters,
        "waiting": sum(s.waiting for s in services),
        "longest_wait_minutes": max(
            (s.longest_wait_minutes for s in services if s.longest_wait_minutes is not None),
            default=None,
        ),
        "open_counters": sum(c.status != "idle" for c in counters),
        "overdue_cases": overdue_cases(session, now),
    }
