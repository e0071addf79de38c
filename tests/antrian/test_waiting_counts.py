"""The waiting counts kept on the daily counter row follow the queue through a whole office day:
a new ticket's people ahead are read from them, so they must agree with a real count."""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, func, make_url, select, text

from antrian import operations as ops
from antrian.clock import service_day
from antrian.db import Database
from antrian.migrate import alembic_config, upgrade
from antrian.models import DailyCounter, Service, Ticket
from antrian.operations.errors import OperationError
from antrian.operations.tickets import queue_place
from antrian.seed import add_staff, seed_catalogue

SERVICES = ["A", "B", "C"]
PG_URL = os.environ.get("ANTRIAN_TEST_DATABASE_URL", "")


def counted(session) -> dict[tuple[int, object, bool], int]:
    """Waiting tickets per (service, day, priority?), counted row by row."""
    rows = session.execute(
        select(Ticket.service_id, Ticket.service_day, Ticket.priority.is_not(None), func.count())
        .where(Ticket.status == "waiting")
        .group_by(Ticket.service_id, Ticket.service_day, Ticket.priority.is_not(None))
    )
    return {(sid, day, bool(prio)): n for sid, day, prio, n in rows}


def kept(session) -> dict[tuple[int, object, bool], int]:
    out = {}
    for row in session.scalars(select(DailyCounter)):
        for prio, n in ((True, row.waiting_priority), (False, row.waiting_ordinary)):
            if n:
                out[(row.service_id, row.service_day, prio)] = n
    return out


def pick(session, statuses, rng):
    ids = session.scalars(select(Ticket.id).where(Ticket.status.in_(statuses))).all()
    return rng.choice(ids) if ids else None


def office_day(db, now, steps: int, seed: int = 2026) -> int:
    """Kiosks and counters at random through a day; returns how many issues were checked."""
    rng = random.Random(seed)
    with db.write() as s:
        staff = add_staff(s, "siti", "Siti Aminah", "rahasia-123", "staff", now)
    checked = 0
    for step in range(steps):
        at = now + timedelta(seconds=30 * step)
        action = rng.choices(
            ["issue", "call", "skip", "reactivate", "transfer", "start", "finish", "recall"],
            weights=[10, 6, 2, 2, 3, 2, 2, 1],
        )[0]
        with db.write() as s:
            try:
                if action == "issue":
                    priority = rng.choice([None, None, None, "elderly", "pregnant"])
                    issued = ops.issue_ticket(s, rng.choice(SERVICES), priority, None, at)
                elif action == "call":
                    ops.call_next(s, rng.randint(1, 4), staff, at)
                elif action == "transfer" and (t := pick(s, ["waiting", "called", "serving"], rng)):
                    ops.transfer(s, t, rng.choice(["A", "B", "C", "E"]), staff, at)
                elif (
                    statuses := {
                        "skip": ["called"],
                        "reactivate": ["no_show"],
                        "start": ["called"],
                        "finish": ["called", "serving"],
                        "recall": ["called"],
                    }.get(action)
                ) and (t := pick(s, statuses, rng)):
                    operation = {
                        "skip": ops.skip,
                        "reactivate": ops.reactivate,
                        "start": ops.start_service,
                        "finish": ops.finish,
                        "recall": ops.recall,
                    }[action]
                    operation(s, t, staff, at)
            except OperationError:
                continue  # an empty queue, a ticket of the wrong kind: nothing changed
        if action == "issue":
            with db.read() as s:
                # What the walk-in was told is what the status page counts afterwards.
                assert issued.ahead == queue_place(s, s.get(Ticket, issued.id))[0], step
            checked += 1
        if step % 20 == 0:
            with db.read() as s:
                assert kept(s) == counted(s), step
    with db.read() as s:
        assert kept(s) == counted(s)
    return checked


