"""The event log and the notifier that wakes screens when it grows.

Every state change appends an Event in the same transaction as the change, so a screen that
reads events after id N sees exactly what was committed, in order. The notifier only says
"look again": in-process a Condition, across processes PostgreSQL LISTEN/NOTIFY, one empty
notification per committed transaction (`owed_notices`; the rows are the truth).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, bindparam, func, insert, select
from sqlalchemy.orm import Session

from antrian.models import Event

log = logging.getLogger("antrian.events")

CHANNEL = "antrian_events"
PRINT_CHANNEL = "antrian_print"  # payload: a printer that got a job
EVENT_ORDER_LOCK = 74_200_001  # any constant; names the lock in pg_locks
INSERT_EVENT = insert(Event.__table__).returning(Event.__table__.c.id)  # built once


def hold_event_order(session: Session) -> bool:
    """PostgreSQL: take the lock that orders event-writing transactions, once per transaction
    (held to commit). Returns whether the database is PostgreSQL; SQLite needs none: its
    writers already run one at a time.

    Sequence ids are handed out at insert, not at commit: without this lock a later id could
    commit first and a stream reading "after id N" would skip the earlier one for good. Held to
    commit, it makes id order equal commit order. Every state change writes an event, so the
    operations take it first, before any row lock (`antrian/operations`): it is also what keeps
    a ticket read at the start of a change from being changed by another request before this
    one writes it, and what gives issuers of a queue their numbers first come first served
    (PostgreSQL wakes the waiters of an advisory lock in order, those of a row lock in no
    particular order)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    if not session.info.get("event_order_lock"):
        session.info["event_order_lock"] = True
        # The commit's notifications ride along (delivered only if it commits): the lock is
        # then held for one statement fewer.
        notices = owed_notices(session)
        params = {}
        for i, (channel, payload) in enumerate(notices):
            params.update({f"channel{i}": channel, f"payload{i}": payload})
        session.execute(_order_lock_and_notices(len(notices)), params)
    return True


@functools.cache
def _order_lock_and_notices(count: int) -> Select:
    """The event-order lock and `count` NOTIFYs in one statement, built once for each count (a
    statement built per call cost issuing a quarter of a millisecond of CPU)."""
    notices = (
        func.pg_notify(
            bindparam(f"channel{i}", type_=String), bindparam(f"payload{i}", type_=String)
        )
        for i in range(count)
    )
    return select(func.pg_advisory_xact_lock(EVENT_ORDER_LOCK), *notices)


def owed_notices(session: Session) -> list[tuple[str, str]]:
    """PostgreSQL: the (channel, payload) NOTIFYs this transaction has not sent yet, each once:
    the events channel, which wakes every process's streams, as soon as it holds the event-order
    lock (it writes an event), and the print channel with each printer that got a job, for the
    process that prints (antrian/background.py). The rows are the truth; a notification only
    says "look again". Marked sent: the caller sends them now."""
    wanted = {(PRINT_CHANNEL, name) for name in session.info.get("print_jobs_written") or ()}
    if session.info.get("event_order_lock") or session.info.get("events_written"):
        wanted.add((CHANNEL, ""))
    sent = session.info.setdefault("notices_sent", set())
    owed = sorted(wanted - sent)
    sent.update(owed)
    return owed


def record_event(
    session: Session,
    kind: str,
    now: datetime,
    actor: str,
    *,
    ticket_id: int | None = None,
    counter_id: int | None = None,
    **data: Any,
) -> int:
    """Append an event to the session's transaction; returns its id.

    A Core insert, not a unit-of-work object: every state change writes one, and nothing
    reads the row back in the same transaction."""
    hold_event_order(session)
    event_id = session.execute(
        INSERT_EVENT,
        {
            "kind": kind,
            "created_dt": now,
            "actor": actor,
            "ticket_id": ticket_id,
            "counter_id": counter_id,
            "data": data,
        },
    ).scalar_one()
    event_written(session)
    return event_id


def event_written(session: Session) -> None:
    """The session's transaction wrote an event: its commit wakes the streams (antrian/db.py).
    For a writer that inserts its event itself (issuing, antrian/operations/ticket_rows.py)."""
    session.info["events_written"] = True


def print_jobs_written(session: Session, *printers: str) -> None:
    """The session's transaction wrote print jobs for these printers: its commit wakes their
    spooler threads (antrian/db.py), through NOTIFY on PostgreSQL (`owed_notices`)."""
    session.info.setdefault("print_jobs_written", set()).update(printers)


def events_after(session: Session, last_id: int, limit: int = 500) -> list[Event]:
    return list(
        session.scalars(select(Event).where(Event.id > last_id).order_by(Event.id).limit(limit))
    )


def latest_event_id(session: Session) -> int:
    return session.scalar(select(func.max(Event.id))) or 0


class Notifier:
    """Wakes every waiting stream; a sequence number means no wake-up is ever missed."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._seq = 0

    @property
    def seq(self) -> int:
        return self._seq

    def wake(self) -> None:
        with self._cond:
            self._seq += 1
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until something newer than `seen` happened or the timeout passed."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq != seen, timeout=timeout)
            return self._seq


class PostgresListener(threading.Thread):
    """LISTENs on one channel and calls `on_notify(payload)` for every NOTIFY, and
    `on_notify(None)` after each (re)connect (anything sent while away is in the tables);
    reconnects forever. The events channel wakes streams, the print channel a printer."""

    def __init__(
        self,
        dsn: str,
        on_notify: Callable[[str | None], None],
        stop: threading.Event,
        channel: str = CHANNEL,
    ):
        super().__init__(name=f"antrian-pg-listen-{channel}", daemon=True)
        self.dsn = dsn
        self.on_notify = on_notify
        self.channel = channel
        self.stop_event = stop
        self.ready = threading.Event()

    def run(self) -> None:
        import psycopg

        while not self.stop_event.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    self.ready.set()
                    self.on_notify(None)
                    while not self.stop_event.is_set():
                        for notice in conn.notifies(timeout=1.0):
                            self.on_notify(notice.payload)
            except Exception as exc:  # noqa: BLE001 - a listener must outlive network trouble
                log.warning("LISTEN terputus (%s); mencoba lagi", exc)
                self.stop_event.wait(1.0)
