"""The (service, day) row: the last number issued, and how many tickets wait in that queue.

A new ticket's people ahead are the tickets waiting in its service: all the priority ones and,
for an ordinary ticket, all the ordinary ones too, since it is the last issued (a transfer or
a reactivation keeps an older ticket's place: still ahead). Counting them inside the write
lock grew with the queue: ~20% of issuing once a kiosk rush had queued thousands (`bench.ab
issue`, 16 clients, with the count skipped by a prototype patch: 570 vs 704 tickets/s). The
counts kept on this row answer in the statement that bumps the number. Every operation that
moves a ticket into or out of 'waiting' keeps them (`count_waiting`), after
taking the event-order lock on PostgreSQL (antrian/events.py `hold_event_order`): one change at
a time, so no two act on the same ticket's old state. Tests check them against a real count
after a random office day and under kiosks and desks at once, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from antrian.models import DailyCounter
from antrian.prepared import Prepared

_daily = DailyCounter.__table__
_ROW = (
    _daily.c.service_id == bindparam("b_service_id"),
    _daily.c.service_day == bindparam("b_day"),
)


def _waiting_column(priority: bool):
    return _daily.c.waiting_priority if priority else _daily.c.waiting_ordinary


# Issuing, the busiest write of the day, runs it on the driver's cursor (antrian/prepared.py).
_BUMP = {
    priority: Prepared(
        update(_daily)
        .where(*_ROW)
        .values(
            {
                _daily.c.last_number: _daily.c.last_number + 1,
                _waiting_column(priority): _waiting_column(priority) + 1,
            }
        )
        .returning(_daily.c.last_number, _daily.c.waiting_priority, _daily.c.waiting_ordinary),
        keys=["b_service_id", "b_day"],
    )
    for priority in (True, False)
}


def issue_number(conn: Connection, service_id: int, day: date, priority: bool) -> tuple[int, int]:
    """Bump the number and count the new ticket as waiting, in one statement (its row lock
    serialises issuers). Returns (number, people ahead)."""
    params = {"b_service_id": service_id, "b_day": day}
    row = _BUMP[priority].execute(conn, params).fetchone()
    if row is None:  # the first ticket of the day
        _create_row(conn, service_id, day)
        row = _BUMP[priority].execute(conn, params).fetchone()
    number, waiting_priority, waiting_ordinary = row
    # The counts include the new ticket: priority tickets go before every ordinary one.
    ahead = waiting_priority - 1 if priority else waiting_priority + waiting_ordinary - 1
    return number, ahead


def count_waiting(
    conn: Connection, service_id: int, day: date, priority: bool, change: int
) -> None:
    """A ticket of this class joined (+1) or left (-1) the service's queue of that day."""
    statement = (
        update(_daily)
        .where(_daily.c.service_id == service_id, _daily.c.service_day == day)
        .values({_waiting_column(priority): _waiting_column(priority) + change})
    )
    if conn.execute(statement).rowcount == 0:  # transferred into a service with no ticket yet
        _create_row(conn, service_id, day)
        conn.execute(statement)


def _create_row(conn: Connection, service_id: int, day: date) -> None:
    # A concurrent creator makes this a no-op.
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(DailyCounter)
        .values(
            service_id=service_id,
            service_day=day,
            last_number=0,
            waiting_priority=0,
            waiting_ordinary=0,
        )
        .on_conflict_do_nothing()
    )
