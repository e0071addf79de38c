"""Backups while the office works, and restores that check before they replace anything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.backup import BackupError, backups, prune, restore
from antrian.backup_schedule import DailyBackups, backup_due
from antrian.db import Database
from antrian.migrate import known_revisions, upgrade
from antrian.models import Staff, Ticket
from antrian.seed import add_staff, seed_catalogue

ANTRIAN = str(Path(sys.executable).parent / "antrian")
MORNING = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 09:00 WIB


def _office(folder: Path) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'antrian.sqlite3'}"
    upgrade(url)
    db = Database(url)
    with db.write() as s:
        seed_catalogue(s)
        add_staff(s, "siti", "Siti Aminah", "kata-sandi-1", "admin", MORNING)
    return db


def _codes(db: Database) -> set[str]:
    with db.read() as s:
        return {f"{t.service_day}/{t.code}" for t in s.scalars(select(Ticket))}


def test_a_backup_taken_during_a_kiosk_rush_restores_every_acknowledged_ticket(tmp_path):
    live = tmp_path / "live"
    db = _office(live)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def kiosk(service: str) -> None:
        while not stop.is_set():
            with db.write() as s:
                ticket = ops.issue_ticket(s, service, None, None, MORNING)
            with lock:  # acknowledged: committed and answered
                acknowledged.append(f"{MORNING.date()}/{ticket.code}")
            stop.wait(0.005)  # a busy kiosk, not a benchmark

    kiosks = [threading.Thread(target=kiosk, args=(c,)) for c in "ABCD"]
    for k in kiosks:
        k.start()
    try:
        while len(acknowledged) < 40:
            stop.wait(0.01)
        with lock:
            before = set(acknowledged)
        made = subprocess.run(
            [ANTRIAN, "backup", "--to", str(tmp_path / "backups")],
            capture_output=True, text=True, timeout=60,
            env=os.environ | {"ANTRIAN_INSTANCE_PATH": str(live)},
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        with lock:
            assert len(acknowledged) > len(before)  # the kiosks kept issuing meanwhile
    finally:
        stop.set()
        for k in kiosks:
            k.join()
    assert "Cadangan dibuat" in made.stdout
    files = backups(tmp_path / "backups")
    assert len(files) == 1

    # Restored on another machine's instance folder.
    other = tmp_path / "other"
    other_db = _office(other)
    other_db.dispose()
    kept = restore(files[0].path, other_db.url, known_revisions(), MORNING)
    assert kept.exists()  # the replaced (empty) office, kept aside

    restored = Database(other_db.url)
    try:
        codes = _codes(restored)
        assert before <= codes, sorted(before - codes)
        assert codes <= set(acknowledged)  # nothing that was never answered
        # ...and the queue works: the next number follows the last one restored, calls go.
        with restored.write() as s:
            new = ops.issue_ticket(s, "A", None, None, MORNING + timedelta(minutes=5))
        assert f"{MORNING.date()}/{new.code}" not in codes
        with restored.write() as s:
            siti = s.scalar(select(Staff).where(Staff.username == "siti"))
            called = ops.call_next(s, 1, siti, MORNING + timedelta(minutes=6))
        assert called.code == "A-001"
    finally:
        restored.dispose()
        db.dispose()


def test_restore_refuses_a_damaged_or_foreign_file_and_replaces_nothing(tmp_path):
    db = _office(tmp_path / "live")
    with db.write() as s:
        ops.issue_ticket(s, "A", None, None, MORNING)
    before = _codes(db)
    db.dispose()

    not_a_db = tmp_path / "antrian-20261126-170000.sqlite3"
    not_a_db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="bukan basis data Antrian"):
        restore(not_a_db, db.url, known_revisions(), MORNING)

    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="tidak dikenal"):
        restore(newer, db.url, known_revisions(), MORNING)

    again = Database(db.url)
    assert _codes(again) == before
    again.dispose()
    assert not list((tmp_path / "live").glob("*sebelum-pulih*"))


def test_the_cli_restore_says_what_it_kept(tmp_path):
    live = tmp_path / "live"
    _office(live).dispose()
    env = os.environ | {"ANTRIAN_INSTANCE_PATH": str(live)}
    made = subprocess.run([ANTRIAN, "backup"], capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    file = backups(live / "backups")[0].path
    done = subprocess.run(
        [ANTRIAN, "restore", "--yes", str(file)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "sebelum-pulih" in done.stdout and "antrian init" in done.stdout


def test_the_daily_backup_runs_once_after_closing_time_and_keeps_the_last_n(tmp_path):
    db = _office(tmp_path / "live")
    folder = tmp_path / "backups"
    closing = time(17, 30)
    daily = DailyBackups(db.url, folder, closing, keep=3, stop=threading.Event())
    day = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 16:00 WIB: before closing
    assert daily.run_once(day) is None
    made = []
    for n in range(5):
        evening = datetime(2026, 11, 26 + n, 11, 0, tzinfo=UTC)  # 18:00 WIB
        first = daily.run_once(evening)
        assert first is not None
        os.utime(first, (evening.timestamp(), evening.timestamp()))
        made.append(first)
        assert daily.run_once(evening + timedelta(minutes=30)) is None  # once a day
    assert [b.path for b in backups(folder)] == made[::-1][:3]
    assert not backup_due(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), closing, folder)
    assert prune(folder, 1) == made[::-1][1:3]
    db.dispose()


def test_the_owner_process_starts_the_daily_backup_unless_it_is_off(tmp_path, monkeypatch):
    from antrian import devices
    from antrian.config import load_settings

    started = []
    monkeypatch.setattr(
        "antrian.backup_schedule.DailyBackups.start", lambda self: started.append(self.at)
    )
    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path)})
    for value, expected in (("18:05", [time(18, 5)]), ("off", [])):
        started.clear()
        hardware = devices.Hardware(None, settings.with_(backup_time=value), None, None)
        hardware._start_backups()
        assert started == expected
    hardware = devices.Hardware(None, settings.with_(backup_time="jam lima"), None, None)
    hardware._start_backups()
    assert any("ANTRIAN_BACKUP_TIME" in e for e in hardware.errors)
