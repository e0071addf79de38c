"""The rows an issue writes: the ticket, the print job of its slip, and its event.

On PostgreSQL all three go in one statement (data-modifying WITHs). Every writer holds the
event-order lock from its first statement to its commit (antrian/events.py), and in a rush each
round trip inside it waits for a core: one statement instead of three is what lets 16 kiosks
on 4 workers issue as fast as the lock allows (README, *Benchmarks*). SQLite has no INSERT
inside WITH, and its writers take turns for the whole transaction anyway: there they are
separate statements.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, insert, literal, select

from antrian.events import INSERT_EVENT
from antrian.models import Event, PrintJob, Ticket

_tickets = Ticket.__table__
_jobs = PrintJob.__table__
_events = Event.__table__

TICKET_COLUMNS = (
    "service_id",
    "issued_service_id",
    "service_day",
    "number",
    "code",
    "priority",
    "status",
    "token",
    "idempotency_key",
    "checklist",
    "issued_dt",
    "lang",
)
JOB_COLUMNS = ("printer", "kind", "created_dt", "next_attempt_dt", "payload")
EVENT_COLUMNS = ("kind", "created_dt", "actor", "data")


def _in_one_statement(with_job: bool):
    """PostgreSQL: the ticket, its event and (`with_job`) its print job; returns the ticket's
    id. The event's columns are bound as `event_<column>` (a job has a kind and a time too)."""
    ticket = (
        insert(_tickets)
        .values({name: bindparam(name, type_=_tickets.c[name].type) for name in TICKET_COLUMNS})
        .returning(_tickets.c.id)
        .cte("ticket")
    )
    event_values = (
        bindparam(f"event_{name}", type_=_events.c[name].type) for name in EVENT_COLUMNS
    )
    event = insert(_events).from_select(
        ["ticket_id", *EVENT_COLUMNS], select(ticket.c.id, *event_values), include_defaults=False
    )
    if not with_job:
        return event.returning(_events.c.ticket_id)
    # A new job is pending, never tried, not a reprint (the model's defaults, which an INSERT
    # from a SELECT does not apply).
    job = select(
        ticket.c.id,
        literal("pending"),
        literal(0),
        literal(False),
        *(bindparam(name, type_=_jobs.c[name].type) for name in JOB_COLUMNS),
    )
    columns = ["ticket_id", "status", "attempts", "reprint", *JOB_COLUMNS]
    return (
        insert(_jobs)
        .from_select(columns, job, include_defaults=False)
        .returning(_jobs.c.ticket_id)
        .add_cte(event.cte("event"))
    )


# Built once: issuing runs them for every ticket.
_TICKET = insert(_tickets).returning(_tickets.c.id)
_JOB = insert(_jobs)
_IN_ONE_STATEMENT = {with_job: _in_one_statement(with_job) for with_job in (True, False)}


def insert_ticket(conn: Connection, ticket: dict, job: dict | None, event: dict) -> int:
    """Write a new ticket (TICKET_COLUMNS), its event (EVENT_COLUMNS) and, if given, its slip's
    print job (JOB_COLUMNS); the ticket's id. The caller holds the event-order lock."""
    if conn.dialect.name == "postgresql":
        params = {**ticket, **(job or {}), **{f"event_{k}": v for k, v in event.items()}}
        return conn.execute(_IN_ONE_STATEMENT[job is not None], params).scalar_one()
    ticket_id = conn.execute(_TICKET, ticket).scalar_one()
    if job is not None:
        conn.execute(_JOB, {**job, "ticket_id": ticket_id})
    conn.execute(INSERT_EVENT, {**event, "ticket_id": ticket_id, "counter_id": None})
    return ticket_id
