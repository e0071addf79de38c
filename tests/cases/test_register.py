"""The Buku Register: numbers per year that never repeat, its search, its files."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from antrian.cases.register import (
    RegisterEntry,
    RegisterError,
    check_format,
    set_number_format,
)
from antrian.cases.register_export import csv_chunks, xlsx_bytes
from antrian.cases.register_search import RegisterFilter, all_entries, register_page
from antrian.models import Event

from .conftest import make_entry

DAY = date(2026, 11, 26)


def test_numbers_count_per_year_in_the_default_format(db, now):
    with db.write() as s:
        first = make_entry(s, 1, issued_on=DAY, now=now)
        second = make_entry(s, 2, issued_on=DAY, now=now)
        next_year = make_entry(s, 3, issued_on=date(2027, 1, 2), now=now)
        numbers = [first.register_number, second.register_number, next_year.register_number]
        event = s.scalars(select(Event).where(Event.kind == "register.entry_added")).first()
    assert numbers == ["0001/IUMK/DPMPTSP/2026", "0002/IUMK/DPMPTSP/2026", "0001/IUMK/DPMPTSP/2027"]
    assert event.data["register_number"] == "0001/IUMK/DPMPTSP/2026"
    assert "Pemohon" not in str(event.data)  # the event log holds no applicant's name


def test_a_new_format_applies_to_the_next_entries_only(db, now):
    with db.write() as s:
        make_entry(s, 1, issued_on=DAY, now=now)
        set_number_format(s, "503/{number:05d}/IUMK-PLW/{year}", actor="admin", now=now)
        make_entry(s, 2, issued_on=DAY, now=now)
        stored = s.scalars(select(RegisterEntry.register_number).order_by(RegisterEntry.id)).all()
    assert stored == ["0001/IUMK/DPMPTSP/2026", "503/00002/IUMK-PLW/2026"]


@pytest.mark.parametrize(
    "fmt", ["IUMK/{year}", "{number}/IUMK", "{nomor}/{year}", "{number:04d}/{year", "{0}/{year}"]
)
def test_a_format_without_number_and_year_is_refused(fmt):
    with pytest.raises(RegisterError):
        check_format(fmt)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"applicant_name": "  "}, "Nama pemohon"),
        ({"business_name": ""}, "Nama usaha"),
        ({"licence_number": ""}, "Nomor izin"),
        ({"kbli": "4711"}, "KBLI"),
        ({"nib": "912010"}, "NIB"),
    ],
)
def test_incomplete_entries_are_refused_with_a_reason(db, now, change, words):
    with db.write() as s, pytest.raises(RegisterError, match=words):
        make_entry(s, 1, issued_on=DAY, now=now, **change)


def test_parallel_writers_never_get_the_same_number(db, now):
    """Six officers hand over licences at once, 15 each: 90 entries, numbers 1..90."""
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def officer(k: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with db.write() as s:
                    make_entry(s, k * 100 + i, issued_on=DAY, now=now, officer=f"Petugas {k}")
        except BaseException as err:  # reported below, with the thread's error
            errors.append(err)

    threads = [threading.Thread(target=officer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with db.read() as s:
        numbers = s.scalars(select(RegisterEntry.number).order_by(RegisterEntry.number)).all()
        distinct = s.scalar(select(func.count(func.distinct(RegisterEntry.register_number))))
    assert numbers == list(range(1, 91)) and distinct == 90


@pytest.fixture
def filled(db, now):
    """30 entries over 30 days; a few with names to look for."""
    with db.write() as s:
        for n in range(1, 31):
            make_entry(s, n, issued_on=DAY - timedelta(days=30 - n), now=now)
        make_entry(
            s,
            99,
            issued_on=DAY,
            now=now,
            applicant_name="Ani Lestari",
            business_name="Keripik Nenas Berkah",
            kbli="10794",
            nib="9120000000099",
        )
    return db


def _search(db, page=1, per_page=10, **args):
    with db.read() as s:
        result = register_page(s, RegisterFilter.from_args(args), page, per_page)
        return result, [e.register_number for e in result.entries]


def test_search_by_name_nib_number_date_and_kbli(filled):
    assert _search(filled, q="nenas berkah")[1] == ["0031/IUMK/DPMPTSP/2026"]
    assert _search(filled, q="ani lestari")[1] == ["0031/IUMK/DPMPTSP/2026"]
    assert _search(filled, q="9120000000099")[1] == ["0031/IUMK/DPMPTSP/2026"]
    assert _search(filled, q="0007/IUMK")[1] == ["0007/IUMK/DPMPTSP/2026"]
    assert _search(filled, kbli="10794")[0].total == 1
    assert _search(filled, kbli="56102")[0].total == 10  # n = 3, 6, ..., 30
    result, numbers = _search(filled, dari="2026-11-20", sampai="2026-11-22")
    assert numbers == [
        "0026/IUMK/DPMPTSP/2026",
        "0025/IUMK/DPMPTSP/2026",
        "0024/IUMK/DPMPTSP/2026",
    ]
    assert _search(filled, q="tidak ada siapa pun")[0].total == 0
    assert _search(filled, q="100%_")[0].total == 0  # LIKE wildcards are taken literally


def test_pages_newest_first(filled):
    first, numbers = _search(filled)
    assert (first.total, first.pages, len(numbers)) == (31, 4, 10)
    assert numbers[0] == "0031/IUMK/DPMPTSP/2026" and numbers[1] == "0030/IUMK/DPMPTSP/2026"
    last, numbers = _search(filled, page=4)
    assert numbers == ["0001/IUMK/DPMPTSP/2026"]
    assert _search(filled, page=99)[0].page == 4


def test_bad_filter_input_is_named_and_nothing_breaks():
    found = RegisterFilter.from_args({"dari": "31/11/2026", "kbli": "47", "sampai": "2026-11-01"})
    assert found.date_from is None and found.kbli == ""
    assert any("31/11/2026" in e for e in found.errors) and any("KBLI" in e for e in found.errors)
    swapped = RegisterFilter.from_args({"dari": "2026-11-30", "sampai": "2026-11-01"})
    assert (swapped.date_from, swapped.date_to) == (date(2026, 11, 1), date(2026, 11, 30))


def test_csv_and_xlsx_hold_what_the_search_shows(filled):
    with filled.read() as s:
        found = RegisterFilter.from_args({"kbli": "10794"})
        text = "".join(csv_chunks(all_entries(s, found)))
        data = xlsx_bytes(all_entries(s, RegisterFilter()), "Buku Register IUMK · DPMPTSP")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Nomor register,Tanggal terbit,Nama pemohon")
    assert lines[1:] == [
        "0031/IUMK/DPMPTSP/2026,2026-11-26,Ani Lestari,Keripik Nenas Berkah,10794,"
        "9120000000099,IUMK/00099/2026,Siti Petugas"
    ]
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Buku Register IUMK · DPMPTSP" and rows[1][0] == "Nomor register"
    assert len(rows) == 2 + 31
    assert rows[2][0] == "0001/IUMK/DPMPTSP/2026" and rows[2][1].date() == date(2026, 10, 28)
    assert rows[-1][5] == "9120000000099"  # NIB stays text (no 9.12E+12)
