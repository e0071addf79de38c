"""Number words and the call phrase: table-driven, every row one spoken form."""

import pytest

from queue_display.announce.phrase import LETTER_NAMES_ID, call_phrase
from queue_display.announce.terbilang import number_words_en, terbilang

TERBILANG = [
    (0, "nol"),
    (1, "satu"),
    (2, "dua"),
    (3, "tiga"),
    (4, "empat"),
    (5, "lima"),
    (6, "enam"),
    (7, "tujuh"),
    (8, "delapan"),
    (9, "sembilan"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (13, "tiga belas"),
    (14, "empat belas"),
    (15, "lima belas"),
    (16, "enam belas"),
    (17, "tujuh belas"),
    (18, "delapan belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (30, "tiga puluh"),
    (45, "empat puluh lima"),
    (90, "sembilan puluh"),
    (99, "sembilan puluh sembilan"),
    (100, "seratus"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (111, "seratus sebelas"),
    (115, "seratus lima belas"),
    (123, "seratus dua puluh tiga"),
    (199, "seratus sembilan puluh sembilan"),
    (200, "dua ratus"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (1999, "seribu sembilan ratus sembilan puluh sembilan"),
    (2000, "dua ribu"),
    (2024, "dua ribu dua puluh empat"),
    (10_000, "sepuluh ribu"),
    (11_000, "sebelas ribu"),
    (12_345, "dua belas ribu tiga ratus empat puluh lima"),
    (100_000, "seratus ribu"),
    (101_000, "seratus satu ribu"),
    (999_999, "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"),
    (1_000_000, "satu juta"),
    (1_000_001, "satu juta satu"),
    (1_001_000, "satu juta seribu"),
    (2_500_000, "dua juta lima ratus ribu"),
    (100_000_000, "seratus juta"),
    (
        999_999_999,
        "sembilan ratus sembilan puluh sembilan juta "
        "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
    ),
]


@pytest.mark.parametrize(("n", "words"), TERBILANG)
def test_terbilang(n: int, words: str) -> None:
    assert terbilang(n) == words


ENGLISH = [
    (0, "zero"),
    (7, "seven"),
    (11, "eleven"),
    (19, "nineteen"),
    (20, "twenty"),
    (21, "twenty-one"),
    (99, "ninety-nine"),
    (100, "one hundred"),
    (101, "one hundred one"),
    (123, "one hundred twenty-three"),
    (1000, "one thousand"),
    (1001, "one thousand one"),
    (11_000, "eleven thousand"),
    (100_000, "one hundred thousand"),
    (999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine"),
    (1_000_000, "one million"),
    (2_000_300, "two million three hundred"),
]


@pytest.mark.parametrize(("n", "words"), ENGLISH)
def test_number_words_en(n: int, words: str) -> None:
    assert number_words_en(n) == words


@pytest.mark.parametrize("fn", [terbilang, number_words_en])
@pytest.mark.parametrize("bad", [-1, 1_000_000_000])
def test_number_out_of_range(fn, bad: int) -> None:
    with pytest.raises(ValueError):
        fn(bad)


@pytest.mark.parametrize("fn", [terbilang, number_words_en])
@pytest.mark.parametrize("bad", [True, 1.0, "1"])
def test_number_wrong_type(fn, bad) -> None:
    with pytest.raises(TypeError):
        fn(bad)


PHRASES_ID = [
    ("A-123", 2, "Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua"),
    ("A123", 2, "Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua"),
    ("a-123", 2, "Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua"),
    (" A 123 ", 2, "Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua"),
    ("B-007", 4, "Nomor antrean be, tujuh, silakan menuju loket empat"),
    ("B-000", 1, "Nomor antrean be, nol, silakan menuju loket satu"),
    ("C-010", 11, "Nomor antrean ce, sepuluh, silakan menuju loket sebelas"),
    ("D-0100", 12, "Nomor antrean de, seratus, silakan menuju loket dua belas"),
    ("E-1000", 3, "Nomor antrean E, seribu, silakan menuju loket tiga"),
    ("AB-12", 5, "Nomor antrean A be, dua belas, silakan menuju loket lima"),
    ("XYZ-001", 10, "Nomor antrean eks ye zet, satu, silakan menuju loket sepuluh"),
    ("A-5", "3", "Nomor antrean A, lima, silakan menuju loket tiga"),
    ("A-5", "03", "Nomor antrean A, lima, silakan menuju loket tiga"),
    ("A-5", "Prioritas", "Nomor antrean A, lima, silakan menuju loket Prioritas"),
    ("A-5", " IUMK 2 ", "Nomor antrean A, lima, silakan menuju loket IUMK 2"),
]


@pytest.mark.parametrize(("code", "counter", "text"), PHRASES_ID)
def test_call_phrase_id(code: str, counter: int | str, text: str) -> None:
    assert call_phrase(code, counter) == text
    assert call_phrase(code, counter, lang="id") == text


# fmt: off
LETTERS = [
    ("A", "A"), ("B", "be"), ("C", "ce"), ("D", "de"), ("E", "E"), ("F", "ef"),
    ("G", "ge"), ("H", "ha"), ("I", "I"), ("J", "je"), ("K", "ka"), ("L", "el"),
    ("M", "em"), ("N", "en"), ("O", "O"), ("P", "pe"), ("Q", "ki"), ("R", "er"),
    ("S", "es"), ("T", "te"), ("U", "U"), ("V", "fe"), ("W", "we"), ("X", "eks"),
    ("Y", "ye"), ("Z", "zet"),
]
# fmt: on


@pytest.mark.parametrize(("letter", "name"), LETTERS)
def test_every_letter_name(letter: str, name: str) -> None:
    expected = f"Nomor antrean {name}, dua puluh satu, silakan menuju loket satu"
    assert call_phrase(f"{letter}-021", 1) == expected
    assert call_phrase(f"{letter.lower()}21", 1) == expected


def test_letter_table_is_complete() -> None:
    assert sorted(LETTER_NAMES_ID) == [letter for letter, _ in LETTERS]


PHRASES_EN = [
    ("A-123", 2, "Queue number A, one hundred twenty-three, please proceed to counter two"),
    ("B-007", 4, "Queue number B, seven, please proceed to counter four"),
    ("b7", "12", "Queue number B, seven, please proceed to counter twelve"),
    ("AB-1000", 1, "Queue number A B, one thousand, please proceed to counter one"),
    ("Q-011", "Priority", "Queue number Q, eleven, please proceed to counter Priority"),
]


@pytest.mark.parametrize(("code", "counter", "text"), PHRASES_EN)
def test_call_phrase_en(code: str, counter: int | str, text: str) -> None:
    assert call_phrase(code, counter, lang="en") == text


@pytest.mark.parametrize(
    "code",
    ["", "   ", "123", "A-", "-123", "A--1", "A_1", "A-12B", "1A", "Ä-1", "A-١٢٣", None, 123],
)
def test_malformed_code(code) -> None:
    with pytest.raises(ValueError, match="Kode antrean tidak valid"):
        call_phrase(code, 1)


def test_code_number_too_big() -> None:
    with pytest.raises(ValueError, match="terlalu besar"):
        call_phrase("A-1000000000", 1)


@pytest.mark.parametrize("lang", ["", "ID", "id-ID", "fr", "jv"])
def test_unknown_language(lang: str) -> None:
    with pytest.raises(ValueError, match="Bahasa tidak didukung"):
        call_phrase("A-1", 1, lang=lang)


@pytest.mark.parametrize("counter", ["", "  ", True, -1])
def test_bad_counter(counter) -> None:
    with pytest.raises(ValueError):
        call_phrase("A-1", counter)
