"""`antrian demo`: working days of believable office life, made through the real operations.

Walk-ins arrive from 08:00, most around mid-morning and again after the midday break; four
counters call, serve (around each service's standard time, some over), skip no-shows (some come
back and are reactivated), transfer the odd ticket. The same seed gives the same office, so a
screenshot or a report can be made again.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from sqlalchemy import select

from antrian import clock
from antrian import operations as ops
from antrian.catalogue import PRIORITY_REASONS
from antrian.db import Database
from antrian.demo_cases import complain, serve_case, survey
from antrian.models import Staff, Ticket
from antrian.seed import add_staff

# Share of walk-ins per service (A IUMK/NIB, B OSS account, C information, D complaint,
# E document pickup) and the service's typical minutes at the counter.
MIX = {"A": 0.40, "B": 0.20, "C": 0.22, "D": 0.05, "E": 0.13}
SERVICE_MINUTES = {"A": 15, "B": 15, "C": 8, "D": 12, "E": 4}
OFFICERS = [
    ("siti", "Siti Aminah"),
    ("budi", "Budi Santoso"),
    ("rina", "Rina Marlina"),
    ("andi", "Andi Saputra"),
]
BACK_OFFICE = ("dewi", "Dewi Lestari")  # step 3 of the IUMK cases
OPEN, LAST_TICKET, CLOSE = time(8, 0), time(15, 0), time(16, 0)
BREAK = (time(12, 0), time(13, 0))


@dataclass
class Desk:
    number: int
    officer: Staff
    ticket_id: int | None = None
    busy_until: datetime | None = None
    no_show: bool = False
    code: str = ""


def working_days(last: date, days: int) -> list[date]:
    """The `days` working days (Monday to Friday) up to and including `last`."""
    found: list[date] = []
    day = last
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day -= timedelta(days=1)
    return found[::-1]


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.OFFICE_TZ).astimezone(UTC)


def arrivals(rng: random.Random, day: date) -> Iterator[datetime]:
    """Walk-in times of one day: two humps, at 09:45 and at 13:45."""
    count = rng.randint(70, 110)
    times = []
    for _ in range(count):
        hump = 9.75 if rng.random() < 0.62 else 13.75
        hours = rng.gauss(hump, 0.9)
        if not (8 <= hours < 15) or 12 <= hours < 13:
            continue
        times.append(_utc(day, OPEN) + timedelta(hours=hours - 8))
    yield from sorted(times)


def _officers(db: Database, now: datetime) -> list[Staff]:
    with db.write() as s:
        found = []
        for username, name in [*OFFICERS, BACK_OFFICE]:
            staff = s.scalar(select(Staff).where(Staff.username == username))
            if staff is None:
                staff = add_staff(s, username, name, f"demo-{username}-1", "front_office", now)
            found.append(staff)
        return found


def simulate_day(
    db: Database, day: date, rng: random.Random, officers: list[Staff], applicants: Iterator[int]
) -> int:
    """One office day, minute by minute; returns the tickets issued."""
    *front, back = officers
    desks = [Desk(n + 1, officer) for n, officer in enumerate(front)]
    serve = partial(_serve, db, rng=rng, back_office=back, applicants=applicants)
    coming = list(arrivals(rng, day))
    waiting = 0
    issued = 0
    skipped: list[tuple[datetime, int]] = []  # when the no-show turns up again, ticket id
    now = _utc(day, OPEN)
    end = _utc(day, CLOSE)
    lunch = (_utc(day, BREAK[0]), _utc(day, BREAK[1]))
    while now < end:
        while coming and coming[0] <= now:
            at = coming.pop(0)
            service = rng.choices(list(MIX), weights=list(MIX.values()))[0]
            priority = rng.choice(list(PRIORITY_REASONS)) if rng.random() < 0.08 else None
            with db.write() as s:
                ops.issue_ticket(s, service, priority, None, at, actor="demo")
            waiting += 1
            issued += 1
        for back_at, ticket_id in list(skipped):
            if back_at <= now:
                skipped.remove((back_at, ticket_id))
                with db.write() as s:
                    ops.reactivate(s, ticket_id, desks[0].officer, now)
                waiting += 1
        for desk in desks:
            waiting -= serve(desk, now, waiting=waiting, lunch=lunch, skipped=skipped)
        now += timedelta(minutes=1)
    # Closing time: whoever is still at a counter is finished; the waiting go home.
    for desk in desks:
        if desk.ticket_id is not None:
            with db.write() as s:
                close = ops.skip if desk.no_show else ops.finish
                close(s, desk.ticket_id, desk.officer, end)
    return issued


def _serve(db, desk: Desk, now, *, rng, back_office, applicants, waiting, lunch, skipped) -> int:
    """Advance one counter by a minute; returns 1 when it called a waiting ticket."""
    if desk.busy_until is not None and now < desk.busy_until:
        return 0
    if desk.ticket_id is not None:
        with db.write() as s:
            if desk.no_show:
                ops.skip(s, desk.ticket_id, desk.officer, now)
                if rng.random() < 0.35:
                    skipped.append((now + timedelta(minutes=rng.randint(10, 60)), desk.ticket_id))
            else:
                ops.finish(s, desk.ticket_id, desk.officer, now)
        if not desk.no_show:
            if desk.code == "D":
                complain(db, now, rng, desk.officer)
            if rng.random() < 0.3:
                survey(db, desk.ticket_id, now + timedelta(minutes=2), rng)
        desk.ticket_id = desk.busy_until = None
    if waiting <= 0 or lunch[0] <= now < lunch[1] or rng.random() < 0.15:
        return 0  # nobody waiting, the midday break, or a moment's paperwork
    with db.write() as s:
        try:
            ticket = ops.call_next(s, desk.number, desk.officer, now)
        except ops.OperationError:
            return 0
        desk.ticket_id = ticket.id
        code = s.get(Ticket, ticket.id).service.code
        if rng.random() < 0.07:
            desk.no_show = True
            desk.busy_until = now + timedelta(minutes=2)
            return 1
        desk.no_show = False
        if code in ("C", "E") and rng.random() < 0.04:  # came to the wrong queue
            ops.transfer(s, ticket.id, "A", desk.officer, now)
            desk.ticket_id = None
            return 0  # back in the queue, of service A
        start = now + timedelta(minutes=1)
        ops.start_service(s, ticket.id, desk.officer, start)
    desk.code = code
    if code == "A" and rng.random() < 0.6:  # the rest only ask about the requirements
        serial = next(applicants)
        desk.busy_until = serve_case(db, ticket.id, desk.officer, back_office, start, rng, serial)
        return 1
    typical = SERVICE_MINUTES[code]
    minutes = max(2.0, rng.lognormvariate(0, 0.45) * typical)
    desk.busy_until = start + timedelta(minutes=minutes)
    return 1


def generate(db: Database, days: int, last_day: date, seed: int = 1) -> dict[str, int]:
    """Fill `db` with `days` working days ending at `last_day`; returns what was made."""
    rng = random.Random(seed)
    applicants = itertools.count(1)  # numbered across the demo's days
    days_list = working_days(last_day, days)
    officers = _officers(db, _utc(days_list[0], OPEN) - timedelta(days=1))
    tickets = sum(simulate_day(db, day, rng, officers, applicants) for day in days_list)
    return {"days": len(days_list), "tickets": tickets}
