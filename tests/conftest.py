"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

`make test` starts a throwaway PostgreSQL and requires it and Chromium, so in CI nothing is
skipped; running plain `pytest` on a laptop without them skips only those tests, saying why.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from antrian.db import Database
from antrian.models import Base
from antrian.seed import seed_catalogue

PG_URL = os.environ.get("ANTRIAN_TEST_DATABASE_URL", "")
REQUIRE_PG = os.environ.get("ANTRIAN_REQUIRE_POSTGRES") == "1"

# 09:00 WIB on a Thursday: tests move time explicitly instead of sleeping.
MORNING = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def pytest_configure(config):
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError("ANTRIAN_REQUIRE_POSTGRES=1 but ANTRIAN_TEST_DATABASE_URL is empty")


def _reset_postgres(db: Database) -> None:
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
    return db


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
