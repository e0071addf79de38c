"""Issuing tickets and telling a walk-in where they stand."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, bindparam, case, func, literal, select
from sqlalchemy.orm import Session

from antrian.catalogue import LANGUAGES, PRIORITY_REASONS
from antrian.clock import service_day
from antrian.events import event_written, hold_event_order, print_jobs_written
from antrian.models import Counter, Service, Ticket, counter_services
from antrian.operations.daily_counters import bump_statement, issue_number
from antrian.operations.errors import Conflict, Invalid, NotFound, OperationError
from antrian.operations.rate_limits import Rate, take_issue_slot
from antrian.operations.ticket_rows import insert_ticket
from antrian.queue.opening import refuse_past_quota
from antrian.tokens import dated_token

SERVICE_CODE = re.compile(r"[A-Za-z]{1,8}")
# Who is called first: priority tickets, then first come first served. The id is given in issue
# order (the clock is read before the write lock is won, so times can interleave; ids cannot),
# and a transfer or reactivation keeps it, so the ticket keeps its place.
CALL_ORDER = (case((Ticket.priority.is_(None), 1), else_=0), Ticket.id)
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")


def find_service(session: Session, code: str) -> Service:
    return _active_service(code, lambda c: session.scalar(select(Service).where(Service.code == c)))


def _active_service(code: str, lookup):
    """`lookup(upper-case code)` for a well-formed code; unknown or inactive is a NotFound."""
    if not isinstance(code, str) or not SERVICE_CODE.fullmatch(code):
        raise NotFound(f"Layanan '{code}' tidak dikenal.", code="unknown_service")
    service = lookup(code.upper())
    if service is None or not service.active:
        raise NotFound(f"Layanan '{code}' tidak dikenal.", code="unknown_service")
    return service


@dataclass
class TicketSummary:
    """What a walk-in (and the API) is told about a ticket: its place and the wait.

    Issuing builds it from the rows it has just written instead of loading them back: the
    kiosk's answer then costs no extra queries (bench.issue_tickets)."""

    id: int
    code: str
    number: int
    service: str
    status: str
    priority: str | None
    issued_dt: datetime
    token: str
    ahead: int
    estimated_wait_minutes: int
    counter: int | None = None
    lang: str = "id"
    replayed: bool = False  # an Idempotency-Key repeat: the API answers 200, not 201

    @property
    def position(self) -> int:
        return self.ahead + 1 if self.status == "waiting" else 0

    @classmethod
    def of(cls, session: Session, ticket: Ticket, replayed: bool = False) -> TicketSummary:
        ahead, wait = queue_place(session, ticket)
        return cls(
            id=ticket.id,
            code=ticket.code,
            number=ticket.number,
            service=ticket.service.code,
            status=ticket.status,
            priority=ticket.priority,
            issued_dt=ticket.issued_dt,
            token=ticket.token,
            ahead=ahead,
            estimated_wait_minutes=wait,
            counter=ticket.counter.number if ticket.counter else None,
            lang=ticket.lang,
            replayed=replayed,
        )


