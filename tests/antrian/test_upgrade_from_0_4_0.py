"""An office database made by release 0.4.0 (tests/fixtures, made by that release's own code)
upgrades to this release's schema with its data intact, and the office works on at once."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from antrian import operations as ops
from antrian.db import Database
from antrian.migrate import head_revision, schema_problem, upgrade
from antrian.models import Staff

FIXTURE = Path(__file__).parent.parent / "fixtures" / "antrian-0.4.0.sqlite3"


def _rows(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


TICKETS = "SELECT service_day, code, number, status, priority, token FROM tickets ORDER BY id"


def test_a_0_4_0_database_upgrades_with_its_tickets_staff_and_audit_trail(tmp_path):
    path = tmp_path / "antrian.sqlite3"
    shutil.copy(FIXTURE, path)
    url = f"sqlite:///{path}"
    before = {
        "tickets": _rows(path, TICKETS),
        "events": _rows(path, "SELECT id, kind, created_dt FROM events ORDER BY id"),
        "staff": _rows(path, "SELECT username, password_hash FROM staff ORDER BY id"),
        "jobs": _rows(path, "SELECT id, status FROM print_jobs ORDER BY id"),
    }
    assert len(before["tickets"]) == 16 and len(before["events"]) > 16

    upgrade(url)

    assert schema_problem(url) is None
    assert _rows(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert _rows(path, TICKETS) == before["tickets"]
    assert _rows(path, "SELECT id, kind, created_dt FROM events ORDER BY id") == before["events"]
    assert _rows(path, "SELECT username, password_hash FROM staff ORDER BY id") == before["staff"]
    assert _rows(path, "SELECT id, status FROM print_jobs ORDER BY id") == before["jobs"]


def test_the_office_works_on_an_upgraded_0_4_0_database(tmp_path):
    path = tmp_path / "antrian.sqlite3"
    shutil.copy(FIXTURE, path)
    upgrade(f"sqlite:///{path}")
    db = Database(f"sqlite:///{path}")
    # The fixture's second day, later that morning: A-001..A-004 exist; the next is A-005.
    later = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    try:
        with db.write() as s:
            ticket = ops.issue_ticket(s, "A", None, None, later)
        assert ticket.code == "A-005"
        with db.write() as s:
            siti = s.scalar(select(Staff).where(Staff.username == "siti"))
            called = ops.call_next(s, 1, siti, later)
            # Waiting since 09:00 that day, before the new ticket: priority first.
            assert called.code != "A-005"
    finally:
        db.dispose()


def test_the_server_names_what_to_run_for_an_older_empty_or_unknown_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    assert "antrian init" in schema_problem(url)  # empty
    upgrade(url, "0002")
    older = schema_problem(url)
    assert "lebih lama" in older and "antrian init" in older
    upgrade(url)
    assert schema_problem(url) is None
    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.commit()
    conn.close()
    assert "tidak dikenal" in schema_problem(url)


def test_the_upgrade_gives_each_called_ticket_its_first_call(tmp_path):
    """Migration 0018 fills tickets.first_called_dt (the reports' waiting time) from the calls
    0.4.0 recorded: the earliest call of each ticket, nothing for a ticket never called."""
    path = tmp_path / "antrian.sqlite3"
    shutil.copy(FIXTURE, path)
    first_calls = dict(_rows(path, "SELECT ticket_id, min(called_dt) FROM calls GROUP BY 1"))
    assert first_calls, "the fixture has calls"
    upgrade(f"sqlite:///{path}")
    found = dict(_rows(path, "SELECT id, first_called_dt FROM tickets"))
    assert {i: v for i, v in found.items() if v is not None} == first_calls
