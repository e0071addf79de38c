"""Word-wrap, transliteration and Indonesian dates for thermal paper."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hardware.printing.text import (
    JAKARTA,
    format_date_id,
    format_datetime_id,
    format_time_id,
    redact_identity_numbers,
    to_printable,
    wrap,
)

PREPARE = "Siapkan KTP, alamat e-mail aktif, NPWP, dan akta pendirian bila badan usaha."


@pytest.mark.parametrize("width", [10, 16, 20, 32, 48])
def test_wrap_never_splits_words(width: int) -> None:
    lines = wrap(PREPARE, width)
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines).split() == PREPARE.split()  # every word whole and in order
    words = set(PREPARE.split())
    assert all(word in words for line in lines for word in line.split())


def test_wrap_fills_lines_greedily() -> None:
    assert wrap("satu dua tiga empat", 9) == ["satu dua", "tiga", "empat"]


def test_only_a_word_longer_than_the_line_is_cut_and_starts_on_its_own_line() -> None:
    assert wrap("URL https://contoh.go.id/t/abc selesai", 10) == [
        "URL",
        "https://co",
        "ntoh.go.id",
        "/t/abc",
        "selesai",
    ]


def test_wrap_keeps_newlines_and_blank_lines() -> None:
    assert wrap("satu\n\ndua tiga", 20) == ["satu", "", "dua tiga"]
    assert wrap("", 20) == [""]


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("Ça va", "Ca va"),
        ("“Kopi” ‘Kerinci’", "\"Kopi\" 'Kerinci'"),
        ("08.00 — 16.00", "08.00 - 16.00"),
        ("Jl. Pemuda – Blok B…", "Jl. Pemuda - Blok B..."),
        ("Café Müller Straße", "Cafe Muller Strasse"),
        ("Łódź Øster", "Lodz Oster"),
        ("ﬁle № 5 m²", "file No 5 m2"),
        ("Nasi\u00a0Goreng", "Nasi Goreng"),
        ("Toko 😀 Baru", "Toko  Baru"),
        ("A\u200bB", "AB"),
    ],
)
def test_transliteration_never_prints_question_marks(raw: str, printed: str) -> None:
    assert to_printable(raw) == printed
    assert "?" not in to_printable(raw)


def test_control_characters_are_removed_except_newline() -> None:
    # ESC, GS, NUL, DLE, EOT... in a name must never reach the printer as commands.
    assert to_printable("A\x1b@B\x1dV\x00C\x10\x04\x01D\nE\tF") == "A@BVCD\nE F"


def test_printable_keeps_characters_the_chosen_code_page_has() -> None:
    assert to_printable("Café", encoding="cp850") == "Café"
    assert to_printable("Café") == "Cafe"


def test_identity_numbers_are_masked_but_phone_numbers_are_not() -> None:
    text = "NIK 1405021234560001, NPWP 01.234.567.8-901.000, telp 0761-494033, NIB 9120001234567"
    masked = redact_identity_numbers(text)
    assert "1405021234560001" not in masked and "901.000" not in masked
    assert "0761-494033" in masked and "9120001234567" in masked


def test_indonesian_date_and_time() -> None:
    moment = datetime(2026, 11, 26, 8, 15)
    assert format_datetime_id(moment) == "Kamis, 26 November 2026 08:15 WIB"
    assert format_date_id(moment) == "Kamis, 26 November 2026"
    assert format_time_id(moment) == "08:15 WIB"
    assert format_datetime_id(datetime(2026, 8, 16, 23, 30, tzinfo=UTC), JAKARTA) == (
        "Senin, 17 Agustus 2026 06:30 WIB"  # UTC evening is the next morning in Pelalawan
    )
    # An office in another zone (ANTRIAN_TIMEZONE) reads its own time and abbreviation.
    makassar = ZoneInfo("Asia/Makassar")
    assert format_datetime_id(datetime(2026, 8, 16, 23, 30, tzinfo=UTC), makassar) == (
        "Senin, 17 Agustus 2026 07:30 WITA"
    )
    assert format_time_id(datetime(2026, 8, 17, 7, 30, tzinfo=makassar)) == "07:30 WITA"
    assert format_datetime_id(datetime(2026, 5, 1, 13, 5)).startswith("Jumat, 1 Mei 2026")
