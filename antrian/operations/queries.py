"""Read-only views of the queue for screens and the API. No personal data leaves here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antrian.catalogue import PAUSE_REASONS, checklist_answers
from antrian.clock import local, service_day
from antrian.models import Call, Counter, Service, Ticket
from antrian.operations.tickets import CALL_ORDER


def waiting_counts(session: Session, now: datetime) -> dict[str, int]:
    # Grouped by service id, so the index answers without visiting ticket rows.
    per_service = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.status == "waiting", Ticket.service_day == service_day(now))
            .group_by(Ticket.service_id)
        ).all()
    )
    return {
        code: per_service.get(service_id, 0)
        for service_id, code in session.execute(
            select(Service.id, Service.code).where(Service.active)
        )
    }


def queue_state(session: Session, now: datetime, last_calls: int = 8) -> dict:
    day = service_day(now)
    services = session.scalars(
        select(Service).where(Service.active).order_by(Service.sort_order, Service.code)
    ).all()
    counts = waiting_counts(session, now)
    counters = session.scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    serving = {
        t.counter_id: t
        for t in session.scalars(
            select(Ticket)
            .where(Ticket.status.in_(("called", "serving")), Ticket.service_day == day)
            .order_by(Ticket.called_dt)
        )
    }
    calls = session.execute(
        select(Call, Ticket.code, Counter.number)
        .join(Ticket, Call.ticket_id == Ticket.id)
        .join(Counter, Call.counter_id == Counter.id)
        .where(Ticket.service_day == day)
        .order_by(Call.id.desc())
        .limit(last_calls)
    ).all()
    return {
        "services": [
            {"code": s.code, "name": s.name_id, "name_en": s.name_en, "waiting": counts[s.code]}
            for s in services
        ],
        "counters": [
            {
                "number": c.number,
                "name": c.name,
                "serving": serving[c.id].code if c.id in serving else None,
                "status": _counter_status(c, serving.get(c.id)),
                # Closed for a while: the board shows "Tutup" and why (istirahat, salat, rapat).
                "paused": PAUSE_REASONS.get(c.paused_reason) if c.paused_reason else None,
            }
            for c in counters
        ],
        "last_calls": [
            {
                "code": code,
                "counter": number,
                "kind": call.kind,
                "called_at": local(call.called_dt).strftime("%H:%M"),
            }
            for call, code, number in calls
        ],
    }


def _counter_status(counter: Counter, ticket: Ticket | None) -> str:
    if ticket is not None:
        return ticket.status
    return "paused" if counter.paused_reason else "idle"


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as a desk sees it: how long it has waited, what the applicant answered
    at the kiosk (short label, has it)."""

    ticket: Ticket
    waited_minutes: int
    checklist: list[tuple[str, bool]]


def waiting_at(session: Session, counter: Counter, now: datetime) -> list[Waiting]:
    """Every ticket waiting for this counter's services, in the order they will be called."""
    return [
        Waiting(
            ticket,
            max(0, int((now - ticket.issued_dt).total_seconds() // 60)),
            checklist_answers(ticket.checklist),
        )
        for ticket in waiting_list(session, [s.id for s in counter.services], now)
    ]


def waiting_list(session: Session, service_ids: list[int], now: datetime) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.status == "waiting",
                Ticket.service_day == service_day(now),
                Ticket.service_id.in_(service_ids),
            )
            .order_by(*CALL_ORDER)
        )
    )


def no_shows(session: Session, now: datetime) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.status == "no_show", Ticket.service_day == service_day(now))
            .order_by(Ticket.skipped_dt.desc())
        )
    )
