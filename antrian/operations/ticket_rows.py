"""The rows an issue writes: the ticket, and the print job of its slip.

On PostgreSQL both go in one statement (a data-modifying WITH). Issuers of one queue wait for
each other from their number to their commit (`_take_turn_in_queue`), and in a rush each round
trip inside that turn waits for a core: one fewer gave ~10 % more tickets a second at 16
kiosks (README, *Benchmarks*). SQLite has no INSERT inside WITH, and its writers take turns
for the whole transaction anyway: there they are two statements.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, insert, literal, select

from antrian.models import PrintJob, Ticket

_tickets = Ticket.__table__
_jobs = PrintJob.__table__

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


def _ticket_and_its_job():
    ticket = (
        insert(_tickets)
        .values({name: bindparam(name, type_=_tickets.c[name].type) for name in TICKET_COLUMNS})
        .returning(_tickets.c.id)
        .cte("ticket")
    )
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
        insert(_jobs).from_select(columns, job, include_defaults=False).returning(_jobs.c.ticket_id)
    )


# Built once: issuing runs them for every ticket.
_TICKET = insert(_tickets).returning(_tickets.c.id)
_JOB = insert(_jobs)
_TICKET_AND_ITS_JOB = _ticket_and_its_job()


def insert_ticket(conn: Connection, ticket: dict, job: dict | None) -> int:
    """Write a new ticket (TICKET_COLUMNS) and, if given, its slip's print job (JOB_COLUMNS);
    the ticket's id."""
    if job is None:
        return conn.execute(_TICKET, ticket).scalar_one()
    if conn.dialect.name == "postgresql":
        return conn.execute(_TICKET_AND_ITS_JOB, {**ticket, **job}).scalar_one()
    ticket_id = conn.execute(_TICKET, ticket).scalar_one()
    conn.execute(_JOB, {**job, "ticket_id": ticket_id})
    return ticket_id
