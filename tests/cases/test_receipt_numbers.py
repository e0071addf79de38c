"""Receipt numbers never repeat, with parallel writers, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.cases.models import Case
from antrian.cases.numbering import parse_receipt_number

THREADS = 8
PER_THREAD = 25


def test_eight_officers_receiving_files_at_once_never_share_a_receipt_number(db, now, officer):
    case_ids = []
    with db.write() as s:
        for _ in range(THREADS * PER_THREAD):
            case = cases.open_case(s, officer, now)
            cases.update_applicant(s, case.id, {"applicant_name": "Pemohon"}, officer, now)
            steps.start_step(s, case.id, 1, officer, now)
            steps.finish_step(s, case.id, 1, {"oss_username": "u"}, officer, now)
            steps.start_step(s, case.id, 2, officer, now)
            case_ids.append(case.id)

    def receive(worker: int) -> list[str]:
        numbers = []
        for case_id in case_ids[worker::THREADS]:
            with db.write() as s:
                row = steps.finish_step(s, case_id, 2, {"documents": ["ktp"]}, officer, now)
                numbers.append(row.outputs["receipt_number"])
        return numbers

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = [n for batch in pool.map(receive, range(THREADS)) for n in batch]

    assert sorted(numbers) == [f"TTB-2026-{n:04d}" for n in range(1, THREADS * PER_THREAD + 1)]
    with db.read() as s:
        stored = s.scalars(select(Case.receipt_number)).all()
    assert sorted(stored) == sorted(numbers)


def test_numbers_start_again_in_a_new_year(db, now, officer):
    new_year = now.replace(month=12, day=31, hour=17)  # 00:00 WIB on 1 January 2027
    got = []
    for at in (now, new_year - timedelta(minutes=1), new_year):
        with db.write() as s:
            case = cases.open_case(s, officer, at)
            cases.update_applicant(s, case.id, {"applicant_name": "Pemohon"}, officer, at)
            steps.start_step(s, case.id, 1, officer, at)
            steps.finish_step(s, case.id, 1, {"oss_username": "u"}, officer, at)
            steps.start_step(s, case.id, 2, officer, at)
            got.append(steps.finish_step(s, case.id, 2, {"documents": ["ktp"]}, officer, at))
    assert [r.outputs["receipt_number"] for r in got] == [
        "TTB-2026-0001",
        "TTB-2026-0002",
        "TTB-2027-0001",
    ]


def test_what_a_person_types_at_the_kiosk_reads_as_a_receipt_number():
    assert parse_receipt_number("TTB-2026-0042", 2026) == "TTB-2026-0042"
    assert parse_receipt_number("2026 42", 2026) == "TTB-2026-0042"
    assert parse_receipt_number("20260042", 2026) == "TTB-2026-0042"
    assert parse_receipt_number("42", 2027) == "TTB-2027-0042"
    assert parse_receipt_number("0", 2026) is None
    assert parse_receipt_number("abc", 2026) is None
