"""Personal data goes after ANTRIAN_DATA_RETENTION_DAYS; the office's numbers stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.cases.models import Case
from antrian.cases.purge import purge_personal_data
from antrian.models import Event
from tests.cases.conftest import APPLICANT


def finished_case(db, now, officer) -> int:
    with db.write() as s:
        case_id = cases.open_case(s, officer, now).id
        cases.update_applicant(s, case_id, {**APPLICANT, "npwp": "1405024508900001"}, officer, now)
        cases.assign(s, case_id, "back_office", "Hubungi Bu Siti 0812-3456-7890", officer, now)
        outputs = {
            1: {"oss_username": "siti.aminah"},
            2: {"documents": ["ktp"]},
            3: {"nib": "9120301234567", "licence_number": "IUMK/1"},
            4: {"handed_over_to": "Siti Aminah"},
        }
        for n in range(1, 5):
            steps.start_step(s, case_id, n, officer, now)
            steps.finish_step(s, case_id, n, outputs[n], officer, now)
    return case_id


def test_purge_empties_old_cases_and_keeps_numbers_nib_and_statistics(db, now, officer):
    old = finished_case(db, now, officer)
    recent = finished_case(db, now + timedelta(days=300), officer)
    later = now + timedelta(days=366)
    with db.write() as s:
        assert purge_personal_data(s, later, 365) == 1
    with db.write() as s:
        assert purge_personal_data(s, later, 365) == 0  # already done
    with db.read() as s:
        gone = cases.find_case(s, old)
        assert (gone.applicant_name, gone.nik, gone.phone, gone.email, gone.npwp) == (
            "",
            None,
            None,
            None,
            None,
        )
        assert gone.business_address == "" and gone.assignments[0].note == ""
        assert "oss_username" not in gone.step(1).outputs
        assert "handed_over_to" not in gone.step(4).outputs
        assert (gone.receipt_number, gone.nib, gone.kbli, gone.legal_form) == (
            "TTB-2026-0001",
            "9120301234567",
            "10794",
            "perorangan",
        )
        assert gone.purged_dt == later
        kept = s.get(Case, recent)
        assert kept.nik == "1405024508900001" and kept.applicant_name == "Siti Aminah"
        [run] = s.scalars(select(Event).where(Event.kind == "case.purged")).all()
        assert run.data == {"cases": 1, "retention_days": 365}


def test_the_server_purges_once_at_start_and_then_daily(db, now, officer):
    import threading
    import time

    from antrian.cases.purge import DailyPurge

    case_id = finished_case(db, now, officer)
    stop = threading.Event()
    runner = DailyPurge(db, 365, stop, lambda: now + timedelta(days=400))
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with db.read() as s:
                if s.get(Case, case_id).purged_dt is not None:
                    break
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(5)
    assert not runner.is_alive()
    with db.read() as s:
        assert s.get(Case, case_id).nik is None


def test_the_database_file_holds_no_nik_in_clear(sqlite_db, now, officer_on_sqlite):
    with sqlite_db.write() as s:
        case_id = cases.open_case(s, officer_on_sqlite, now).id
        cases.update_applicant(
            s, case_id, {**APPLICANT, "npwp": "1405024508900001"}, officer_on_sqlite, now
        )
    sqlite_db.dispose()  # the WAL is checkpointed into the file
    path = Path(sqlite_db.engine.url.database)
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    for clear in (b"1405024508900001", b"6281234567890", b"siti.aminah@contoh.id"):
        assert clear not in raw
    assert b"Keripik Nenas Siti" in raw  # the file was read: the business name is not secret
