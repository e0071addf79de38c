"""Numbers per year that never repeat: a (series, year) counter row bumped with UPDATE …
RETURNING inside the writer's transaction, the same care as ticket numbers
(antrian/operations/daily_counters.py). The row lock (PostgreSQL) or the write lock (SQLite)
serialises writers; the UNIQUE column holding the formatted number is the safety net."""

from __future__ import annotations

from sqlalchemy import Connection, update
from sqlalchemy.dialects import postgresql, sqlite

from antrian.cases.models import YearlyCounter

_yearly = YearlyCounter.__table__


def next_number(conn: Connection, series: str, year: int) -> int:
    bump = (
        update(_yearly)
        .where(_yearly.c.series == series, _yearly.c.year == year)
        .values(last_number=_yearly.c.last_number + 1)
        .returning(_yearly.c.last_number)
    )
    number = conn.execute(bump).scalar()
    if number is None:  # the first of the year; a concurrent creator makes this a no-op
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(YearlyCounter)
            .values(series=series, year=year, last_number=0)
            .on_conflict_do_nothing()
        )
        number = conn.execute(bump).scalar()
    return number


def receipt_number(number: int, year: int) -> str:
    """`TTB-2026-0042`: short enough to type at the kiosk when collecting the licence."""
    return f"TTB-{year}-{number:04d}"


def parse_receipt_number(text: str, default_year: int) -> str | None:
    """What a person types at the kiosk: `TTB-2026-0042`, `2026-42`, `20260042` or just `42`
    (this year's). None when it cannot be a receipt number."""
    digits = [part for part in "".join(c if c.isdigit() else " " for c in text).split()]
    if len(digits) == 2:
        year, number = digits
    elif len(digits) == 1 and len(digits[0]) > 6:
        year, number = digits[0][:4], digits[0][4:]
    elif len(digits) == 1:
        year, number = str(default_year), digits[0]
    else:
        return None
    if len(year) != 4 or not number or int(number) == 0 or len(number) > 6:
        return None
    return receipt_number(int(number), int(year))
