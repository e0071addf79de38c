"""Calling a ticket to a counter: the next in line, or one particular ticket out of order.

Calling is one conditional UPDATE that claims a single waiting ticket, so two counters can never
call the same one (SQLite: the write lock of BEGIN IMMEDIATE; PostgreSQL: SKIP LOCKED lets
counters pass over a row another counter is claiming instead of waiting for it). A closed
counter (antrian/operations/counters.py) calls nobody.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, joinedload

from antrian.catalogue import PAUSE_REASONS
from antrian.clock import service_day
from antrian.events import hold_event_order
from antrian.models import Call, Counter, Staff, Ticket, counter_services
from antrian.operations.calls import ANY, current_ticket, find_counter, finish, ticket_event
from antrian.operations.errors import Conflict, Invalid
from antrian.operations.tickets import CALL_ORDER


def call_next(
    session: Session,
    counter_number: int,
    staff: Staff | None,
    now: datetime,
    *,
    expected_current: int | None | object = ANY,
) -> Ticket:
    """Finish what the counter had, then claim the next waiting ticket it serves.

    `expected_current` is the ticket the caller saw at the counter (the desk sends it): when the
    counter has moved on since, e.g. a second click of the same button, nothing happens.
    """
    counter = _ready_counter(session, counter_number, staff, now, expected_current)
    next_id = _waiting_here(counter, now).order_by(*CALL_ORDER).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        next_id = next_id.with_for_update(skip_locked=True)
    ticket = _claim(session, counter, next_id, staff, now)
    if ticket is None:
        raise Conflict("Tidak ada antrean yang menunggu untuk loket ini.", code="queue_empty")
    ticket_event(session, "ticket.called", ticket, now, staff)
    return ticket


REASON_MAX = 200


def call_ticket(
    session: Session,
    counter_number: int,
    ticket_id: int,
    reason: str,
    staff: Staff | None,
    now: datetime,
    *,
    expected_current: int | None | object = ANY,
) -> Ticket:
    """Call one particular waiting ticket out of order (an applicant back with a missing
    document, an appointment). The reason is required and kept in the event log."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise Invalid("Tulis alasan memanggil di luar urutan.", code="reason_required")
    if len(reason) > REASON_MAX:
        raise Invalid(f"Alasan paling banyak {REASON_MAX} karakter.", code="reason_too_long")
    counter = _ready_counter(session, counter_number, staff, now, expected_current)
    ticket = _claim(
        session, counter, _waiting_here(counter, now).where(Ticket.id == int(ticket_id)), staff, now
    )
    if ticket is None:
        raise Conflict(
            "Tiket itu tidak lagi menunggu untuk loket ini (sudah dipanggil, dialihkan atau "
            "bukan layanan loket ini).",
            code="not_waiting",
        )
    ticket_event(session, "ticket.called", ticket, now, staff, out_of_order=True, reason=reason)
    return ticket


def _ready_counter(
    session: Session,
    counter_number: int,
    staff: Staff | None,
    now: datetime,
    expected_current: int | None | object,
) -> Counter:
    """The counter, open and as the caller saw it, with the ticket it had finished."""
    hold_event_order(session)  # first, before any row lock (antrian/events.py)
    counter = find_counter(session, counter_number, lock=True)
    if counter.paused_reason is not None:
        raise Conflict(
            f"{counter.name} sedang ditutup ({PAUSE_REASONS.get(counter.paused_reason, '')}). "
            "Buka kembali loket untuk memanggil.",
            code="counter_paused",
        )
    previous = current_ticket(session, counter, now)
    if expected_current is not ANY and (previous.id if previous else None) != expected_current:
        shown = previous.code if previous else "tidak ada"
        raise Conflict(
            f"{counter.name} sudah berubah (sekarang: {shown}). Tidak ada yang dipanggil; "
            "periksa layar lalu coba lagi.",
            code="stale_desk",
        )
    if previous is not None:
        finish(session, previous.id, staff, now)
    return counter


def _waiting_here(counter: Counter, now: datetime) -> Select:
    """Today's waiting tickets of the services this counter serves (ids)."""
    served = select(counter_services.c.service_id).where(
        counter_services.c.counter_id == counter.id
    )
    return select(Ticket.id).where(
        Ticket.status == "waiting",
        Ticket.service_day == service_day(now),
        Ticket.service_id.in_(served),
    )


def _claim(
    session: Session, counter: Counter, pick: Select, staff: Staff | None, now: datetime
) -> Ticket | None:
    """One conditional UPDATE turns the picked waiting ticket into this counter's call: two
    counters can never both claim it. None when there was nothing (left) to claim."""
    claimed = session.execute(
        update(Ticket)
        .where(Ticket.id == pick.scalar_subquery(), Ticket.status == "waiting")
        .values(
            status="called",
            counter_id=counter.id,
            staff_id=staff.id if staff else None,
            called_dt=now,
            first_called_dt=func.coalesce(Ticket.first_called_dt, now),
            call_count=Ticket.call_count + 1,
        )
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if claimed is None:
        return None
    ticket = session.scalars(
        select(Ticket)
        .where(Ticket.id == claimed)
        .options(joinedload(Ticket.service), joinedload(Ticket.counter))
        .execution_options(populate_existing=True)  # the UPDATE bypassed the identity map
    ).one()
    session.add(
        Call(
            ticket_id=ticket.id,
            counter_id=counter.id,
            staff_id=staff.id if staff else None,
            kind="call",
            called_dt=now,
        )
    )
    return ticket
