"""A printer's queue in `print_jobs`: the statements the spooler moves its jobs with.

A job is `pending` (waiting, first in line by id), `printing` (claimed: at most one per
printer), then `done` or `failed`. The spooler (antrian/printing/spooler.py) decides when;
these say how, each on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, func, select, update

from antrian.clock import service_day_start
from antrian.models import PrintJob

LEASE = timedelta(minutes=2)  # next_attempt_dt of a 'printing' job: far past any one slip

_jobs = PrintJob.__table__


class ClaimedJob(NamedTuple):
    id: int
    kind: str
    payload: dict
    attempts: int
    reprint: bool


# Built once: the spooler runs them for every slip of a rush.
# The bind parameter is not called `printer`: an UPDATE keeps column names for its SET clause.
_HEAD = (
    select(_jobs.c.id, _jobs.c.created_dt, _jobs.c.next_attempt_dt)
    .where(_jobs.c.printer == bindparam("of_printer"), _jobs.c.status == "pending")
    .order_by(_jobs.c.id)
    .limit(1)
)
_CLAIM = (  # the printer's oldest pending job, if it is due and of today
    update(_jobs)
    .where(
        _jobs.c.id == _HEAD.with_only_columns(_jobs.c.id).scalar_subquery(),
        _jobs.c.status == "pending",
        _jobs.c.next_attempt_dt <= bindparam("now"),
        _jobs.c.created_dt >= bindparam("day_start"),
    )
    .values(
        status="printing", attempts=_jobs.c.attempts + 1, next_attempt_dt=bindparam("lease_end")
    )
    .returning(_jobs.c.id, _jobs.c.kind, _jobs.c.payload, _jobs.c.attempts, _jobs.c.reprint)
)
_DONE = (
    update(_jobs)
    .where(_jobs.c.id == bindparam("job_id"), _jobs.c.status == "printing")
    .values(status="done", printed_dt=bindparam("printed"), last_error=None)
)


def head(conn: Connection, name: str):
    """The printer's first waiting job (id, created_dt, next_attempt_dt), or None."""
    return conn.execute(_HEAD, {"of_printer": name}).first()


def claim_next(conn: Connection, name: str, now: datetime) -> ClaimedJob | None:
    """Mark the printer's first waiting job `printing`, if it is due and of today's service."""
    params = {
        "of_printer": name,
        "now": now,
        "day_start": service_day_start(now),
        "lease_end": now + LEASE,
    }
    row = conn.execute(_CLAIM, params).first()
    return ClaimedJob(*row) if row else None


def mark_done(conn: Connection, job_id: int, now: datetime) -> None:
    conn.execute(_DONE, {"job_id": job_id, "printed": now})


def back_in_line(
    conn: Connection, job_id: int, reason: str, maybe_printed: bool, retry_at: datetime
) -> None:
    """Pending again, first in line, from `retry_at`; a possible copy stays marked so."""
    conn.execute(
        update(_jobs)
        .where(_jobs.c.id == job_id)
        .values(
            status="pending",
            last_error=reason,
            reprint=_jobs.c.reprint | maybe_printed,
            next_attempt_dt=retry_at,
        )
    )


def mark_failed(conn: Connection, job_id: int, reason: str) -> None:
    conn.execute(
        update(_jobs).where(_jobs.c.id == job_id).values(status="failed", last_error=reason)
    )


def fail_past_days(conn: Connection, name: str, now: datetime, reason: str) -> list[int]:
    """The printer's pending jobs of a past service day, failed; their ids."""
    return conn.scalars(
        update(_jobs)
        .where(
            _jobs.c.printer == name,
            _jobs.c.status == "pending",
            _jobs.c.created_dt < service_day_start(now),
        )
        .values(status="failed", last_error=reason)
        .returning(_jobs.c.id)
    ).all()


def take_back_printing(conn: Connection, names: list[str], now: datetime) -> None:
    """Jobs of these printers left `printing` by a killed process: pending again, at once,
    as possible copies (their bytes may or may not have reached paper)."""
    conn.execute(
        update(_jobs)
        .where(_jobs.c.printer.in_(names), _jobs.c.status == "printing")
        .values(status="pending", reprint=True, next_attempt_dt=now)
    )


def waiting_count(conn: Connection, name: str) -> int:
    return conn.scalar(
        select(func.count())
        .select_from(_jobs)
        .where(_jobs.c.printer == name, _jobs.c.status.in_(("pending", "printing")))
    )
