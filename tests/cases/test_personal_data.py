"""Personal data: encrypted in the database file, masked where it is shown."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from antrian.cases import personal_data
from antrian.cases.personal_data import (
    EncryptedText,
    data_keys,
    mask_email,
    mask_nik,
    mask_npwp,
    mask_phone,
)

NIK = "1405021708850003"


def test_values_written_through_the_type_are_not_in_the_sqlite_file(tmp_path):
    path = tmp_path / "office.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    meta = MetaData()
    people = Table(
        "people", meta, Column("id", Integer, primary_key=True), Column("nik", EncryptedText)
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(people), [{"nik": NIK}, {"nik": None}, {"nik": NIK}])
    with engine.connect() as conn:
        assert conn.scalars(select(people.c.nik).order_by(people.c.id)).all() == [NIK, None, NIK]
        stored = conn.scalars(text("SELECT nik FROM people WHERE nik IS NOT NULL")).all()
    engine.dispose()
    assert stored[0] != stored[1]  # randomised: equal NIKs do not show as equal
    raw = path.read_bytes()
    assert NIK.encode() not in raw and b"140502" not in raw
    assert stored[0].encode() in raw  # the file was really read: the ciphertext is there


def test_a_key_file_is_made_on_first_run_readable_by_the_owner_only(tmp_path):
    instance = tmp_path / "instance"
    first = data_keys(instance, env={})
    assert data_keys(instance, env={}) == first  # the same key on the next start
    assert stat.S_IMODE((instance / "data_key").stat().st_mode) == 0o600
    assert data_keys(instance, env={"ANTRIAN_DATA_KEY": "a, b"}) == [b"a", b"b"]


def test_another_key_cannot_read_and_says_so(tmp_path):
    token = personal_data.encrypt(NIK)
    assert personal_data.decrypt(token) == NIK
    personal_data.use_keys(data_keys(tmp_path / "other", env={}))
    try:
        with pytest.raises(ValueError, match="kunci"):
            personal_data.decrypt(token)
    finally:
        personal_data.use_keys(data_keys(tmp_path))  # the run's key (ANTRIAN_DATA_KEY)
    assert personal_data.decrypt(token) == NIK


def test_keys_rotate_the_old_key_still_reads(tmp_path):
    old = data_keys(tmp_path / "old", env={})
    new = data_keys(tmp_path / "new", env={})
    personal_data.use_keys(old)
    token = personal_data.encrypt(NIK)
    try:
        personal_data.use_keys(new + old)
        assert personal_data.decrypt(token) == NIK
    finally:
        personal_data.use_keys(data_keys(tmp_path))


def test_search_token_finds_equal_values_without_the_value():
    a, b = personal_data.search_token(NIK), personal_data.search_token(NIK)
    assert a == b and NIK not in a and a != personal_data.search_token("1405021708850004")


@pytest.mark.parametrize(
    "value, shown",
    [
        ("1405020101900001", "140502******0001"),
        ("1405.0201.0190.0001", "140502******0001"),
        (None, ""),
    ],
)
def test_mask_nik(value, shown):
    assert mask_nik(value) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        ("+6281234567890", "0812****7890"),
        ("+62812345678901", "0812*****8901"),
        ("081234567890", "0812****7890"),
        ("+62761493123", "0761**3123"),
        ("", ""),
    ],
)
def test_mask_phone(value, shown):
    assert mask_phone(value) == shown


def test_mask_email_and_npwp():
    assert mask_email("ani.lestari@domain.id") == "a***@domain.id"
    assert mask_email(None) == ""
    assert mask_npwp("0013121660091000") == "01.***.***.*-091.000"
    assert mask_npwp("013121660091000") == "01.***.***.*-091.000"
    assert mask_npwp("1405020101900001") == "140502******0001"


def test_the_type_round_trips_on_both_databases_and_stores_no_clear_text(db):
    meta = MetaData()
    people = Table(
        "encryption_probe",
        meta,
        Column("id", Integer, primary_key=True),
        Column("phone", EncryptedText),
    )
    meta.create_all(db.engine)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(people), [{"phone": "+6281234567890"}, {"phone": ""}])
        with db.engine.connect() as conn:
            assert conn.scalars(select(people.c.phone).order_by(people.c.id)).all() == [
                "+6281234567890",
                "",
            ]
            raw = conn.scalars(text("SELECT phone FROM encryption_probe ORDER BY id")).all()
        assert "81234567890" not in raw[0] and raw[1] == ""
    finally:
        meta.drop_all(db.engine)
