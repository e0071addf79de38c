"""Statements run on the driver's cursor store exactly what the ORM reads back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from antrian import operations as ops
from antrian.clock import service_day
from antrian.models import Event, PrintJob, Ticket
from antrian.prepared import Prepared


def test_an_issued_ticket_reads_back_whole_through_the_orm(db, now):
    checklist = {"email": True, "nik": True, "akta": None, "catatan": "NPWP baru, \u00e9t\u00e9"}
    with db.write() as s:
        issued = ops.issue_ticket(
            s, "A", "elderly", checklist, now, public_base="http://kantor", idempotency_key="k-1"
        )
    with db.read() as s:
        ticket = s.get(Ticket, issued.id)
        job = s.query(PrintJob).filter_by(ticket_id=issued.id).one()
        event = s.query(Event).filter_by(ticket_id=issued.id).one()
        # Queries by the stored values find them: dates and times are stored as the ORM does.
        assert s.query(Ticket).filter(Ticket.issued_dt == now).count() == 1
        assert s.query(Ticket).filter(Ticket.service_day == service_day(now)).count() == 1
        assert s.query(PrintJob).filter(PrintJob.next_attempt_dt <= now).count() == 1
    assert ticket.issued_dt == now and ticket.queue_dt == now
    assert isinstance(ticket.service_day, date) and ticket.service_day == service_day(now)
    assert ticket.checklist == checklist
    assert (ticket.code, ticket.number, ticket.priority, ticket.status) == (
        "A-001",
        1,
        "elderly",
        "waiting",
    )
    assert ticket.call_count == 0 and ticket.idempotency_key == "k-1"
    assert job.status == "pending" and job.attempts == 0 and job.created_dt == now
    assert job.payload["code"] == "A-001" and job.payload["people_ahead"] == 0
    assert event.created_dt == now and event.data["priority"] is True and event.actor == "kiosk"


def test_a_later_ticket_sees_the_earlier_ones_ahead(db, now):
    with db.write() as s:
        for _ in range(3):
            ops.issue_ticket(s, "B", None, None, now)
        late = ops.issue_ticket(s, "B", None, None, now + timedelta(minutes=1))
        first_priority = ops.issue_ticket(s, "B", "pregnant", None, now + timedelta(minutes=2))
    assert (late.ahead, late.code) == (3, "B-004")
    assert first_priority.ahead == 0  # priority tickets go before ordinary ones


def test_constant_defaults_are_filled_in_and_a_computed_one_must_be_passed(sqlite_db):
    table = Table(
        "notes",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("text", String),
        Column("state", String, default="new"),  # constant: filled in
        Column("stamp", String, default=lambda: "computed"),  # needs SQLAlchemy's context
    )
    with sqlite_db.engine.begin() as conn:
        table.create(conn)
        Prepared(insert(table), keys=["text", "stamp"]).execute(conn, {"text": "a", "stamp": "s"})
        assert conn.execute(select(table.c.text, table.c.state, table.c.stamp)).all() == [
            ("a", "new", "s")
        ]
        with pytest.raises(ValueError, match="stamp: a computed default"):
            Prepared(insert(table), keys=["text"]).execute(conn, {"text": "b"})
