"""People ahead of a ticket, through a whole office day and under kiosks and desks at once:
what a walk-in is told at the kiosk is what the status page counts, and equals a real count."""

from __future__ import annotations

import random
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from antrian import operations as ops
from antrian.clock import service_day
from antrian.db import Database
from antrian.migrate import upgrade
from antrian.models import Ticket
from antrian.operations.errors import OperationError
from antrian.operations.tickets import queue_place
from antrian.seed import add_staff

SERVICES = ["A", "B", "C"]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def really_ahead(session, ticket: Ticket) -> int:
    """Counted the long way: every waiting ticket of its queue that is called before it."""
    queue = session.scalars(
        select(Ticket).where(
            Ticket.status == "waiting",
            Ticket.service_id == ticket.service_id,
            Ticket.service_day == ticket.service_day,
        )
    ).all()
    if ticket.priority:
        return sum(1 for t in queue if t.priority and t.id < ticket.id)
    return sum(1 for t in queue if t.priority or t.id < ticket.id)


def pick(session, statuses, rng):
    ids = session.scalars(select(Ticket.id).where(Ticket.status.in_(statuses))).all()
    return rng.choice(ids) if ids else None


def office_day(db, now, steps: int, seed: int = 2026) -> int:
    """Kiosks and counters at random through a day; returns how many issues were checked."""
    rng = random.Random(seed)
    with db.write() as s:
        staff = add_staff(s, "siti", "Siti Aminah", "rahasia-123", "front_office", now)
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
                ticket = s.get(Ticket, issued.id)
                assert issued.ahead == queue_place(s, ticket)[0] == really_ahead(s, ticket), step
            checked += 1
        if step % 20 == 0:
            with db.read() as s:
                for ticket in s.scalars(select(Ticket).where(Ticket.status == "waiting")):
                    assert queue_place(s, ticket)[0] == really_ahead(s, ticket), step
    return checked


def test_people_ahead_stay_true_through_a_random_office_day(db, now):
    assert office_day(db, now, steps=400) > 100


def test_an_office_database_of_0_4_0_upgrades_and_counts_people_ahead(tmp_path, now):
    database = tmp_path / "kantor.sqlite3"
    shutil.copy(FIXTURES / "antrian-0.4.0.sqlite3", database)
    url = f"sqlite:///{database}"
    upgrade(url)
    db = Database(url)
    try:
        with db.read() as s:
            waiting = s.scalars(select(Ticket).where(Ticket.status == "waiting")).all()
            assert waiting
            for ticket in waiting:
                assert queue_place(s, ticket)[0] == really_ahead(s, ticket)
            last = s.scalar(
                select(func.max(Ticket.number)).where(
                    Ticket.issued_service_id == 1, Ticket.service_day == service_day(now)
                )
            )
        with db.write() as s:
            issued = ops.issue_ticket(s, "A", None, None, now)
        with db.read() as s:
            assert issued.number == (last or 0) + 1
            assert issued.ahead == really_ahead(s, s.get(Ticket, issued.id))
    finally:
        db.dispose()


@pytest.mark.parametrize("priority", [None, "elderly"])
def test_people_ahead_of_a_new_ticket_count_transferred_and_reactivated_ones(db, now, priority):
    with db.write() as s:
        staff = add_staff(s, "siti", "Siti Aminah", "rahasia-123", "front_office", now)
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


def test_kiosks_and_counters_at_once_never_deadlock(db, now):
    # Kiosks issue while counters call, skip, reactivate and transfer the same tickets: on
    # PostgreSQL an issue and a call used to lock the counter row and the event-order lock in
    # opposite orders (deadlock), and two requests on one ticket could both act on what they
    # had read before the other wrote.
    with db.write() as s:
        staff = [
            add_staff(s, f"petugas{n}", f"Petugas {n}", "x", "front_office", now) for n in range(4)
        ]
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
        # Until both kinds have happened often (a loaded machine takes longer), or a minute.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and min(done.values()) <= 50 and not failures:
            time.sleep(0.2)
        stop.set()
    assert failures == []
    assert done["issued"] > 50 and done["changed"] > 50
    with db.read() as s:
        for ticket in s.scalars(select(Ticket).where(Ticket.status == "waiting")):
            assert queue_place(s, ticket)[0] == really_ahead(s, ticket)
