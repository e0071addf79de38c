"""`antrian demo`: reproducible, believable office days made through the real operations."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from antrian import clock
from antrian.demo import generate
from antrian.models import Ticket
from antrian.reports.periods import Period
from antrian.reports.tickets import ticket_report

FRIDAY = date(2026, 11, 27)


def _tickets(db) -> list[tuple]:
    with db.read() as s:
        return [
            (t.service_day, t.code, t.status, t.priority, t.issued_dt, t.finished_dt)
            for t in s.scalars(select(Ticket).order_by(Ticket.id))
        ]


def test_the_same_seed_makes_the_same_office_and_another_seed_another(tmp_path):
    from antrian.db import Database
    from antrian.models import Base
    from antrian.seed import seed_catalogue

    def office(name: str, seed: int) -> list[tuple]:
        db = Database(f"sqlite:///{tmp_path / name}")
        Base.metadata.create_all(db.engine)
        with db.write() as s:
            seed_catalogue(s)
        generate(db, 2, FRIDAY, seed)
        rows = _tickets(db)
        db.dispose()
        return rows

    first, again, other = office("a.db", 7), office("b.db", 7), office("c.db", 8)
    assert first == again and first != other


def test_demo_days_look_like_an_office(sqlite_db):
    made = generate(sqlite_db, 3, FRIDAY, seed=3)
    assert made["days"] == 3
    rows = _tickets(sqlite_db)
    assert len(rows) == made["tickets"] > 150
    assert {r[0] for r in rows} == {date(2026, 11, 25), date(2026, 11, 26), FRIDAY}
    hours = Counter(clock.local(r[4]).hour for r in rows)
    assert min(hours) >= 8 and max(hours) <= 14 and hours[12] == 0  # office hours, midday break
    assert hours[9] + hours[10] > hours[8] + hours[11]  # the mid-morning peak
    assert hours[13] + hours[14] > hours[11]  # and the one after the midday break
    statuses = Counter(r[2] for r in rows)
    assert statuses["no_show"] > 0 and statuses["done"] > 0.8 * len(rows)
    with sqlite_db.read() as s:
        report = ticket_report(s, Period("range", date(2026, 11, 25), FRIDAY))
    assert report.office.issued == len(rows) and report.office.priority > 0
    by_code = {r.key: r for r in report.services}
    assert by_code["A"].issued > by_code["D"].issued  # IUMK is the office's main work
    assert 5 < by_code["A"].service.median < 30