def test_a_random_office_day_keeps_the_waiting_counts_true(db, now):
    assert office_day(db, now, steps=400) > 100


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    """An empty database of its own (the migrations build it), on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kantor.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip("ANTRIAN_TEST_DATABASE_URL not set (make test sets it)")
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS antrian_upgrade WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE antrian_upgrade"))
    yield make_url(PG_URL).set(database="antrian_upgrade").render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS antrian_upgrade WITH (FORCE)"))
    admin.dispose()


def test_an_office_database_from_before_the_counts_gets_them_on_upgrade(empty_database_url, now):
    url = empty_database_url
    upgrade(url)
    db = Database(url)
    with db.write() as s:
        seed_catalogue(s)
    office_day(db, now, steps=150, seed=7)
    with db.read() as s:
        before = counted(s)
        # A transfer into a service that issued nothing that day made its counter row.
        empty_services = s.scalars(
            select(Service.id).where(~Service.id.in_(select(Ticket.issued_service_id)))
        ).all()
    db.dispose()
    assert before
    # The database as the previous version left it: no counts, no row for a service whose
    # queue only holds transferred tickets.
    command.downgrade(alembic_config(url), "0002")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM daily_counters WHERE last_number = 0"))
    engine.dispose()
    upgrade(url)
    db = Database(url)
    with db.read() as s:
        assert kept(s) == counted(s) == before
        rows = {(r.service_id, r.service_day) for r in s.scalars(select(DailyCounter))}
    day = service_day(now)
    for service_id in empty_services:
        if any(key[0] == service_id for key in before):
            assert (service_id, day) in rows
    db.dispose()


@pytest.mark.parametrize("priority", [None, "elderly"])
def test_people_ahead_of_a_new_ticket_count_transferred_and_reactivated_ones(db, now, priority):
    with db.write() as s:
        staff = add_staff(s, "siti", "Siti Aminah", "rahasia-123", "staff", now)
    with db.write() as s:
        b1 = ops.issue_ticket(s, "B", None, None, now)  # goes to A later
        ops.issue_ticket(s, "A", "elderly", None, now)
        ops.issue_ticket(s, "A", None, None, now)
    with db.write() as s:
        ops.transfer(s, b1.id, "A", staff, now + timedelta(minutes=1))
        called = ops.call_next(s, 1, staff, now + timedelta(minutes=2))  # A's priority one
        ops.skip(s, called.id, staff, now + timedelta(minutes=3))
        ops.reactivate(s, called.id, staff, now + timedelta(minutes=4))
    with db.write() as s:
        new = ops.issue_ticket(s, "A", priority, None, now + timedelta(minutes=5))
    # Waiting in A: the reactivated priority ticket, the transferred B-001 and A-002.
    assert new.ahead == (1 if priority else 3)


def test_kiosks_and_counters_at_once_keep_the_counts_and_never_deadlock(db, now):
    # Kiosks issue while counters call, skip, reactivate and transfer the same tickets: on
    # PostgreSQL an issue and a call used to lock the counter row and the event-order lock in
    # opposite orders (deadlock), and two requests on one ticket could both act on what they
    # had read before the other wrote.
    with db.write() as s:
        staff = [add_staff(s, f"petugas{n}", f"Petugas {n}", "x", "staff", now) for n in range(4)]
    stop = threading.Event()
    failures: list[BaseException] = []
    done = {"issued": 0, "changed": 0}

    def run(worker: int) -> None:
        rng = random.Random(worker)
        while not stop.is_set():
            try:
                with db.write() as s:
                    if worker < 3:
                        ops.issue_ticket(s, "AB"[rng.randrange(2)], None, None, now)
                        done["issued"] += 1
                        continue
                    t = pick(s, ["waiting", "called", "no_show"], rng)
                    action = rng.choice(["call", "call", "skip", "reactivate", "transfer"])
                    if action == "call":
                        ops.call_next(s, worker - 2, staff[worker - 3], now)
                    elif t is not None and action == "skip":
                        ops.skip(s, t, staff[worker - 3], now)
                    elif t is not None and action == "reactivate":
                        ops.reactivate(s, t, staff[worker - 3], now)
                    elif t is not None:
                        ops.transfer(s, t, rng.choice("ABC"), staff[worker - 3], now)
                    done["changed"] += 1
            except OperationError:
                continue  # wrong status, same service, empty queue: nothing changed
            except BaseException as exc:  # noqa: BLE001 - a deadlock or worse: the test fails
                failures.append(exc)
                return

    with ThreadPoolExecutor(7) as pool:
        for worker in range(7):
            pool.submit(run, worker)
        time.sleep(4)
        stop.set()
    assert failures == []
    assert done["issued"] > 50 and done["changed"] > 50
    with db.read() as s:
        assert kept(s) == counted(s)
