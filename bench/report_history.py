"""Reports with years of history (issue #12): how long every report page takes for a month and
for a year, and whether issuing and call-next slow down once the tables hold that history.

    .venv/bin/python -m bench.report_history --years 1                 # SQLite, ~100,000 tickets
    .venv/bin/python -m bench.report_history --years 10 --keep /tmp/h  # ~1,000,000; kept for reuse
    .venv/bin/python -m bench.report_history --years 1 --pg-url postgresql+psycopg://...

The history is written by bench/history.py (bulk inserts shaped like the operations' rows) and
ends yesterday, so "today", this month and the last 365 days are the machine's own. Pages are
fetched through the app (Flask's test client, logged in as a supervisor): the HTML, a CSV and an
XLSX download, every /api/v1/reports/* answer, and the live view of today. Each is taken
`--repeat` times; the median, the worst and the median CPU time of this process are printed
(the CPU time is what the machine's other load does not inflate).

Issuing and call-next run in-process on the history database and on an empty one, in alternating
rounds (A B B A ...) on the same fresh day of both, so that load from other programs falls on
both alike; p50 and p99 of the wall time and of this thread's CPU time.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from antrian import operations as ops
from antrian.cases.kbli import seed_kbli
from antrian.clock import service_day
from antrian.db import Database
from antrian.models import Base, Staff, Ticket
from antrian.seed import add_staff, seed_catalogue
from bench.history import History, working_days

PASSWORD = "bench-pass-1"


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(db: Database) -> None:
    Base.metadata.create_all(db.engine)
    with db.write() as s:
        seed_catalogue(s)
        seed_kbli(s)
        if s.scalar(select(Staff).where(Staff.username == "bench")) is None:
            add_staff(s, "bench", "Bench", PASSWORD, "supervisor", datetime.now(UTC))


def build(db: Database, years: float, today: date) -> None:
    """Working days of history ending yesterday, unless the database already holds them."""
    with db.read() as s:
        if s.scalar(select(func.count()).select_from(Ticket)) > 1000:
            print(f"history: reused ({s.scalar(select(func.max(Ticket.id)))} tickets)")
            return
    count = int(250 * years)
    first = today - timedelta(days=int(count * 7 / 5) + 7)
    days = [d for d in working_days(first, count + 10) if d < today][-count:]
    t0 = time.perf_counter()
    made = History(db).fill(days)
    print(f"history: {days[0]} to {days[-1]}, {dict(made)} in {time.perf_counter() - t0:.0f} s")
    if db.is_postgres:
        with db.engine.begin() as conn:  # the rows came with their ids; the sequences follow
            for table in ("tickets", "cases"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))  # fmt: skip
        with db.engine.connect() as conn:  # VACUUM runs outside a transaction
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def settle(db: Database) -> None:
    """SQLite: the bulk load's pages go from the WAL into the file, as the app's checkpointer
    does within a second; a benchmark that started with a 100 MB WAL would time its reading."""
    if not db.is_postgres:
        raw = db.engine.raw_connection()  # the driver connection runs in autocommit mode
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def databases(args, folder: Path) -> tuple[Database, Database]:
    if args.pg_url:
        from bench.postgres import PostgresCluster

        cluster = PostgresCluster(url=args.pg_url, owned=False)
        history = args.pg_history_url or cluster.new_database()
        return Database(history), Database(cluster.new_database())
    keep = Path(args.keep) if args.keep else folder
    keep.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty.sqlite3"
    empty.unlink(missing_ok=True)
    return (
        Database(f"sqlite:///{keep / f'history-{args.years:g}y.sqlite3'}"),
        Database(f"sqlite:///{empty}"),
    )


def client_for(db: Database, folder: Path):
    from antrian import create_app
    from antrian.config import load_settings

    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(folder / "instance")}).with_(
        database_url=db.url, issue_rate_limit="off", start_background=False
    )
    app = create_app(settings)
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": "bench", "password": PASSWORD, "csrf_token": csrf}
    assert client.post("/staff/login", data=form).status_code == 303, "login failed"
    return app, client


def pages(today: date) -> list[tuple[str, str, dict]]:
    yesterday = today - timedelta(days=1)
    month = {"month": today.strftime("%Y-%m")}
    year = {"from": (yesterday - timedelta(days=364)).isoformat(), "to": yesterday.isoformat()}
    found = [("today", "/staff/laporan/hari-ini", {})]
    for label, period in (("month", month), ("year", year)):
        found += [
            (label, "/staff/laporan/", period),
            (label, "/staff/laporan/unduh/layanan.csv", period),
            (label, "/staff/laporan/unduh/berkas.xlsx", period),
        ]
        found += [
            (label, f"/api/v1/reports/{part}", period)
            for part in ("queue", "cases", "register", "complaints", "skm")
        ]
    return found


def time_pages(client, today: date, repeat: int) -> None:
    for label, path, query in pages(today):
        walls, cpus = [], []
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            answer = client.get(path, query_string=query)
            cpus.append((time.process_time() - c0) * 1000)
            walls.append((time.perf_counter() - w0) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
        print(
            f"  {label:5} {path:38} median {statistics.median(walls):6.0f} ms  "
            f"worst {max(walls):6.0f} ms  cpu {statistics.median(cpus):6.0f} ms"
        )


def fresh_day(dbs: list[Database], today: date) -> date:
    """A day after the history with no tickets in either database (earlier runs used some)."""
    day = today + timedelta(days=1)
    while True:
        counts = []
        for db in dbs:
            with db.read() as s:
                counts.append(s.scalar(select(func.count()).where(Ticket.service_day == day)))
        if not any(counts):
            return day
        day += timedelta(days=1)


def queue_round(db: Database, now: datetime, count: int, out: dict) -> None:
    with db.read() as s:
        officer = s.scalar(select(Staff).where(Staff.username == "bench"))
    for kind in ("issue", "call"):
        for n in range(count):
            w0, c0 = time.perf_counter(), time.thread_time()
            with db.write() as s:
                if kind == "issue":
                    ops.issue_ticket(s, "ABCDE"[n % 5], None, None, now)
                else:
                    ops.call_next(s, 1 + n % 4, officer, now)
            out[kind, "cpu"].append((time.thread_time() - c0) * 1000)
            out[kind, "wall"].append((time.perf_counter() - w0) * 1000)


def queue_latency(history: Database, empty: Database, today: date, rounds: int, count: int):
    day = fresh_day([history, empty], today)
    now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 09:00 WIB
    results = {db: {(k, m): [] for k in ("issue", "call") for m in ("wall", "cpu")}
               for db in (history, empty)}  # fmt: skip
    for n in range(rounds):
        order = (history, empty) if n % 2 == 0 else (empty, history)
        for db in order:
            queue_round(db, now, count, results[db])
    pct = lambda xs, q: statistics.quantiles(xs, n=100, method="inclusive")[q - 1]  # noqa: E731
    for label, db in (("empty  ", empty), ("history", history)):
        r = results[db]
        print(
            f"  {label} issue p50 {pct(r['issue', 'wall'], 50):5.1f} p99 "
            f"{pct(r['issue', 'wall'], 99):6.1f} ms (cpu p99 {pct(r['issue', 'cpu'], 99):5.1f})"
            f"   call p50 {pct(r['call', 'wall'], 50):5.1f} p99 {pct(r['call', 'wall'], 99):6.1f}"
            f" ms (cpu p99 {pct(r['call', 'cpu'], 99):5.1f})   [{len(r['issue', 'wall'])} each]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--keep", help="SQLite: keep (and reuse) the history in this folder")
    parser.add_argument("--pg-url", help="PostgreSQL: a cluster where it may CREATE DATABASE")
    parser.add_argument("--pg-history-url", help="PostgreSQL: reuse this history database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10, help="issue/call rounds per database")
    parser.add_argument("--per-round", type=int, default=50)
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="make the history, no timing")
    args = parser.parse_args()
    today = service_day(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        history, empty = databases(args, folder)
        print(f"{history.url.split('@')[-1]}  ({load()})")
        for db in (history, empty):
            prepare(db)
        build(history, args.years, today)
        settle(history)
        if args.build_only:
            return
        if not args.skip_pages:
            app, client = client_for(history, folder)
            print(f"report pages ({load()}):")
            time_pages(client, today, args.repeat)
            app.extensions["antrian.db"].dispose()
        if not args.skip_queue:
            print(f"issue and call-next, {args.rounds} rounds of {args.per_round} ({load()}):")
            queue_latency(history, empty, today, args.rounds, args.per_round)
        print(f"done ({load()})")
        for db in (history, empty):
            db.dispose()


if __name__ == "__main__":
    main()
