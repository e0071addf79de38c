"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

`make test` starts a throwaway PostgreSQL and requires it and Chromium, so in CI nothing is
skipped; running plain `pytest` on a laptop without them skips only those tests, saying why.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from antrian.cases.kbli import seed_kbli
from antrian.db import Database
from antrian.models import Base
from antrian.seed import seed_catalogue

PG_URL = os.environ.get("ANTRIAN_TEST_DATABASE_URL", "")
# Tests run at any hour of the machine's clock: servers they start (antrian init seeds office
# hours) give numbers around the clock; tests/queue/ switches the hours on where it means to.
os.environ["ANTRIAN_OPENING_HOURS"] = "off"
# One personal-data key for the whole run (apps of a test share their database with its
# fixtures); tests of the key file itself pass their own environment.
os.environ.setdefault("ANTRIAN_DATA_KEY", "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXRoZS1vZmZpY2U=")
REQUIRE_PG = os.environ.get("ANTRIAN_REQUIRE_POSTGRES") == "1"

# 09:00 WIB on a Thursday: tests move time explicitly instead of sleeping.
MORNING = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def pytest_configure(config):
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError("ANTRIAN_REQUIRE_POSTGRES=1 but ANTRIAN_TEST_DATABASE_URL is empty")


_postgres_schema_fresh = False


def _reset_postgres(db: Database) -> None:
    global _postgres_schema_fresh
    if not _postgres_schema_fresh:
        # Once per test run: a database kept from an older checkout has an older schema, and
        # create_all leaves existing tables as they are.
        Base.metadata.drop_all(db.engine)
        _postgres_schema_fresh = True
    Base.metadata.create_all(db.engine)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def make_database(kind: str, tmp_path) -> Database:
    if kind == "postgres":
        if not PG_URL:
            pytest.skip("ANTRIAN_TEST_DATABASE_URL not set (make test sets it)")
        db = Database(PG_URL)
        _reset_postgres(db)
    else:
        db = Database(f"sqlite:///{tmp_path / 'antrian.sqlite3'}")
        Base.metadata.create_all(db.engine)
    with db.write() as session:
        seed_catalogue(session)
        seed_kbli(session)
    return db


def someone_waits_for_an_advisory_lock(db: Database) -> bool:
    """PostgreSQL: a transaction is queued for an advisory lock (the event-order lock, in the
    tests that hold it to line two writers up)."""
    waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    with db.engine.connect() as conn:
        return conn.execute(text(waiting)).scalar() > 0


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """The same operation tests run against both databases."""
    database = make_database(request.param, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    database = make_database("sqlite", tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def now():
    return MORNING


def make_app(database: Database, tmp_path, **overrides):
    from antrian import create_app
    from antrian.config import load_settings

    overrides = {"issue_rate_limit": "off", "start_background": False, **overrides}
    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
        database_url=database.url, **overrides
    )
    app = create_app(settings, TESTING=True, SSE_HEARTBEAT_SECONDS=0.2)
    return app


@pytest.fixture
def app(db, tmp_path):
    """The whole web app on the parametrised database, without background threads."""
    application = make_app(db, tmp_path)
    yield application
    application.extensions["antrian.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def staff_token(app, now):
    from antrian.auth import new_api_token
    from antrian.seed import add_staff

    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "petugas", "Petugas Satu", "kata-sandi-1", "front_office", now)
        return new_api_token(s, "petugas")


@pytest.fixture
def auth(staff_token):
    return {"Authorization": f"Bearer {staff_token}"}
