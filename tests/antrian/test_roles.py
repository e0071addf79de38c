"""Roles: several per account, admin passes every check, the old `staff` role upgraded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from antrian.auth import role_required
from antrian.db import Database
from antrian.migrate import alembic_config, upgrade
from antrian.models import Staff
from antrian.roles import parse_roles
from antrian.seed import add_staff

OFFICE_0_4_0 = Path(__file__).parents[1] / "fixtures" / "antrian-0.4.0.sqlite3"


def test_an_account_holds_several_roles_and_admin_passes_everything(db, now):
    with db.write() as s:
        kasi = add_staff(s, "kasi", "Kasi Pelayanan", "x", "supervisor, back_office", now)
        admin = add_staff(s, "root", "Admin", "x", ["admin"], now)
        assert kasi.roles == "back_office,supervisor"
        assert kasi.has_role("supervisor") and kasi.has_role("front_office", "back_office")
        assert not kasi.has_role("front_office") and not kasi.has_role("admin")
        assert all(admin.has_role(r) for r in ("front_office", "technical", "supervisor"))


@pytest.mark.parametrize("roles", ["staff", "front_office,kepala", "", " , "])
def test_an_unknown_or_empty_role_is_refused(sqlite_db, now, roles):
    with sqlite_db.write() as s, pytest.raises(ValueError, match="[Pp]eran"):
        add_staff(s, "x", "X", "x", roles, now)


def test_parse_roles_keeps_one_order():
    assert parse_roles("admin,front_office,admin") == ["front_office", "admin"]


def test_a_misspelt_role_in_a_decorator_fails_at_import():
    with pytest.raises(ValueError):
        role_required("frontoffice")
    with pytest.raises(ValueError):
        role_required()


def test_the_office_database_of_0_4_0_turns_staff_into_front_office(tmp_path):
    path = tmp_path / "kantor.sqlite3"
    shutil.copy(OFFICE_0_4_0, path)
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    with db.read() as s:
        roles = dict(s.execute(select(Staff.username, Staff.roles)).all())
    db.dispose()
    assert roles == {"siti": "front_office", "admin": "front_office,admin"}
    command.downgrade(alembic_config(url), "0013")  # the step before the roles
    db = Database(url)
    with db.read() as s:
        assert dict(s.execute(select(Staff.username, Staff.roles)).all()) == {
            "siti": "staff",
            "admin": "staff,admin",
        }
    db.dispose()
