"""SQLite's writers of one process take turns in the order they came (issue #13): a writer
waiting for its turn is woken when the one before is done, in order, and one that waits too
long is told the database is busy (503), never left hanging."""

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from antrian.db import Database, WriterBusy, WriterTurn
from tests.conftest import make_app


def queued(turn: WriterTurn) -> int:
    with turn._lock:
        return len(turn._waiting)


def wait_until(condition) -> None:
    """Spin until `condition()` (no sleeps measured: only the order is asserted)."""
    done = threading.Event()
    while not condition():
        done.wait(0.001)


def test_waiting_writers_get_their_turn_in_the_order_they_came():
    turn = WriterTurn()
    order: list[int] = []
    turn.take()  # held by "the test", as by a writer in mid-transaction

    def writer(n: int) -> None:
        turn.take()
        order.append(n)
        turn.give_back()

    threads = []
    for n in range(8):
        t = threading.Thread(target=writer, args=(n,))
        t.start()
        wait_until(lambda n=n: queued(turn) == n + 1)  # each in line before the next comes
        threads.append(t)
    turn.give_back()
    for t in threads:
        t.join()
    assert order == list(range(8))
    turn.take()  # free again, at once
    turn.give_back()


def test_a_writer_that_waits_too_long_is_told_the_database_is_busy():
    turn = WriterTurn(timeout=0.01)
    turn.take()
    with pytest.raises(WriterBusy):
        turn.take()
    assert queued(turn) == 0  # it left the line
    turn.give_back()
    turn.take()  # and the turn is free for the next
    turn.give_back()


def test_the_turn_is_given_back_after_commit_rollback_and_a_failed_statement(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'turn.sqlite3'}")
    turn = db.writer_turn
    assert turn is not None
    turn.timeout = 5.0  # never reached below: each take() finds the turn free
    with db.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER UNIQUE)"))
    with db.write() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(IntegrityError), db.write() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))  # UNIQUE: rolled back
    session = db.Session()
    session.execute(text("INSERT INTO t VALUES (2)"))
    session.close()  # neither committed nor rolled back by hand: the pool rolls it back
    with db.engine.connect() as conn:  # two transactions on one checked-out connection
        with conn.begin():
            conn.execute(text("INSERT INTO t VALUES (3)"))
        with conn.begin():
            conn.execute(text("INSERT INTO t VALUES (4)"))
    assert not turn._taken and queued(turn) == 0
    with db.read() as r:  # readers never take it
        assert r.scalars(text("SELECT x FROM t ORDER BY x")).all() == [1, 3, 4]
        assert not turn._taken
    db.dispose()


def test_postgres_and_memory_databases_have_no_turn():
    assert Database("sqlite://").writer_turn is None
    assert Database("postgresql+psycopg://u:p@127.0.0.1:1/x").writer_turn is None


def test_a_kiosk_that_gets_no_turn_is_answered_503(sqlite_db, tmp_path):
    app = make_app(sqlite_db, tmp_path, opening_hours=False)
    db = app.extensions["antrian.db"]
    db.writer_turn.timeout = 0.01
    holder = db.Session()
    holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: this session holds the turn
    try:
        response = app.test_client().post("/api/v1/tickets", json={"service": "A"})
    finally:
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert app.test_client().post("/api/v1/tickets", json={"service": "A"}).status_code == 201
    db.dispose()
