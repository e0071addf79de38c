"""Reports with years of history: how long the report of a month and of a year takes, and whether
issuing and call-next slow down once the tables hold that history.

    .venv/bin/python -m bench.report_history --years 1            # SQLite, ~100,000 tickets
    .venv/bin/python -m bench.report_history --years 10           # ~1,000,000 tickets
    .venv/bin/python -m bench.report_history --years 1 --pg-url postgresql+psycopg://...

The history is written with bulk Core inserts (a year through the real operations would take
hours); its rows look like the operations' rows: every ticket called once or twice, most
finished, some no-shows, 400 a working day. Timings are taken in-process, as the page's view
calls the same function, several times each, median and worst reported.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from antrian import operations as ops
from antrian.db import Database
from antrian.models import Base, Call, Counter, Service, Staff, Ticket
from antrian.reports.periods import Period
from antrian.reports.tickets import ticket_report
from antrian.seed import add_staff, seed_catalogue

PER_DAY = 400


def working_days(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def fill_history(db: Database, days: list[date], seed: int = 1) -> int:
    rng = random.Random(seed)
    with db.write() as s:
        services = [sv.id for sv in s.scalars(select(Service))]
        counters = [c.id for c in s.scalars(select(Counter))]
        staff = s.scalar(select(Staff.id))
        next_id = (s.scalar(select(func.max(Ticket.id))) or 0) + 1
    first_id = next_id
    for day in days:
        tickets, calls = [], []
        opening = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 08:00 WIB
        numbers: dict[int, int] = {}
        for n in range(PER_DAY):
            sid = rng.choice(services)
            numbers[sid] = numbers.get(sid, 0) + 1
            issued = opening + timedelta(seconds=n * 60 + rng.randint(0, 59))
            called = issued + timedelta(minutes=rng.randint(1, 60))
            no_show = rng.random() < 0.05
            started = None if no_show else called + timedelta(minutes=1)
            finished = None if no_show else started + timedelta(minutes=rng.randint(3, 40))
            tickets.append(
                dict(
                    id=next_id, service_id=sid, issued_service_id=sid, service_day=day,
                    number=numbers[sid], code=f"X-{numbers[sid]:03d}",
                    priority="elderly" if rng.random() < 0.08 else None,
                    status="no_show" if no_show else "done", token=f"t{next_id}",
                    counter_id=rng.choice(counters), staff_id=staff, call_count=1,
                    issued_dt=issued, called_dt=called, started_dt=started,
                    finished_dt=finished, skipped_dt=called if no_show else None,
                )
            )  # fmt: skip
            calls.append(
                dict(ticket_id=next_id, counter_id=tickets[-1]["counter_id"], staff_id=staff,
                     kind="call", called_dt=called)
            )  # fmt: skip
            next_id += 1
        with db.engine.begin() as conn:
            conn.execute(insert(Ticket), tickets)
            conn.execute(insert(Call), calls)
    if db.is_postgres:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return next_id - first_id


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), max(runs)


def queue_latency(db: Database, day: date, count: int = 300) -> dict[str, float]:
    """In-process p99 of issuing and of call-next on `day` (after the history)."""
    now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    issue, call = [], []
    with db.write() as s:
        officer = s.scalar(select(Staff))
    for n in range(count):
        t0 = time.perf_counter()
        with db.write() as s:
            ops.issue_ticket(s, "ABCDE"[n % 5], None, None, now)
        issue.append((time.perf_counter() - t0) * 1000)
    for n in range(count):
        t0 = time.perf_counter()
        with db.write() as s:
            ops.call_next(s, 1 + n % 4, officer, now)
        call.append((time.perf_counter() - t0) * 1000)
    q = lambda xs: statistics.quantiles(xs, n=100)[98]  # noqa: E731
    return {"issue_p99_ms": round(q(issue), 2), "call_p99_ms": round(q(call), 2)}


def fresh_database(url: str | None, folder: Path) -> Database:
    db = Database(url or f"sqlite:///{folder / 'history.sqlite3'}")
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)
    with db.write() as s:
        seed_catalogue(s)
        add_staff(s, "bench", "Bench", "bench-pass-1", "admin", datetime.now(UTC))
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--pg-url", default=None, help="a PostgreSQL database it may wipe")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = fresh_database(args.pg_url, Path(folder))
        days = working_days(date(2026, 1, 5), int(250 * args.years))
        today = days[-1] + timedelta(days=1)
        empty = queue_latency(db, today - timedelta(days=400 * args.years + 30))
        t0 = time.perf_counter()
        made = fill_history(db, days)
        print(f"history: {made} tickets over {len(days)} days in {time.perf_counter() - t0:.0f} s")
        last = days[-1]
        month = Period("month", last.replace(day=1), last)
        year = Period("range", last - timedelta(days=364), last)
        for label, period in (("month", month), ("year", year)):

            def report(p=period):
                with db.read() as s:
                    ticket_report(s, p)

            med, worst = timed(report, args.repeat)
            print(f"report of a {label}: median {med:.0f} ms, worst {worst:.0f} ms")
        full = queue_latency(db, today)
        print(f"empty database:   {empty}")
        print(f"with the history: {full}")
        db.dispose()


if __name__ == "__main__":
    main()
