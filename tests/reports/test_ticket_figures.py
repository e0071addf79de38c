"""A small office day built by hand, and each figure of the queue report worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from antrian import operations as ops
from antrian.models import Ticket
from antrian.reports.periods import Period
from antrian.reports.tickets import ticket_report
from antrian.seed import add_staff

DAY = date(2026, 11, 26)  # a Thursday


def wib(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 11, 26, hours - 7, minutes, tzinfo=UTC)


def build_day(db) -> None:
    """08:00 A-001 … 10:00 A-004: see the comments for what each ticket went through."""
    with db.write() as s:
        siti = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", wib("07:30"))
        budi = add_staff(s, "budi", "Budi Santoso", "sandi-budi-1", "front_office", wib("07:30"))
        issue = lambda code, at, prio=None: ops.issue_ticket(s, code, prio, None, wib(at))  # noqa: E731
        a1 = issue("A", "08:00")
        a2 = issue("A", "08:05")
        # counter 1 (Siti), waited 10, served 08:12-08:27 = 15 minutes.
        assert ops.call_next(s, 1, siti, wib("08:10")).id == a1.id
        ops.start_service(s, a1.id, siti, wib("08:12"))
        c1 = issue("C", "08:20", "elderly")
        # C-001 (priority): counter 3 (Budi), waited 1, no "Mulai": 08:21-08:31 = 10 minutes.
        assert ops.call_next(s, 3, budi, wib("08:21")).id == c1.id
        ops.finish(s, a1.id, siti, wib("08:27"))
        # waited 25, did not come: a no-show.
        assert ops.call_next(s, 1, siti, wib("08:30")).id == a2.id
        ops.finish(s, c1.id, budi, wib("08:31"))
        ops.skip(s, a2.id, siti, wib("08:33"))
        b1 = issue("B", "09:05")
        # B-001: counter 2 (Budi), waited 10, recalled, served 09:18-09:48 = 30 minutes.
        assert ops.call_next(s, 2, budi, wib("09:15")).id == b1.id
        ops.recall(s, b1.id, budi, wib("09:17"))
        ops.start_service(s, b1.id, budi, wib("09:18"))
        a3 = issue("A", "09:30")
        # sent to service C while waiting; counter 3 (Budi), waited 20, 5 minutes.
        ops.transfer(s, a3.id, "C", budi, wib("09:40"))
        ops.finish(s, b1.id, budi, wib("09:48"))
        assert ops.call_next(s, 3, budi, wib("09:50")).id == a3.id
        ops.start_service(s, a3.id, budi, wib("09:50"))
        ops.finish(s, a3.id, budi, wib("09:55"))
        issue("A", "10:00")  # still waiting at the end of the day


def test_each_figure_of_a_hand_built_day(db):
    build_day(db)
    with db.read() as s:
        report = ticket_report(s, Period("day", DAY, DAY))

    office = report.office
    assert (office.issued, office.served, office.no_show, office.transferred) == (6, 4, 1, 1)
    assert office.priority == 1 and office.no_show_rate == round(1 / 6, 4)
    # waits [1, 10, 10, 20, 25]: median 10; p90 at rank 3.6 = 20 + 0.6 x 5
    assert (office.waiting.count, office.waiting.median, office.waiting.p90) == (5, 10, 23)
    # service [5, 10, 15, 30]: median 12.5; p90 at rank 2.7 = 15 + 0.7 x 15
    assert (office.service.count, office.service.median, office.service.p90) == (4, 12.5, 25.5)

    by_code = {row.key: row for row in report.services}
    a, b, c = by_code["A"], by_code["B"], by_code["C"]
    assert (a.issued, a.served, a.no_show, a.transferred, a.no_show_rate) == (4, 2, 1, 1, 0.25)
    assert (a.waiting.median, a.waiting.p90) == (20, 24)  # [10, 20, 25]
    assert (a.service.median, a.service.p90) == (10, 14)  # [5, 15]
    assert (b.issued, b.served, b.waiting.median, b.service.median) == (1, 1, 10, 30)
    assert (c.issued, c.served, c.priority, c.waiting.median, c.service.median) == (1, 1, 1, 1, 10)
    assert by_code["D"].issued == 0 and by_code["D"].waiting.median is None

    officers = {row.key: row for row in report.officers}
    assert officers["siti"].served == 1 and officers["siti"].service.median == 15
    assert officers["budi"].served == 3
    assert (officers["budi"].service.median, officers["budi"].service.p90) == (10, 26)  # [5,10,30]
    assert [row.key for row in report.officers] == ["budi", "siti"]

    counters = {
        row.key: (row.served, row.service.median, row.service.p90) for row in report.counters
    }
    assert counters == {"1": (1, 15, 15), "2": (1, 30, 30), "3": (2, 7.5, 9.5)}

    assert report.hours == {3: {8: 3, 9: 2, 10: 1}}  # Thursday


def test_a_period_without_tickets_has_zeros_not_errors(db):
    with db.read() as s:
        report = ticket_report(s, Period("day", DAY, DAY))
    assert report.office.issued == 0 and report.office.no_show_rate is None
    assert report.office.waiting.median is None and report.hours == {}


def test_a_ticket_keeps_its_first_call_for_the_waiting_time(db):
    """Recalled, skipped, back and called again: the wait runs from issue to the first call."""
    with db.write() as s:
        siti = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", wib("07:30"))
        a1 = ops.issue_ticket(s, "A", None, None, wib("08:00"))
        ops.call_next(s, 1, siti, wib("08:10"))
        ops.recall(s, a1.id, siti, wib("08:12"))
        ops.skip(s, a1.id, siti, wib("08:14"))
        ops.reactivate(s, a1.id, siti, wib("08:20"))
        ops.call_next(s, 1, siti, wib("08:30"))
    with db.read() as s:
        ticket = s.get(Ticket, a1.id)
        assert (ticket.first_called_dt, ticket.called_dt) == (wib("08:10"), wib("08:30"))
        report = ticket_report(s, Period("day", DAY, DAY))
    assert (report.office.waiting.count, report.office.waiting.median) == (1, 10)