def issue_ticket(
    session: Session,
    service_code: str,
    priority: str | None,
    checklist: dict[str, Any] | None,
    now: datetime,
    *,
    actor: str = "kiosk",
    public_base: str = "",
    idempotency_key: str | None = None,
    print_on: str | None = "kiosk",
    lang: str = "id",
    client: str | None = None,
    rate: Rate | None = None,
) -> TicketSummary:
    """Give the next number of today for a service, and queue its printout, in one transaction.

    Core statements on the session's connection rather than the unit of work: the busiest
    write of the day, and nothing reads the new rows back as objects."""
    if priority is not None and priority not in PRIORITY_REASONS:
        raise Invalid(
            "Alasan prioritas tidak dikenal. Pilih: disabilitas, lansia, ibu hamil, "
            "atau membawa anak kecil.",
            code="bad_priority",
        )
    if lang not in LANGUAGES:
        raise Invalid("Bahasa tidak dikenal. Pilih: id atau en.", code="bad_lang")
    idempotency_key = idempotency_key_of(idempotency_key, now)
    if idempotency_key:
        _hold_key(session, idempotency_key)
        existing = session.scalar(select(Ticket).where(Ticket.idempotency_key == idempotency_key))
        if existing is not None:
            if (existing.issued_service.code, existing.priority, existing.checklist) != (
                str(service_code).upper(),
                priority,
                checklist or None,
            ):
                # 409: the key is taken (the request itself is well-formed).
                raise Conflict(
                    "Idempotency-Key ini sudah dipakai hari ini untuk permintaan lain. "
                    "Pakai kunci baru untuk tiket baru.",
                    code="idempotency_key_reused",
                )
            return TicketSummary.of(session, existing, replayed=True)
    if rate is not None and client:
        # After the replay: a double tap answered with its first ticket costs nothing.
        take_issue_slot(session, client, rate, now)
    conn = session.connection()  # the session's transaction, without ORM bookkeeping
    service = _active_service(service_code, lambda c: _service_row(conn, c))
    day = service_day(now)
    if print_on:
        # Known before the lock: its NOTIFY then rides on the lock's statement.
        print_jobs_written(session, print_on)
    # From here to the commit the issuers of every queue take turns, first come first served
    # (antrian/events.py). Taken before the number, the people ahead are counted from a
    # snapshot in which the previous issuer has committed.
    hold_event_order(session)
    number, ahead = issue_number(conn, service.id, day, _NUMBER_AND_AHEAD[bool(priority)])
    # Past the quota the whole issue rolls back, the number with it.
    refuse_past_quota(session, service.code, service.daily_quota, number, now)
    code = f"{service.prefix}-{number:03d}"
    token = dated_token(day)
    ticket = {
        "service_id": service.id,
        "issued_service_id": service.id,
        "service_day": day,
        "number": number,
        "code": code,
        "priority": priority,
        "status": "waiting",
        "token": token,
        "idempotency_key": idempotency_key,
        "checklist": checklist or None,
        "issued_dt": now,
        "lang": lang,
    }
    job = None
    if print_on:
        english = lang == "en"
        payload = ticket_slip_payload(
            ticket,
            ahead,
            (english and service.name_en) or service.name_id,
            (english and service.prepare_en) or service.prepare_id,
            public_base,
        )
        job = {
            "printer": print_on,
            "kind": "ticket",
            "created_dt": now,
            "next_attempt_dt": now,
            "payload": payload,
        }
    event = {
        "kind": "ticket.issued",
        "created_dt": now,
        "actor": actor,
        "data": {
            "code": code,
            "service": service.code,
            "priority": bool(priority),
            "waiting": ahead + 1,
        },
    }
    ticket_id = insert_ticket(conn, ticket, job, event)
    event_written(session)
    return TicketSummary(
        id=ticket_id,
        code=code,
        number=number,
        service=service.code,
        status="waiting",
        priority=priority,
        issued_dt=now,
        token=token,
        ahead=ahead,
        estimated_wait_minutes=estimated_minutes(
            ahead, service.minutes_per_ticket, service.counters
        ),
        lang=lang,
    )


IDEMPOTENCY_LOCK = 74_200_002  # any constant; with a key's hash, names the lock in pg_locks


