"""Time to answer a complaint, in working days (Monday to Friday, office time zone)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from antrian.clock import local


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (a Friday + 1 is the Monday)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when answered the same day)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count += 1
    return count


def answer_deadline(received_dt: datetime, target_days: int) -> date:
    return add_working_days(local(received_dt).date(), target_days)


def is_late(
    received_dt: datetime, answered_dt: datetime | None, now: datetime, target_days: int
) -> bool:
    """Answered after the deadline, or still unanswered once it has passed."""
    moment = answered_dt or now
    return local(moment).date() > answer_deadline(received_dt, target_days)
