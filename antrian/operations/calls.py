"""What staff do at a counter: call, recall, skip, reactivate, start, finish, transfer.

Calling is one conditional UPDATE that claims a single waiting ticket, so two counters can never
call the same one (SQLite: the write lock of BEGIN IMMEDIATE; PostgreSQL: SKIP LOCKED lets
counters pass over a row another counter is claiming instead of waiting for it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from antrian.clock import service_day
from antrian.events import hold_event_order, record_event
from antrian.models import Call, Counter, Staff, Ticket, counter_services
from antrian.operations.errors import Conflict, Invalid, NotFound
from antrian.operations.tickets import CALL_ORDER, find_service

ACTIVE = ("called", "serving")


def actor_name(staff: Staff | None) -> str:
    return f"staff:{staff.username}" if staff else "system"


def find_counter(session: Session, number: int, *, lock: bool = False) -> Counter:
    query = select(Counter).where(Counter.number == int(number))
    if lock and session.get_bind().dialect.name == "postgresql":
        # One call at a time per counter: a double click must not finish two tickets.
        query = query.with_for_update()
    counter = session.scalar(query)
    if counter is None or not counter.active:
        raise NotFound(f"Loket {number} tidak ada atau tidak aktif.", code="unknown_counter")
    return counter


def find_ticket(session: Session, ticket_id: int) -> Ticket:
    # Events name the service and counter: load them in the same query. Read again even when
    # this session loaded it before: on PostgreSQL another request may have changed it since
    # (operations call this after taking the event-order lock, so what they read is current).
    ticket = session.get(
        Ticket,
        int(ticket_id),
        options=[joinedload(Ticket.service), joinedload(Ticket.counter)],
        populate_existing=True,
    )
    if ticket is None:
        raise NotFound("Tiket tidak ditemukan.", code="unknown_ticket")
    return ticket


def _require(ticket: Ticket, allowed: Iterable[str], doing: str) -> None:
    if ticket.status not in allowed:
        raise Conflict(
            f"Tiket {ticket.code} tidak dapat {doing}: statusnya sekarang '{ticket.status}'.",
            code="wrong_status",
        )


ANY = object()  # no desk named: the CLI and call boxes, which act as a configured account


def _check_desk(ticket: Ticket, at_counter: int | None | object, staff: Staff | None) -> dict:
    """A desk acts only on a ticket at its own counter (or one nobody holds: waiting, no-show).
    An admin may act from another desk, or name none, and that is recorded in the event.
    Returns what the event adds."""
    if at_counter is ANY:
        return {}
    admin = staff is not None and staff.has_role("admin")
    if at_counter is None and not admin:
        raise Invalid(
            "Sebutkan loket Anda (kolom 'counter'): hanya admin yang boleh bertindak tanpa loket.",
            code="counter_required",
        )
    held_by = ticket.counter.number if ticket.counter and ticket.status in ACTIVE else None
    if held_by is None or held_by == at_counter:
        return {}
    if admin:
        return {"override": True, "acted_from": at_counter}
    raise Conflict(
        f"Tiket {ticket.code} sedang di {ticket.counter.name}, bukan loket ini.",
        code="other_counter",
    )


def _ticket_event(session, kind, ticket: Ticket, now, staff, **extra):
    counter = ticket.counter
    record_event(
        session,
        kind,
        now,
        actor_name(staff),
        ticket_id=ticket.id,
        counter_id=counter.id if counter else None,
        code=ticket.code,
        service=ticket.service.code,
        status=ticket.status,
        counter=counter.number if counter else None,
        counter_name=counter.name if counter else None,
        priority=bool(ticket.priority),
        lang=ticket.lang,
        **extra,
    )


def current_ticket(session: Session, counter: Counter, now: datetime) -> Ticket | None:
    """Today's ticket at this counter; one left 'called' yesterday is not today's business."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.counter_id == counter.id,
            Ticket.status.in_(ACTIVE),
            Ticket.service_day == service_day(now),
        )
        .order_by(Ticket.called_dt.desc())
        .limit(1)
    )


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
    hold_event_order(session)  # first, before any row lock (antrian/events.py)
    counter = find_counter(session, counter_number, lock=True)
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
    served = select(counter_services.c.service_id).where(
        counter_services.c.counter_id == counter.id
    )
    next_id = (
        select(Ticket.id)
        .where(
            Ticket.status == "waiting",
            Ticket.service_day == service_day(now),
            Ticket.service_id.in_(served),
        )
        .order_by(*CALL_ORDER)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        next_id = next_id.with_for_update(skip_locked=True)
    claimed = session.execute(
        update(Ticket)
        .where(Ticket.id == next_id.scalar_subquery(), Ticket.status == "waiting")
        .values(
            status="called",
            counter_id=counter.id,
            staff_id=staff.id if staff else None,
            called_dt=now,
            call_count=Ticket.call_count + 1,
        )
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if claimed is None:
        raise Conflict("Tidak ada antrean yang menunggu untuk loket ini.", code="queue_empty")
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
    _ticket_event(session, "ticket.called", ticket, now, staff)
    return ticket


def recall(
    session: Session,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ("called",), "dipanggil ulang")
    ticket.call_count += 1
    ticket.called_dt = now
    session.add(
        Call(
            ticket_id=ticket.id,
            counter_id=ticket.counter_id,
            staff_id=staff.id if staff else None,
            kind="recall",
            called_dt=now,
        )
    )
    _ticket_event(session, "ticket.recalled", ticket, now, staff, **desk)
    return ticket


def skip(
    session: Session,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    """A no-show: called, did not come. It can be reactivated later."""
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ("called",), "dilewati")
    ticket.status = "no_show"
    ticket.skipped_dt = now
    _ticket_event(session, "ticket.skipped", ticket, now, staff, **desk)
    return ticket


def reactivate(
    session: Session,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    """A no-show who turns up goes back to waiting, keeping their place by issue time."""
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ("no_show",), "diaktifkan kembali")
    if ticket.service_day != service_day(now):
        raise Conflict("Tiket hari sebelumnya tidak dapat diaktifkan kembali.", code="stale")
    ticket.status = "waiting"
    ticket.counter_id = None
    ticket.counter = None
    _ticket_event(session, "ticket.reactivated", ticket, now, staff, **desk)
    return ticket


def start_service(
    session: Session,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ("called",), "mulai dilayani")
    ticket.status = "serving"
    ticket.started_dt = now
    _ticket_event(session, "ticket.started", ticket, now, staff, **desk)
    return ticket


def finish(
    session: Session,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ACTIVE, "diselesaikan")
    ticket.status = "done"
    ticket.finished_dt = now
    _ticket_event(session, "ticket.finished", ticket, now, staff, **desk)
    return ticket


def transfer(
    session: Session,
    ticket_id: int,
    service_code: str,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    """Send a ticket to another service's queue; it keeps its code and its place by issue time."""
    hold_event_order(session)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, ("waiting", "called", "serving"), "dialihkan")
    target = find_service(session, service_code)
    if target.id == ticket.service_id:
        # A conflict with the ticket's state (409), not a malformed request.
        raise Conflict("Tiket sudah berada di layanan tersebut.", code="same_service")
    from_service = ticket.service.code
    ticket.service_id = target.id
    ticket.service = target
    ticket.status = "waiting"
    ticket.counter_id = None
    ticket.counter = None
    _ticket_event(
        session, "ticket.transferred", ticket, now, staff, from_service=from_service, **desk
    )
    return ticket
