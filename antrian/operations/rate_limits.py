"""Counts per client in the database, so every worker process and every route shares them.

A count is a row per (key, window): one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`
bumps it and says how many came before, atomically, on SQLite as on PostgreSQL (no read then
write that two workers could interleave). Flask-Limiter's memory storage counted per process
and per route: from one address 60 kiosk and 60 API tickets were accepted in a second under
a limit of 30 a minute (issue #14, finding 15).

Keys: `issue:<address>` (the kiosk and the API share it), `login-account:<username>` and
`login-address:<address>`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse as parse_limit
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from antrian.clock import as_utc
from antrian.models import RateCount
from antrian.operations.errors import OperationError

KEEP = timedelta(days=1)  # longer than any window


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """'30/minute', '5 per 15 minutes' (Flask-Limiter's notation); 'off' is no limit."""
        if text.strip().lower() in ("", "off", "0"):
            return None
        item = parse_limit(text)
        return cls(item.amount, item.get_expiry())

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The fixed window `now` falls in: (start, end), UTC."""
        epoch = as_utc(now).timestamp()
        start = math.floor(epoch / self.seconds) * self.seconds
        begin = datetime.fromtimestamp(start, tz=as_utc(now).tzinfo)
        return begin, begin + timedelta(seconds=self.seconds)


class TooManyRequests(OperationError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, until: datetime, now: datetime):
        super().__init__(message)
        self.until = until
        self.retry_after = max(1, math.ceil((until - now).total_seconds()))


def count_hit(session: Session, key: str, rate: Rate, now: datetime, by: int = 1) -> int:
    """Add `by` to the key's count in the current window; returns the count after it."""
    start, _end = rate.window(now)
    table = RateCount.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(key=key[:160], window_dt=start, hits=by)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key, table.c.window_dt],
        set_={"hits": table.c.hits + by},
    ).returning(table.c.hits)
    hits = session.execute(statement).scalar_one()
    if hits == by:  # the key's first hit of a window: clear out what is long past
        session.execute(delete(RateCount).where(RateCount.window_dt < start - KEEP))
    return hits


def hits_now(session: Session, key: str, rate: Rate, now: datetime) -> int:
    start, _end = rate.window(now)
    found = session.scalar(
        select(RateCount.hits).where(RateCount.key == key[:160], RateCount.window_dt == start)
    )
    return found or 0


def forget(session: Session, key: str) -> None:
    session.execute(delete(RateCount).where(RateCount.key == key[:160]))


def take_issue_slot(session: Session, client: str, rate: Rate, now: datetime) -> None:
    """One ticket more for this client address, or TooManyRequests (nothing is counted then:
    the refusal rolls the transaction back, so a client that keeps trying is not locked out
    past the window)."""
    if count_hit(session, f"issue:{client}", rate, now) > rate.amount:
        _start, end = rate.window(now)
        raise TooManyRequests(
            "Terlalu banyak nomor antrean diambil dari perangkat ini. "
            f"Tunggu {_wait_text(end - now)} lalu coba lagi.",
            until=end,
            now=now,
        )


def _wait_text(left: timedelta) -> str:
    seconds = max(1, math.ceil(left.total_seconds()))
    if seconds < 90:
        return f"{seconds} detik"
    return f"{math.ceil(seconds / 60)} menit"
