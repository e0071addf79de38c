"""What staff do to a ticket at a counter once it is called: recall, skip, reactivate, start,
finish (one table of transitions), transfer. Calling itself is antrian/operations/calling.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from antrian.clock import service_day
from antrian.events import hold_event_order, record_event
from antrian.models import Call, Counter, Staff, Ticket
from antrian.operations.errors import Conflict, Invalid, NotFound
from antrian.operations.tickets import find_service

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


# Nothing said: no desk named (the CLI and call boxes, which act as a configured account), or
# no expectation of what a desk shows (calling.call_next's expected_current).
ANY = object()


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


def ticket_event(session, kind, ticket: Ticket, now, staff, **extra):
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


@dataclass(frozen=True)
class Transition:
    """One state change of a ticket at a counter: from which statuses, to which, what it stamps
    with `now`, the event it records, and anything else it does (`effect`, before the event)."""

    event: str
    allowed: tuple[str, ...]
    doing: str  # completes "Tiket A-001 tidak dapat ..." when the status does not allow it
    status: str | None = None  # None: the status stays
    stamp: str | None = None  # the *_dt column set to now
    effect: Callable[[Session, Ticket, Staff | None, datetime], None] | None = None


def _add_recall(session: Session, ticket: Ticket, staff: Staff | None, now: datetime) -> None:
    ticket.call_count += 1
    session.add(
        Call(
            ticket_id=ticket.id,
            counter_id=ticket.counter_id,
            staff_id=staff.id if staff else None,
            kind="recall",
            called_dt=now,
        )
    )


def _back_in_queue(session: Session, ticket: Ticket, staff: Staff | None, now: datetime) -> None:
    if ticket.service_day != service_day(now):
        raise Conflict("Tiket hari sebelumnya tidak dapat diaktifkan kembali.", code="stale")
    ticket.counter_id = None
    ticket.counter = None


TRANSITIONS: dict[str, Transition] = {
    "recall": Transition(
        "ticket.recalled", ("called",), "dipanggil ulang", stamp="called_dt", effect=_add_recall
    ),
    # A no-show: called, did not come. It can be reactivated later.
    "skip": Transition(
        "ticket.skipped", ("called",), "dilewati", status="no_show", stamp="skipped_dt"
    ),
    # A no-show who turns up goes back to waiting, keeping their place by issue time.
    "reactivate": Transition(
        "ticket.reactivated",
        ("no_show",),
        "diaktifkan kembali",
        status="waiting",
        effect=_back_in_queue,
    ),
    "start": Transition(
        "ticket.started", ("called",), "mulai dilayani", status="serving", stamp="started_dt"
    ),
    "finish": Transition(
        "ticket.finished", ACTIVE, "diselesaikan", status="done", stamp="finished_dt"
    ),
}


def change_ticket(
    session: Session,
    action: str,
    ticket_id: int,
    staff: Staff | None,
    now: datetime,
    *,
    at_counter: int | None | object = ANY,
) -> Ticket:
    """Apply TRANSITIONS[action] to a ticket: the one way every desk action changes a ticket."""
    transition = TRANSITIONS[action]
    hold_event_order(session)  # first, before any row lock (antrian/events.py)
    ticket = find_ticket(session, ticket_id)
    desk = _check_desk(ticket, at_counter, staff)
    _require(ticket, transition.allowed, transition.doing)
    if transition.effect is not None:
        transition.effect(session, ticket, staff, now)
    if transition.status is not None:
        ticket.status = transition.status
    if transition.stamp is not None:
        setattr(ticket, transition.stamp, now)
    ticket_event(session, transition.event, ticket, now, staff, **desk)
    return ticket


def recall(
    session: Session, ticket_id: int, staff: Staff | None, now: datetime, *, at_counter=ANY
) -> Ticket:
    return change_ticket(session, "recall", ticket_id, staff, now, at_counter=at_counter)


def skip(
    session: Session, ticket_id: int, staff: Staff | None, now: datetime, *, at_counter=ANY
) -> Ticket:
    return change_ticket(session, "skip", ticket_id, staff, now, at_counter=at_counter)


def reactivate(
    session: Session, ticket_id: int, staff: Staff | None, now: datetime, *, at_counter=ANY
) -> Ticket:
    return change_ticket(session, "reactivate", ticket_id, staff, now, at_counter=at_counter)


def start_service(
    session: Session, ticket_id: int, staff: Staff | None, now: datetime, *, at_counter=ANY
) -> Ticket:
    return change_ticket(session, "start", ticket_id, staff, now, at_counter=at_counter)


def finish(
    session: Session, ticket_id: int, staff: Staff | None, now: datetime, *, at_counter=ANY
) -> Ticket:
    return change_ticket(session, "finish", ticket_id, staff, now, at_counter=at_counter)


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
    ticket_event(
        session, "ticket.transferred", ticket, now, staff, from_service=from_service, **desk
    )
    return ticket
