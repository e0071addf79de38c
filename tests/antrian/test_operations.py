from datetime import timedelta

import pytest

from antrian import operations as ops
from antrian.models import Event, PrintJob, Ticket
from antrian.operations.queries import queue_state
from antrian.seed import add_staff


@pytest.fixture
def staff(db, now):
    with db.write() as s:
        return add_staff(s, "siti", "Siti Aminah", "rahasia-123", "front_office", now)


def issue(db, now, service="A", priority=None):
    with db.write() as s:
        t = ops.issue_ticket(s, service, priority, None, now, public_base="http://kantor")
        return t.id, t.code


def test_numbers_count_up_per_service_and_restart_at_local_midnight(db, now):
    assert issue(db, now)[1] == "A-001"
    assert issue(db, now)[1] == "A-002"
    assert issue(db, now, "B")[1] == "B-001"
    # 23:59 WIB is still the same day; 00:00 WIB (17:00 UTC) starts a new one.
    late = now.replace(hour=16, minute=59)
    assert issue(db, late)[1] == "A-003"
    assert issue(db, late + timedelta(minutes=1))[1] == "A-001"


def test_issue_writes_event_and_print_job_in_the_same_transaction(db, now):
    tid, code = issue(db, now)
    with db.read() as s:
        ev = s.query(Event).filter_by(ticket_id=tid).one()
        job = s.query(PrintJob).filter_by(ticket_id=tid).one()
    assert ev.kind == "ticket.issued" and ev.data["code"] == code
    assert job.status == "pending" and job.payload["code"] == code
    assert job.payload["status_url"].startswith("http://kantor/t/")


def test_unknown_service_and_bad_priority_are_clear_errors(db, now):
    with pytest.raises(ops.NotFound, match="tidak dikenal"), db.write() as s:
        ops.issue_ticket(s, "Z", None, None, now)
    with pytest.raises(ops.Invalid, match="prioritas"), db.write() as s:
        ops.issue_ticket(s, "A", "vip", None, now)


def test_priority_is_called_first_then_first_come_first_served(db, now, staff):
    issue(db, now)
    issue(db, now + timedelta(minutes=1), "B")  # B-001
    issue(db, now + timedelta(minutes=2), "A", "elderly")  # A-003? no: A-002 elderly
    order = []
    for i in range(3):
        with db.write() as s:
            order.append(ops.call_next(s, 1, staff, now + timedelta(minutes=10 + i)).code)
    assert order == ["A-002", "A-001", "B-001"]


def test_people_ahead_counts_priority_first(db, now):
    issue(db, now)
    issue(db, now + timedelta(seconds=1))
    tid, _ = issue(db, now + timedelta(seconds=2), "A", "pregnant")
    with db.read() as s:
        assert ops.people_ahead(s, s.get(Ticket, tid)) == 0
        last = s.query(Ticket).filter_by(code="A-002").one()
        assert ops.people_ahead(s, last) == 2


def test_call_next_on_empty_queue_is_409(db, now, staff):
    with pytest.raises(ops.Conflict) as err, db.write() as s:
        ops.call_next(s, 1, staff, now)
    assert err.value.status == 409 and "Tidak ada antrean" in err.value.message


def test_full_cycle_recall_skip_reactivate_start_finish(db, now, staff):
    tid, _ = issue(db, now)
    issue(db, now)
    t = now + timedelta(minutes=5)
    with db.write() as s:
        assert ops.call_next(s, 2, staff, t).id == tid
    with db.write() as s:
        assert ops.recall(s, tid, staff, t).call_count == 2
    with db.write() as s:
        assert ops.skip(s, tid, staff, t).status == "no_show"
    with db.write() as s:
        assert ops.reactivate(s, tid, staff, t).status == "waiting"
    with db.write() as s:
        # The reactivated ticket kept its place by issue time, so it comes first again.
        assert ops.call_next(s, 2, staff, t).id == tid
        ops.start_service(s, tid, staff, t)
    with db.write() as s:
        done = ops.finish(s, tid, staff, t + timedelta(minutes=15))
        assert done.status == "done" and done.started_dt is not None
    with db.read() as s:
        kinds = [e.kind for e in s.query(Event).filter_by(ticket_id=tid).order_by(Event.id)]
    assert kinds == [
        "ticket.issued",
        "ticket.called",
        "ticket.recalled",
        "ticket.skipped",
        "ticket.reactivated",
        "ticket.called",
        "ticket.started",
        "ticket.finished",
    ]


def test_wrong_status_is_a_conflict(db, now, staff):
    tid, _ = issue(db, now)
    with pytest.raises(ops.Conflict, match="tidak dapat"), db.write() as s:
        ops.finish(s, tid, staff, now)


def test_call_next_finishes_the_previous_ticket(db, now, staff):
    first, _ = issue(db, now)
    issue(db, now)
    with db.write() as s:
        ops.call_next(s, 1, staff, now)
    with db.write() as s:
        ops.call_next(s, 1, staff, now)
    with db.read() as s:
        assert s.get(Ticket, first).status == "done"


def test_transfer_keeps_code_and_place_by_issue_time(db, now, staff):
    a1, _ = issue(db, now)  # A-001 at 09:00
    issue(db, now + timedelta(minutes=1), "B")  # B-001 at 09:01
    with db.write() as s:
        ops.call_next(s, 1, staff, now + timedelta(minutes=2))
        moved = ops.transfer(s, a1, "B", staff, now + timedelta(minutes=3))
        assert (moved.code, moved.status, moved.service.code) == ("A-001", "waiting", "B")
    with db.write() as s:
        # A-001 was issued before B-001, so it is called first in B's queue.
        assert ops.call_next(s, 3, staff, now + timedelta(minutes=4)).code == "A-001"


def test_queue_state_shows_counters_and_calls_without_personal_data(db, now, staff):
    issue(db, now)
    issue(db, now, "C")
    with db.write() as s:
        ops.call_next(s, 3, staff, now)
    with db.read() as s:
        state = queue_state(s, now)
    loket3 = next(c for c in state["counters"] if c["number"] == 3)
    assert loket3["serving"] == "A-001"
    assert {x["code"]: x["waiting"] for x in state["services"]}["C"] == 1
    assert state["last_calls"][0] == {
        "code": "A-001",
        "counter": 3,
        "kind": "call",
        "called_at": "09:00",
    }


def test_issue_order_not_clock_order_decides_the_queue(db, now, staff):
    # Under load a request can read the clock, then wait for the write lock while a later
    # request overtakes it: its number is higher but its time earlier. Numbers decide.
    issue(db, now + timedelta(seconds=2))  # A-001, clock read late
    issue(db, now)  # A-002, clock read early
    with db.write() as s:
        assert ops.call_next(s, 1, staff, now + timedelta(minutes=1)).code == "A-001"


def test_yesterdays_unfinished_ticket_is_not_todays_current(db, now, staff):
    issue(db, now)
    with db.write() as s:
        ops.call_next(s, 1, staff, now)
    tomorrow = now + timedelta(days=1)
    issue(db, tomorrow)
    with db.write() as s:
        from antrian.operations.calls import find_counter

        assert ops.current_ticket(s, find_counter(s, 1), tomorrow) is None
        called = ops.call_next(s, 1, staff, tomorrow)
    with db.read() as s:
        old = s.query(Ticket).filter_by(service_day=now.date()).one()
    assert called.code == "A-001" and old.status == "called"  # left for the day's report