def _hold_key(session: Session, idempotency_key: str) -> None:
    """PostgreSQL: two taps with one Idempotency-Key run one after the other, so the second
    finds the first's ticket instead of racing it to the insert. SQLite's writers already do.
    Two keys that share the hash's last 28 bits merely wait for each other."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_KEY_TURN, {"key_hash": int(idempotency_key[-7:], 16)})


# Built once, like the other statements of issuing: built per call it cost a quarter of a
# millisecond of CPU.
_KEY_TURN = select(
    func.pg_advisory_xact_lock(IDEMPOTENCY_LOCK, bindparam("key_hash", type_=Integer))
)


MAX_IDEMPOTENCY_KEY = 80


def idempotency_key_of(key: str | None, now: datetime) -> str | None:
    """What is stored for a request's Idempotency-Key: bound to the service day (tomorrow the
    same key is a new ticket, not yesterday's), hashed to a fixed length. The request's body
    is checked against the ticket it found (issue #14, finding 13)."""
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise OperationError(
            f"Idempotency-Key paling panjang {MAX_IDEMPOTENCY_KEY} karakter.",
            code="bad_idempotency_key",
        )
    day = service_day(now).isoformat()
    # The day first, as in antrian/tokens.py: a day's keys stay together at the end of the index.
    return f"{day}:" + hashlib.sha256(f"{day}|{key}".encode()).hexdigest()


def status_url(public_base: str, token: str) -> str:
    return f"{public_base.rstrip('/')}/t/{token}"


def ticket_slip_payload(
    ticket: dict, ahead: int, service_name: str, prepare_line: str, public_base: str
) -> dict:
    """What a new ticket's slip prints (`ticket`: its row as issuing writes it), in the
    language it was taken in (labels are translated when it is printed,
    antrian/printing/slips.py)."""
    return {
        "lang": ticket["lang"],
        "code": ticket["code"],
        "service_name": service_name,
        "issued_at": ticket["issued_dt"].isoformat(),
        "people_ahead": ahead,
        "status_url": status_url(public_base, ticket["token"]),
        "prepare_line": prepare_line,
        "priority_label": PRIORITY_REASONS[ticket["priority"]] if ticket["priority"] else None,
    }


def _waiting_in_queue() -> tuple:
    """A day's waiting tickets of one service (bind parameters `day` and `service`): the
    columns ix_tickets_queue begins with."""
    t = Ticket.__table__
    return (
        t.c.service_day == bindparam("day"),
        t.c.service_id == bindparam("service"),
        t.c.status == "waiting",
    )


def _place_statement(priority: bool):
    """Waiting tickets of the same service called before this one (priority first, then issue
    order), and the counters sharing the service, in one round trip.

    Each count is answered by the index ix_tickets_queue alone (SQLite keeps the row id in
    every index), instead of one OR that would visit every waiting row of the day."""
    t = Ticket.__table__
    same_queue = _waiting_in_queue()
    earlier = t.c.id < bindparam("id")
    priority_ahead = select(func.count()).where(*same_queue, t.c.priority.is_not(None))
    if priority:
        ordinary_ahead = select(literal(0))
        priority_ahead = priority_ahead.where(earlier)
    else:
        ordinary_ahead = select(func.count()).where(*same_queue, t.c.priority.is_(None), earlier)
    counters = (
        select(func.count(Counter.id))
        .join(counter_services, counter_services.c.counter_id == Counter.id)
        .where(counter_services.c.service_id == bindparam("service"), Counter.active.is_(True))
    )
    return select(
        priority_ahead.scalar_subquery(),
        ordinary_ahead.scalar_subquery(),
        counters.scalar_subquery(),
    )


def _place(conn, ticket_id, day, service_id, priority, minutes_per_ticket) -> tuple[int, int]:
    """(people ahead, estimated minutes): people ahead x the service's minutes per ticket,
    shared by the counters serving it."""
    params = {"day": day, "service": service_id, "id": ticket_id}
    prio, ordinary, counters = conn.execute(_PLACE[bool(priority)], params).one()
    ahead = (prio or 0) + (ordinary or 0)
    return ahead, estimated_minutes(ahead, minutes_per_ticket, counters)


def estimated_minutes(ahead: int, minutes_per_ticket: int, counters: int) -> int:
    """People ahead x the service's minutes per ticket, shared by the counters serving it."""
    return -(-ahead * minutes_per_ticket // (counters or 1))  # ceiling


def queue_place(session: Session, ticket: Ticket) -> tuple[int, int]:
    """(people ahead, estimated minutes) for a ticket; (0, 0) once it has left the queue."""
    if ticket.status != "waiting":
        return 0, 0
    return _place(
        session.connection(),
        ticket.id,
        ticket.service_day,
        ticket.service_id,
        ticket.priority,
        ticket.service.minutes_per_ticket,
    )


def people_ahead(session: Session, ticket: Ticket) -> int:
    return queue_place(session, ticket)[0]


def find_ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = None
    if TOKEN.fullmatch(token or ""):
        ticket = session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        raise NotFound("Tiket tidak ditemukan.", code="unknown_ticket")
    return ticket


class _ServiceRow(NamedTuple):
    id: int
    code: str
    prefix: str
    name_id: str
    name_en: str
    prepare_id: str
    prepare_en: str
    minutes_per_ticket: int
    daily_quota: int | None
    counters: int  # active counters serving it
    active: bool


def _service_row(conn, code: str) -> _ServiceRow | None:
    row = conn.execute(_SERVICE, {"code": code}).one_or_none()
    return None if row is None else _ServiceRow(*row)


def _counters_serving(service):
    return (
        select(func.count(Counter.id))
        .join(counter_services, counter_services.c.counter_id == Counter.id)
        .where(counter_services.c.service_id == service.c.id, Counter.active.is_(True))
        .scalar_subquery()
    )


_SERVICE = select(
    *(Service.__table__.c[name] for name in _ServiceRow._fields[:-2]),
    _counters_serving(Service.__table__),
    Service.__table__.c.active,
).where(Service.code == bindparam("code"))
_PLACE = {priority: _place_statement(priority) for priority in (True, False)}


def _waiting_before_a_new_ticket(priority: bool):
    """The queue's waiting tickets a ticket issued now is called after: the priority ones for
    a priority ticket, every one for an ordinary ticket (answered by ix_tickets_queue)."""
    ahead = select(func.count()).where(*_waiting_in_queue())
    if priority:
        ahead = ahead.where(Ticket.__table__.c.priority.is_not(None))
    return ahead.scalar_subquery()


# The next number and the people ahead, in one round trip: issuing's turn is that much shorter.
_NUMBER_AND_AHEAD = {
    priority: bump_statement(_waiting_before_a_new_ticket(priority)) for priority in (True, False)
}
