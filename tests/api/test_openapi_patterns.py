"""The document's field patterns (antrian/api/openapi_errors.py) against the server's own
checks: a value the pattern allows is one the server takes, except for what the document says
a pattern cannot hold (a NIK's region code, a birth date that is not in the calendar), and the
examples people type are allowed. Schemathesis then finds no 422 where a schema says it all."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antrian.api import openapi_errors as patterns
from antrian.cases.validators import validate

TODAY = date(2026, 11, 30)
BOUNDS = settings(max_examples=100, derandomize=True, deadline=None, database=None)
# What only the server can know: Kemendagri's table of regions, the calendar.
NOT_IN_A_PATTERN = ("kode provinsi", "kode kabupaten", "kode kecamatan", "tidak ada di kalender")


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("phone", patterns.PHONE),
        ("nik", patterns.NIK),
        ("npwp", patterns.NPWP),
        ("email", patterns.EMAIL),
    ],
)
def test_a_value_the_pattern_allows_is_taken(kind, pattern):
    @BOUNDS
    @given(st.from_regex(pattern))
    def check(value):
        errors = " ".join(validate(kind, value, today=TODAY).errors).lower()
        if kind == "email" and errors:
            local, _, domain = value.strip().partition("@")
            assert len(local) > 64 or len(domain) > 253, errors  # the lengths: maxLength, a 422
            return
        assert not errors or any(part in errors for part in NOT_IN_A_PATTERN), (value, errors)

    check()


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (patterns.PHONE, "0812 3456 7890"),
        (patterns.PHONE, "+62 812-3456-7890"),
        (patterns.PHONE, "(0761) 123456"),
        (patterns.PHONE, "812345678"),
        (patterns.NIK, "1405020101900001"),
        (patterns.NIK, "1405 0241 0190 0001"),
        (patterns.NPWP, "01.234.567.8-901.234"),
        (patterns.EMAIL, "nama@desa.id"),
        (patterns.or_blank(patterns.NIK), ""),
        (patterns.at_least(10), "  sepuluh huruf  "),
        (patterns.THREE_CHARACTERS, "a b"),
    ],
)
def test_what_people_type_is_allowed(pattern, value):
    assert re.search(pattern, value)


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (patterns.NIK, "1405023201900001"),  # day 32
        (patterns.NIK, "1405020101900000"),  # serial 0000
        (patterns.PHONE, "+1 202 555 0100"),
        (patterns.at_least(10), "   pendek   "),
        (patterns.at_least(5), "abcd\x00e"),  # a NUL is a 400, never schema-valid
        (patterns.THREE_CHARACTERS, "\x1c\x1d\x1e"),  # whitespace to Python: no reason at all
        (patterns.THREE_CHARACTERS, "ab"),
    ],
)
def test_what_the_server_refuses_is_not(pattern, value):
    assert not re.search(pattern, value)
