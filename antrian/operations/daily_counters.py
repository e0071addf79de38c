"""The (service, day) row: the last number issued in that queue.

`UPDATE ... RETURNING` bumps it: the row lock serialises issuers, so no number is given twice
(and the tickets' UNIQUE (service, day, number) would refuse one anyway). On PostgreSQL the
issuers already take turns on the event-order lock before it (antrian/events.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Row, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from antrian.models import DailyCounter

_daily = DailyCounter.__table__


def bump_statement(*also):
    """The statement that takes the next number (parameters `service`, `day`), returning it
    and `also`: expressions read in the same statement (built once by its users)."""
    return (
        update(_daily)
        .where(
            _daily.c.service_id == bindparam("service"), _daily.c.service_day == bindparam("day")
        )
        .values(last_number=_daily.c.last_number + 1)
        .returning(_daily.c.last_number, *also)
    )


def issue_number(conn: Connection, service_id: int, day: date, bump) -> Row:
    """Run `bump` (a `bump_statement`) for this service's day: (the next number, *also)."""
    params = {"service": service_id, "day": day}
    row = conn.execute(bump, params).first()
    if row is None:  # the first ticket of the day
        _create_row(conn, service_id, day)
        row = conn.execute(bump, params).one()
    return row


def _create_row(conn: Connection, service_id: int, day: date) -> None:
    # A concurrent creator makes this a no-op.
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(DailyCounter)
        .values(service_id=service_id, service_day=day, last_number=0)
        .on_conflict_do_nothing()
    )
