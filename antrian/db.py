"""Engines and sessions.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every writing
transaction starts with BEGIN IMMEDIATE and waits in SQLite's busy handler; read-only work (event
streams, pages) uses `read_engine`, with connections of its own and a plain deferred BEGIN,
so readers never queue behind writers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("antrian.db")

READ_ONLY = "antrian_read_only"
FALLBACK_CHECKPOINT_PAGES = 20_000  # ~80 MB of WAL; only reached if the checkpointer stops
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for the write lock, then fails


def sqlite_file(url: str) -> str | None:
    """The database file of an SQLite URL on disk; None for memory or another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if "mode=memory" in url else parsed.database


def make_engines(url: str) -> tuple[Engine, Engine]:
    """(the engine that writes, the engine that only reads)."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_size=20, max_overflow=80, pool_pre_ping=True)
        return engine, engine.execution_options(**{READ_ONLY: True})
    path = sqlite_file(url)
    if not path:  # in memory: one database per connection, so one engine for everything
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine)
        return engine, engine.execution_options(**{READ_ONLY: True})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # SQLite lets one transaction write at a time: writers begin with BEGIN IMMEDIATE and wait
    # in SQLite's busy handler (busy_timeout). Not one pooled writing connection: a pool of one
    # hands it to whichever thread asks first, and a thread that keeps asking starved the
    # others past the pool's timeout (tests/antrian/test_people_ahead.py failed that way).
    writer = create_engine(
        url, connect_args={"check_same_thread": False}, pool_size=20, max_overflow=80
    )
    reader = create_engine(
        url, connect_args={"check_same_thread": False}, pool_size=20, max_overflow=80
    )
    _tune_sqlite(writer)
    _tune_sqlite(reader)
    return writer, reader.execution_options(**{READ_ONLY: True})


def _tune_sqlite(engine: Engine) -> None:
    """SQLAlchemy's documented recipe for SQLite transactions ("Serializable isolation /
    Savepoints / Transactional DDL"): the sqlite3 module stops beginning transactions on its
    own and SQLAlchemy's "begin" event emits BEGIN. Writers use BEGIN IMMEDIATE: the write
    lock is taken up front, so two writers never both read a counter and then fail to upgrade;
    readers a plain (deferred) BEGIN, so they never wait for a writer (WAL)."""

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
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


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
        self.engine, self.read_engine = make_engines(url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.ReadSession = sessionmaker(self.read_engine, expire_on_commit=False)

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

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.engine.dispose()


def attach_commit_hooks(db: Database, on_events, on_print_jobs) -> None:
    """After a commit that wrote events or print jobs, wake their readers in this process:
    `on_events()`, `on_print_jobs(names of the printers with new jobs)`. On PostgreSQL a commit
    with print jobs also NOTIFYs the print channel, once per printer, for the process that
    prints (antrian/background.py)."""
    from sqlalchemy import event as sa_event
    from sqlalchemy import func, select

    from antrian.events import PRINT_CHANNEL

    def _after_commit(session: Session) -> None:
        session.info.pop("event_order_lock", None)
        events = session.info.pop("events_written", False)
        printers = session.info.pop("print_jobs_written", None)
        if events:
            on_events()
        if printers:
            on_print_jobs(printers)

    def _after_rollback(session: Session) -> None:
        session.info.pop("event_order_lock", None)
        session.info.pop("events_written", None)
        session.info.pop("print_jobs_written", None)

    def _notify_printers(session: Session) -> None:
        # PostgreSQL: the printing process LISTENs for the printers that got jobs; sent inside
        # the transaction, so delivered only if it commits.
        for name in sorted(session.info.get("print_jobs_written") or ()):
            session.execute(select(func.pg_notify(PRINT_CHANNEL, name)))

    for factory in (db.Session, db.ReadSession):
        sa_event.listen(factory, "after_commit", _after_commit)
        if db.is_postgres:
            sa_event.listen(factory, "before_commit", _notify_printers)
        sa_event.listen(factory, "after_soft_rollback", lambda s, _t: _after_rollback(s))
