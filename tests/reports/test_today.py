"""The supervisor's live view of today, from a few tickets moved by hand."""

from __future__ import annotations

from .test_ticket_figures import build_day, wib


def test_today_at_ten_past_ten(db):
    from antrian.reports.today import today_view

    build_day(db)  # ends with A-004 waiting since 10:00; every counter free
    with db.read() as s:
        view = today_view(s, wib("10:10"))
    assert view["waiting"] == 1 and view["longest_wait_minutes"] == 10
    a = next(s for s in view["services"] if s.code == "A")
    assert (a.waiting, a.priority_waiting, a.issued, a.served) == (1, 0, 4, 2)
    assert view["open_counters"] == 0
    three = next(c for c in view["counters"] if c.number == 3)
    assert (three.status, three.minutes) == ("idle", 15)  # A-003 ended at 09:55


def test_a_counter_serving_shows_the_code_the_officer_and_for_how_long(db):
    from antrian import operations as ops
    from antrian.models import Staff
    from antrian.reports.today import today_view

    build_day(db)
    with db.write() as s:
        siti = s.query(Staff).filter_by(username="siti").one()
        ticket = ops.call_next(s, 2, siti, wib("10:12"))
        ops.start_service(s, ticket.id, siti, wib("10:13"))
    with db.read() as s:
        view = today_view(s, wib("10:20"))
    two = next(c for c in view["counters"] if c.number == 2)
    assert (two.status, two.code, two.officer, two.minutes) == (
        "serving",
        "A-004",
        "Siti Aminah",
        7,
    )
    assert view["waiting"] == 0 and view["longest_wait_minutes"] is None
    assert view["open_counters"] == 1
