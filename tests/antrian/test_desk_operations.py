"""The desk's operations beyond call-next: a ticket called out of order with its reason, a
counter closed for a while, the waiting list as the desk shows it. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.models import Event, Ticket
from antrian.operations.queries import queue_state, waiting_at
from antrian.seed import add_staff

CHECKLIST = {"applicant_type": "badan", "email": True, "nik": True, "akta": False, "npwp": True}


@pytest.fixture
def staff(db, now):
    with db.write() as s:
        return add_staff(s, "siti", "Siti Aminah", "rahasia-123", "front_office", now)


def issue(db, now, service="A", checklist=None):
    with db.write() as s:
        return ops.issue_ticket(s, service, None, checklist, now, print_on=None).id


def codes_waiting(db, now, counter=1):
    with db.read() as s:
        found = ops.calls.find_counter(s, counter)
        return [w.ticket.code for w in waiting_at(s, found, now)]


def test_a_ticket_called_out_of_order_keeps_the_reason_in_the_log(db, now, staff):
    issue(db, now)
    second = issue(db, now)
    with db.write() as s:
        called = ops.call_ticket(s, 1, second, "  kembali membawa\nakta ", staff, now)
        assert called.code == "A-002" and called.status == "called"
    with db.read() as s:
        event = s.scalars(select(Event).where(Event.kind == "ticket.called")).one()
    assert event.data["reason"] == "kembali membawa akta" and event.data["out_of_order"] is True
    assert event.actor == "staff:siti"
    assert codes_waiting(db, now) == ["A-001"]
    # Call next goes on in order, finishing the out-of-order ticket first.
    with db.write() as s:
        assert ops.call_next(s, 1, staff, now).code == "A-001"
    with db.read() as s:
        assert s.get(Ticket, second).status == "done"


def test_out_of_order_needs_a_reason_and_a_ticket_still_waiting_here(db, now, staff):
    first = issue(db, now)
    other = issue(db, now, "C")
    with pytest.raises(ops.Invalid, match="alasan"), db.write() as s:
        ops.call_ticket(s, 1, first, "  ", staff, now)
    with pytest.raises(ops.Invalid, match="200"), db.write() as s:
        ops.call_ticket(s, 1, first, "x" * 201, staff, now)
    with db.write() as s:
        ops.call_ticket(s, 2, first, "janji temu", staff, now)
    # Already called at counter 2: counter 1 gets nothing and keeps nothing.
    with pytest.raises(ops.Conflict, match="tidak lagi menunggu"), db.write() as s:
        ops.call_ticket(s, 1, first, "janji temu", staff, now)
    with db.write() as s:
        counter = ops.calls.find_counter(s, 3)
        counter.services = [sv for sv in counter.services if sv.code != "C"]
    with pytest.raises(ops.Conflict, match="bukan layanan loket ini"), db.write() as s:
        ops.call_ticket(s, 3, other, "janji temu", staff, now)
    assert codes_waiting(db, now, 1) == ["C-001"]


def test_a_paused_counter_gets_no_call_and_the_board_shows_it_closed(db, now, staff):
    issue(db, now)
    with db.write() as s:
        ops.pause_counter(s, 2, "salat", staff, now)
    for call in (
        lambda s: ops.call_next(s, 2, staff, now),
        lambda s: ops.call_ticket(s, 2, 1, "janji temu", staff, now),
    ):
        with pytest.raises(ops.Conflict, match="ditutup \\(Salat\\)"), db.write() as s:
            call(s)
    with db.read() as s:
        board = {c["number"]: c for c in queue_state(s, now)["counters"]}
    assert board[2]["status"] == "paused" and board[2]["paused"] == "Salat"
    assert board[1]["paused"] is None
    with db.write() as s:
        ops.resume_counter(s, 2, staff, now + timedelta(minutes=17))
        assert ops.call_next(s, 2, staff, now + timedelta(minutes=17)).code == "A-001"
    with db.read() as s:
        kinds = [
            (e.kind, e.data.get("reason")) for e in s.scalars(select(Event).order_by(Event.id))
        ]
        resumed = s.scalars(select(Event).where(Event.kind == "counter.resumed")).one()
    assert ("counter.paused", "salat") in kinds and resumed.data["minutes"] == 17


def test_pause_needs_a_known_reason_and_a_free_counter(db, now, staff):
    issue(db, now)
    with pytest.raises(ops.Invalid, match="Istirahat, Salat, Rapat"), db.write() as s:
        ops.pause_counter(s, 1, "ngopi", staff, now)
    with db.write() as s:
        ops.call_next(s, 1, staff, now)
    with pytest.raises(ops.Conflict, match="A-001 dulu"), db.write() as s:
        ops.pause_counter(s, 1, "rapat", staff, now)
    with pytest.raises(ops.Conflict, match="sudah buka"), db.write() as s:
        ops.resume_counter(s, 1, staff, now)
    with db.write() as s:
        ops.pause_counter(s, 2, "rapat", staff, now)
    with pytest.raises(ops.Conflict, match="sudah ditutup"), db.write() as s:
        ops.pause_counter(s, 2, "rapat", staff, now)


def test_the_waiting_list_holds_every_ticket_with_its_wait_and_answers(db, now):
    for i in range(45):
        issue(db, now + timedelta(minutes=i), "A", CHECKLIST if i == 0 else None)
    later = now + timedelta(minutes=80)
    with db.read() as s:
        waiting = waiting_at(s, ops.calls.find_counter(s, 1), later)
    assert len(waiting) == 45
    assert [w.waited_minutes for w in waiting[:2]] == [80, 79]
    assert waiting[0].checklist == [
        ("E-mail", True),
        ("NIK", True),
        ("Akta", False),
        ("NPWP", True),
    ]
    assert waiting[1].checklist == []
