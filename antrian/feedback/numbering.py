"""Complaint numbers: per year, from a counter row bumped with UPDATE … RETURNING, exactly as
ticket numbers are (antrian/operations/daily_counters.py). The row lock serialises two
submissions; UNIQUE(year, number) on complaints is the safety net."""

from __future__ import annotations

from sqlalchemy import Connection, update
from sqlalchemy.dialects import postgresql, sqlite

from antrian.feedback.models import ComplaintCounter

_counters = ComplaintCounter.__table__


def next_complaint_number(conn: Connection, year: int) -> int:
    bump = (
        update(_counters)
        .where(_counters.c.year == year)
        .values(last_number=_counters.c.last_number + 1)
        .returning(_counters.c.last_number)
    )
    number = conn.execute(bump).scalar()
    if number is None:  # the first complaint of the year; a concurrent creator makes it a no-op
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(_counters).values(year=year, last_number=0).on_conflict_do_nothing()
        )
        number = conn.execute(bump).scalar()
    return number


def complaint_code(year: int, number: int) -> str:
    return f"PGD-{year}-{number:04d}"
