"""The (service, day) row: the last number issued in that queue.

`UPDATE ... RETURNING` bumps it: the row lock serialises issuers, so no number is given twice
(and the tickets' UNIQUE (service, day, number) would refuse one anyway).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from antrian.models import DailyCounter

_daily = DailyCounter.__table__
# Built once: every ticket runs it.
_BUMP = (
    update(_daily)
    .where(_daily.c.service_id == bindparam("service"), _daily.c.service_day == bindparam("day"))
    .values(last_number=_daily.c.last_number + 1)
    .returning(_daily.c.last_number)
)


def issue_number(conn: Connection, service_id: int, day: date) -> int:
    """The next number of this service's day."""
    params = {"service": service_id, "day": day}
    number = conn.execute(_BUMP, params).scalar()
    if number is None:  # the first ticket of the day
        _create_row(conn, service_id, day)
        number = conn.execute(_BUMP, params).scalar_one()
    return number


def _create_row(conn: Connection, service_id: int, day: date) -> None:
    # A concurrent creator makes this a no-op.
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(DailyCounter)
        .values(service_id=service_id, service_day=day, last_number=0)
        .on_conflict_do_nothing()
    )
