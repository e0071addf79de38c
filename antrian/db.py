"""Engines and sessions.

SQLite (the embedded default) runs in WAL mode, and every writing transaction starts with BEGIN
IMMEDIATE. The writers of this process take turns at a WriterTurn, first come first served,
before they ask SQLite for its write lock; SQLite's busy handler (busy_timeout) only waits for
other processes (a CLI backup, `antrian init`). Read-only work (event streams, pages) uses
`read_engine`, with connections of its own and a plain deferred BEGIN, so readers never queue
behind writers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("antrian.db")

READ_ONLY = "antrian_read_only"
HOLDS_TURN = "antrian_holds_writer_turn"
FALLBACK_CHECKPOINT_PAGES = 20_000  # ~80 MB of WAL; only reached if the checkpointer stops
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for the write lock, then fails
TURN_TIMEOUT_SECONDS = 30.0  # and this long for its turn among this process's writers


def sqlite_file(url: str) -> str | None:
    """The database file of an SQLite URL on disk; None for memory or another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if "mode=memory" in url else parsed.database


def make_engines(url: str, turn: WriterTurn | None = None) -> tuple[Engine, Engine]:
    """(the engine that writes, the engine that only reads). On an SQLite file the writers
    take `turn` (antrian/db.py WriterTurn) before they begin."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_size=20, max_overflow=80, pool_pre_ping=True)
        return engine, engine.execution_options(**{READ_ONLY: True})
    path = sqlite_file(url)
    if not path:  # in memory: one database per connection, so one engine for everything
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine)
        return engine, engine.execution_options(**{READ_ONLY: True})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    writer = create_engine(
        url, connect_args={"check_same_thread": False}, pool_size=20, max_overflow=80
    )
    reader = create_engine(
        url, connect_args={"check_same_thread": False}, pool_size=20, max_overflow=80
    )
    _tune_sqlite(writer, turn)
    _tune_sqlite(reader)
    return writer, reader.execution_options(**{READ_ONLY: True})


class WriterBusy(sqlite3.OperationalError):
    """No turn to write within TURN_TIMEOUT_SECONDS: the request answers 503, like any
    database that cannot write right now (antrian/error_pages.py)."""


class WriterTurn:
    """The writers of this process, one at a time, in the order they came (issue #13).

    SQLite lets one transaction write at a time. Left to SQLite's busy handler, a writer that
    finds the lock taken sleeps 1, 2, 5 ... up to 100 ms between tries and whoever tries at the
    right moment wins: at 16 kiosks issuing at once (a loaded 2-core machine), p99 was 1.2-2.6 s
    and one kiosk got four times the tickets of another; in turns, 0.16-0.64 s and no kiosk
    more than 1.2 times another's. Here a writer waits its turn in a queue and is woken the
    moment the one before it is done. (A pool of one writing connection did the queueing too,
    but its waiters are not served in order: one thread starved the others past the pool's
    timeout.) SQLite's busy handler stays, for writers of other processes."""

    def __init__(self, timeout: float = TURN_TIMEOUT_SECONDS):
        self.timeout = timeout
        self._lock = threading.Lock()  # guards the two fields below, held for microseconds
        self._taken = False
        self._waiting: deque[threading.Lock] = deque()

    def take(self) -> None:
        with self._lock:
            if not self._taken:
                self._taken = True
                return
            mine = threading.Lock()
            mine.acquire()
            self._waiting.append(mine)
        # give_back() releases `mine` when it is our turn; the turn is handed over, never free.
        try:
            if mine.acquire(timeout=self.timeout):
                return
        except BaseException:  # interrupted while waiting: leave the line, or pass the turn on
            if not self._leave(mine):
                self.give_back()
            raise
        if self._leave(mine):
            raise WriterBusy(f"database is busy: no turn to write within {self.timeout:.0f} s")
        # Handed to us just as the wait ended: it is ours.

    def _leave(self, mine: threading.Lock) -> bool:
        """Out of the line; False when the turn had been handed to us already."""
        with self._lock:
            if mine in self._waiting:
                self._waiting.remove(mine)
                return True
            return False

    def give_back(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._taken = False


def _tune_sqlite(engine: Engine, turn: WriterTurn | None = None) -> None:
    """SQLAlchemy's documented recipe for SQLite transactions ("Serializable isolation /
    Savepoints / Transactional DDL"): the sqlite3 module stops beginning transactions on its
    own and SQLAlchemy's "begin" event emits BEGIN. Writers use BEGIN IMMEDIATE: the write
    lock is taken up front, so two writers never both read a counter and then fail to upgrade;
    readers a plain (deferred) BEGIN, so they never wait for a writer (WAL).

    With a `turn`, a writer takes it before BEGIN IMMEDIATE and gives it back when its
    connection returns to the pool: by then the transaction has committed or rolled back
    (the pool rolls back whatever is left open), so SQLite's lock is free for the next."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        # The committing writer checkpoints only as a fallback: WalCheckpointer does it every
        # second in the background, so no request pays for copying the WAL back.
        cur.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_CHECKPOINT_PAGES}")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        read_only = conn.get_execution_options().get(READ_ONLY)
        if turn is not None and not read_only:
            entry = conn.connection.record_info  # kept for the pool entry's whole life
            if not entry.get(HOLDS_TURN):  # a second transaction before checkin has it
                turn.take()
                entry[HOLDS_TURN] = True
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    if turn is not None:

        @event.listens_for(engine, "checkin")
        def _on_checkin(_dbapi_conn, entry):
            if entry.record_info.pop(HOLDS_TURN, False):
                turn.give_back()


class WalCheckpointer(threading.Thread):
    """Copies the SQLite WAL back into the database file every second, beside the writers.

    A PASSIVE checkpoint waits for nobody and blocks nobody: it takes SQLite's checkpoint
    lock, not the write lock, so issuing goes on while the pages are copied and synced."""

    def __init__(self, engine: Engine, stop: threading.Event, interval: float = 1.0):
        super().__init__(name="antrian-wal-checkpoint", daemon=True)
        self.engine = engine
        self.stop_event = stop
        self.interval = interval

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            try:
                self.checkpoint()
            except Exception as exc:  # noqa: BLE001 - the next second tries again
                log.warning("Checkpoint WAL gagal: %s", exc)

    def checkpoint(self) -> tuple[int, int, int]:
        """(busy, frames in the WAL, frames copied), as SQLite reports them."""
        # The raw connection runs in autocommit: no BEGIN, so no write lock is taken.
        raw = self.engine.raw_connection()
        try:
            return tuple(raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        finally:
            raw.close()


class Database:
    """One per app: the engine, a writing session factory and a reading one."""

    def __init__(self, url: str):
        self.url = url
        # SQLite on disk: this process's writers take turns here (None on PostgreSQL, where
        # writers lock rows, not the database).
        self.writer_turn = WriterTurn() if sqlite_file(url) else None
        self.engine, self.read_engine = make_engines(url, self.writer_turn)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.ReadSession = sessionmaker(self.read_engine, expire_on_commit=False)
        # What a commit that wrote events or print jobs wakes in this process (create_app sets
        # them: the streams' notifier, the spooler); the session's flags say what it wrote.
        self.on_events: Callable[[], None] = lambda: None
        self.on_print_jobs: Callable[[set[str]], None] = lambda _printers: None
        for factory in (self.Session, self.ReadSession):
            if self.is_postgres:
                event.listen(factory, "before_commit", _notify_other_processes)
            event.listen(factory, "after_commit", self._committed)
            event.listen(factory, "after_soft_rollback", lambda s, _t: _forget_writes(s))

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def sqlite_path(self) -> str | None:
        """The database file, for SQLite on disk; None otherwise."""
        return sqlite_file(self.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work outside a request (CLI, spooler, call box): commit or roll back."""
        session = self.Session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.ReadSession()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring objects handed to the caller.
            session.close()

    def _committed(self, session: Session) -> None:
        events = session.info.get("events_written", False)
        printers = session.info.get("print_jobs_written")
        _forget_writes(session)
        if events:
            self.on_events()
        if printers:
            self.on_print_jobs(printers)

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.engine.dispose()


def attach_commit_hooks(db: Database, on_events, on_print_jobs) -> None:
    """After a commit that wrote events or print jobs, wake their readers in this process:
    `on_events()`, `on_print_jobs(names of the printers with new jobs)` (Database._committed)."""
    db.on_events = on_events
    db.on_print_jobs = on_print_jobs


def _forget_writes(session: Session) -> None:
    """A transaction's flags end with it (a session may run several)."""
    for key in ("event_order_lock", "events_written", "print_jobs_written", "notices_sent"):
        session.info.pop(key, None)


def _notify_other_processes(session: Session) -> None:
    """PostgreSQL: what other processes must hear of this commit, sent inside the transaction
    (delivered only if it commits), in one statement; most was sent with the event-order
    lock already (antrian/events.py)."""
    from sqlalchemy import func, select

    from antrian.events import owed_notices

    owed = owed_notices(session)
    if owed:
        session.execute(select(*(func.pg_notify(channel, payload) for channel, payload in owed)))
