"""A seeded stretch of demo days: the report's figures (computed in SQL) equal the same figures
worked out independently, row by row in Python, from the tickets and calls."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import select

from antrian import clock
from antrian.demo import generate
from antrian.models import Call, Ticket
from antrian.reports.periods import Period
from antrian.reports.tickets import ticket_report

FROM, TO = date(2026, 11, 25), date(2026, 11, 27)


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (k - lo), 1)


def _minutes(later, earlier) -> float:
    return (clock.as_utc(later) - clock.as_utc(earlier)).total_seconds() / 60


def test_demo_days_by_sql_equal_the_same_days_worked_out_row_by_row(db):
    generate(db, 3, TO, seed=11)
    with db.read() as s:
        report = ticket_report(s, Period("range", FROM, TO))
        tickets = s.scalars(select(Ticket)).all()
        first_call = {}
        for call in s.scalars(select(Call).order_by(Call.called_dt)):
            first_call.setdefault(call.ticket_id, call.called_dt)
        codes = {t.issued_service_id: t.issued_service.code for t in tickets}

    issued, served, no_show = Counter(), Counter(), Counter()
    waits, serves = defaultdict(list), defaultdict(list)
    by_staff = defaultdict(list)
    hours = Counter()
    for t in tickets:
        code = codes[t.issued_service_id]
        issued[code] += 1
        no_show[code] += t.status == "no_show"
        local = clock.local(t.issued_dt)
        hours[(local.weekday(), local.hour)] += 1
        if t.id in first_call:
            waits[code].append(_minutes(first_call[t.id], t.issued_dt))
        if t.status == "done":
            served[code] += 1
            minutes = _minutes(t.finished_dt, t.started_dt or t.called_dt)
            serves[code].append(minutes)
            by_staff[t.staff_id].append(minutes)

    assert report.office.issued == len(tickets) > 150
    for row in report.services:
        code = row.key
        assert (row.issued, row.served, row.no_show) == (issued[code], served[code], no_show[code])
        assert row.waiting.median == _pct(waits[code], 50), code
        assert row.waiting.p90 == _pct(waits[code], 90), code
        assert row.service.median == _pct(serves[code], 50), code
        assert row.service.p90 == _pct(serves[code], 90), code
    every_wait = [m for ms in waits.values() for m in ms]
    assert report.office.waiting.p90 == _pct(every_wait, 90)
    assert sorted(r.served for r in report.officers) == sorted(len(v) for v in by_staff.values())
    assert {(d, h): n for d, row in report.hours.items() for h, n in row.items()} == dict(hours)
