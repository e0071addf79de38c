"""KBLI codes: the shipped list, the chooser's search, the office's additions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from antrian.cases.kbli import (
    KbliCode,
    KbliError,
    count_kbli,
    save_kbli,
    search_kbli,
    seed_kbli,
    set_kbli_active,
    shipped,
)


def test_the_shipped_list_names_its_source_and_holds_5_digit_codes():
    data = shipped()
    assert "KBLI" in data["source"] and "2020" in data["source"]
    codes = [row["code"] for row in data["codes"]]
    assert 100 <= len(codes) <= 250 and len(set(codes)) == len(codes)
    assert all(len(c) == 5 and c.isdecimal() for c in codes)
    titles = {row["code"]: row["title"] for row in data["codes"]}
    assert titles["56102"] == "Rumah/Warung Makan"
    assert titles["10794"] == "Industri Kerupuk, Keripik, Peyek dan Sejenisnya"


def test_seeding_adds_only_what_is_missing_and_keeps_the_office_s_titles(db, now):
    with db.write() as s:
        assert count_kbli(s) == len(shipped()["codes"])  # seeded with the catalogue
        save_kbli(s, "56102", "Rumah Makan / Warung Makan", actor="admin", now=now)
        s.delete(s.get(KbliCode, "47112"))
        s.flush()
        assert seed_kbli(s) == 1
        assert seed_kbli(s) == 0
        assert s.get(KbliCode, "56102").title == "Rumah Makan / Warung Makan"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("warung makan", ["56102"]),
        ("KERIPIK", ["10794"]),
        ("5610", ["56101", "56102", "56103", "56104"]),
        ("eceran pakaian", ["47711", "47742", "47912"]),
    ],
)
def test_search_by_code_prefix_or_every_word(db, query, expected):
    with db.read() as s:
        found = [k.code for k in search_kbli(s, query)]
    assert found == expected


def test_hidden_codes_are_not_offered_and_new_ones_are(db, now):
    with db.write() as s:
        set_kbli_active(s, "56102", False, actor="admin", now=now)
        save_kbli(s, "10392", "  Industri   Tahu Kedelai ", actor="admin", now=now)
    with db.read() as s:
        assert [k.code for k in search_kbli(s, "warung makan")] == []
        added = search_kbli(s, "tahu kedelai")
        assert [(k.code, k.title, k.changed_by) for k in added] == [
            ("10392", "Industri Tahu Kedelai", "admin")
        ]


@pytest.mark.parametrize(
    "code, title, words",
    [
        ("4711", "Perdagangan", "5 digit"),
        ("4711A", "Perdagangan", "5 digit"),
        ("47112", " ", "Judul"),
    ],
)
def test_bad_codes_are_refused(db, now, code, title, words):
    with db.write() as s, pytest.raises(KbliError, match=words):
        save_kbli(s, code, title, actor="admin", now=now)
    with db.read() as s:
        assert s.scalar(select(KbliCode).where(KbliCode.code == code)) is None or code == "47112"
