"""Engines and sessions.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every writing
transaction starts with BEGIN IMMEDIATE: the write lock is taken up front, so two requests never
both read a counter and then fail to upgrade (measured: 0 duplicate numbers, ~550 issues/s).
Read-only work (SSE streams, pages) uses `read_engine`, a plain deferred BEGIN, so readers never
queue behind writers.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("antrian.db")

READ_ONLY = "antrian_read_only"
FALLBACK_CHECKPOINT_PAGES = 20_000  # ~80 MB of WAL; only reached if the checkpointer stops
WRITER_WAIT_SECONDS = 30  # then fall back to SQLite's own busy handler


def sqlite_file(url: str) -> str | None:
    """The database file of an SQLite URL on disk; None for memory or another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if "mode=memory" in url else parsed.database


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _tune_sqlite(engine, ProcessWriteLock(f"{path}-writer.lock") if path else None)
        return engine
    return create_engine(url, pool_size=20, max_overflow=80, pool_pre_ping=True)


class ProcessWriteLock:
    """An exclusive flock beside the database file: writers of every process queue on it.

    `antrian serve --workers 2` runs two processes on one SQLite file; without this, a writer
    of one process meets the other's write lock in SQLite's busy handler, which sleeps and
    polls (no queue). flock waiters sleep in the kernel and wake the moment it is free. A
    process that dies holding it loses it with its file descriptors."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None
        self._pid: int | None = None

    def acquire(self) -> None:
        if self._pid != os.getpid():
            # Opened in this process, never inherited through fork: a shared open file would
            # be one lock for both processes.
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)


def _tune_sqlite(engine: Engine, process_lock: ProcessWriteLock | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        # The committing writer checkpoints only as a fallback: WalCheckpointer does it every
        # second in the background, outside the write lock (in the writer, the copy and its
        # fsync held every other issuer up: bench.issue_tickets lost ~20%).
        cur.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_CHECKPOINT_PAGES}")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    # SQLite's busy handler makes a waiting writer sleep and poll, up to 100 ms a time, with
    # no queue: under 16 concurrent kiosks some waited seconds (bench: p99 2.4 s). Writers of
    # this process queue on a lock instead, then on the file lock shared with the other
    # processes, and get SQLite's write lock at once. Taken at BEGIN, given back right after
    # COMMIT (_on_commit), or after a ROLLBACK when the connection returns to the pool.
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # On the driver's connection: SQLAlchemy's statement machinery costs more than BEGIN.
        driver = conn.connection.driver_connection
        if conn.get_execution_options().get(READ_ONLY):
            driver.execute("BEGIN")
            return
        if writer.acquire(timeout=WRITER_WAIT_SECONDS):
            if process_lock is not None:
                try:
                    # Blocks without a limit: a process can only hold it inside a transaction,
                    # where it also holds SQLite's own write lock, and it loses it when it dies.
                    process_lock.acquire()
                except BaseException:
                    writer.release()
                    raise
            conn.info["holds_writer_lock"] = True
        driver.execute("BEGIN IMMEDIATE")

    def _release(info: dict) -> None:
        if info.pop("holds_writer_lock", False):
            if process_lock is not None:
                process_lock.release()
            writer.release()

    @event.listens_for(engine, "commit")
    def _on_commit(conn):
        # Commit here and give the write lock back at once: what follows in SQLAlchemy (the
        # session's bookkeeping, waking screens and the printer process, returning the
        # connection to the pool) then runs outside the lock, where the next issuer is not
        # waiting for it. SQLAlchemy's own commit then finds no transaction open: a no-op.
        if conn.info.get("holds_writer_lock"):
            conn.connection.driver_connection.execute("COMMIT")
            _release(conn.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):
        _release(record.info)  # after a rollback, or a commit that failed

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_conn, record, _exc):
        _release(record.info)


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
        self.engine = make_engine(url)
        self.read_engine = self.engine.execution_options(**{READ_ONLY: True})
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


def attach_commit_hooks(db: Database, on_events, on_print_jobs, on_either=None) -> None:
    """After a commit that wrote events or print jobs, wake their readers: `on_events()`,
    `on_print_jobs(names of the printers with new jobs)`, and once for both
    `on_either(events written?, names of the printers with new jobs)`. On PostgreSQL a commit
    with print jobs also NOTIFYs the print channel, once per printer."""
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
        if on_either is not None and (events or printers):
            on_either(bool(events), printers or ())

    def _after_rollback(session: Session) -> None:
        session.info.pop("event_order_lock", None)
        session.info.pop("events_written", None)
        session.info.pop("print_jobs_written", None)

    def _notify_printers(session: Session) -> None:
        # PostgreSQL: the printer process LISTENs for the printers that got jobs; sent inside
        # the transaction, so delivered only if it commits.
        for name in sorted(session.info.get("print_jobs_written") or ()):
            session.execute(select(func.pg_notify(PRINT_CHANNEL, name)))

    for factory in (db.Session, db.ReadSession):
        sa_event.listen(factory, "after_commit", _after_commit)
        if db.is_postgres:
            sa_event.listen(factory, "before_commit", _notify_printers)
        sa_event.listen(factory, "after_soft_rollback", lambda s, _t: _after_rollback(s))
