"""Issuing tickets and telling a walk-in where they stand."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from antrian.catalogue import PRIORITY_REASONS
from antrian.clock import service_day
from antrian.events import record_event
from antrian.models import Counter, DailyCounter, PrintJob, Service, Ticket, counter_services
from antrian.operations.errors import Invalid, NotFound

SERVICE_CODE = re.compile(r"[A-Za-z]{1,8}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")


def find_service(session: Session, code: str) -> Service:
    if not isinstance(code, str) or not SERVICE_CODE.fullmatch(code):
        raise NotFound(f"Layanan '{code}' tidak dikenal.", code="unknown_service")
    service = session.scalar(select(Service).where(Service.code == code.upper()))
    if service is None or not service.active:
        raise NotFound(f"Layanan '{code}' tidak dikenal.", code="unknown_service")
    return service


def _next_number(session: Session, service_id: int, day) -> int:
    """Bump the (service, day) counter row in one statement; the row lock serialises issuers."""
    bump = (
        update(DailyCounter)
        .where(DailyCounter.service_id == service_id, DailyCounter.service_day == day)
        .values(last_number=DailyCounter.last_number + 1)
        .returning(DailyCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    number = session.execute(bump).scalar()
    if number is not None:
        return number
    # First ticket of the day: create the row; a concurrent creator makes this a no-op.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(DailyCounter)
        .values(service_id=service_id, service_day=day, last_number=0)
        .on_conflict_do_nothing()
    )
    return session.execute(bump).scalar_one()


def issue_ticket(
    session: Session,
    service_code: str | Service,
    priority: str | None,
    checklist: dict[str, Any] | None,
    now: datetime,
    *,
    actor: str = "kiosk",
    public_base: str = "",
    idempotency_key: str | None = None,
    print_on: str | None = "kiosk",
) -> Ticket:
    """Give the next number of today for a service, and queue its printout, in one transaction."""
    if priority is not None and priority not in PRIORITY_REASONS:
        raise Invalid(
            "Alasan prioritas tidak dikenal. Pilih: disabilitas, lansia, ibu hamil, "
            "atau membawa anak kecil.",
            code="bad_priority",
        )
    idempotency_key = (idempotency_key or "").strip()[:80] or None
    if idempotency_key:
        if session.get_bind().dialect.name == "postgresql":
            # Two taps with one key wait for each other here instead of racing to the insert.
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(idempotency_key))))
        existing = session.scalar(select(Ticket).where(Ticket.idempotency_key == idempotency_key))
        if existing is not None:
            existing.replayed = True  # not a column: tells the API to answer 200, not 201
            return existing
    if isinstance(service_code, Service):
        # Looked up beforehand, outside the write transaction: attach it without a query.
        service = session.merge(service_code, load=False)
    else:
        service = find_service(session, service_code)
    day = service_day(now)
    number = _next_number(session, service.id, day)
    ticket = Ticket(
        service=service,  # set, not looked up again when the caller reads ticket.service
        issued_service=service,
        service_day=day,
        number=number,
        code=f"{service.prefix}-{number:03d}",
        priority=priority,
        status="waiting",
        token=secrets.token_urlsafe(16),
        idempotency_key=idempotency_key or None,
        checklist=checklist or None,
        queue_dt=now,
        issued_dt=now,
    )
    session.add(ticket)
    session.flush()
    ahead = people_ahead(session, ticket)
    ticket.ahead_at_issue = ahead  # not a column: spares the caller a second count
    record_event(
        session,
        "ticket.issued",
        now,
        actor,
        ticket_id=ticket.id,
        code=ticket.code,
        service=service.code,
        priority=bool(priority),
        waiting=ahead + 1,
    )
    if print_on:
        session.add(
            PrintJob(
                printer=print_on,
                kind="ticket",
                ticket_id=ticket.id,
                created_dt=now,
                next_attempt_dt=now,
                payload=ticket_slip_payload(ticket, service, ahead, public_base),
            )
        )
        session.info["print_jobs_written"] = True
    return ticket


def status_url(public_base: str, token: str) -> str:
    return f"{public_base.rstrip('/')}/t/{token}"


def ticket_slip_payload(ticket: Ticket, service: Service, ahead: int, public_base: str) -> dict:
    return {
        "code": ticket.code,
        "service_name": service.name_id,
        "issued_at": ticket.issued_dt.isoformat(),
        "people_ahead": ahead,
        "status_url": status_url(public_base, ticket.token),
        "prepare_line": service.prepare_id,
        "priority_label": PRIORITY_REASONS[ticket.priority][0] if ticket.priority else None,
    }


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same service that will be called first (priority, then issue order).

    Two counts that the index ix_tickets_queue answers alone (SQLite keeps the row id in every
    index), instead of one OR that would visit every waiting row of the day.
    """
    if ticket.status != "waiting":
        return 0
    same_queue = (
        Ticket.service_day == ticket.service_day,
        Ticket.service_id == ticket.service_id,
        Ticket.status == "waiting",
    )
    priority_ahead = select(func.count()).where(*same_queue, Ticket.priority.is_not(None))
    if ticket.priority:
        return session.scalar(priority_ahead.where(Ticket.id < ticket.id)) or 0
    ordinary_ahead = select(func.count()).where(
        *same_queue, Ticket.priority.is_(None), Ticket.id < ticket.id
    )
    return (session.scalar(priority_ahead) or 0) + (session.scalar(ordinary_ahead) or 0)


def estimated_wait_minutes(session: Session, ticket: Ticket, ahead: int) -> int:
    """People ahead x the service's minutes per ticket, shared by the counters serving it."""
    if ahead == 0:
        return 0
    counters = (
        session.scalar(
            select(func.count(Counter.id))
            .join(counter_services, counter_services.c.counter_id == Counter.id)
            .where(counter_services.c.service_id == ticket.service_id, Counter.active.is_(True))
        )
        or 1
    )
    minutes = ticket.service.minutes_per_ticket
    return -(-ahead * minutes // counters)  # ceiling


def find_ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = None
    if TOKEN.fullmatch(token or ""):
        ticket = session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        raise NotFound("Tiket tidak ditemukan.", code="unknown_ticket")
    return ticket
