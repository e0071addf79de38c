"""Accounts on the web: an admin creates, sets roles, disables and resets; an officer changes
their own password. Operations on SQLite and PostgreSQL, pages through the Flask client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from antrian import accounts
from antrian.auth import check_login, new_api_token
from antrian.models import Event, Staff
from antrian.seed import add_staff


@pytest.fixture
def admin(db, now):
    with db.write() as s:
        return add_staff(s, "kepala", "Kepala", "sandi-kepala-1", "admin", now).id


def actor(s, staff_id):
    return s.get(Staff, staff_id)


def test_create_with_several_roles_then_change_disable_and_reset(db, now, admin):
    with db.write() as s:
        rina = accounts.create_account(
            s,
            actor(s, admin),
            " Rina ",
            "Rina  Sari",
            ["supervisor", "back_office"],
            "rahasia-rina",
            now,
        )
        rina_id = rina.id
        assert (rina.username, rina.full_name, rina.roles) == (
            "rina",
            "Rina Sari",
            "back_office,supervisor",
        )
    with db.write() as s:
        accounts.set_roles(s, actor(s, admin), rina_id, ["front_office"], now)
        token = new_api_token(s, "rina")
        accounts.set_active(s, actor(s, admin), rina_id, False, now)
    with db.read() as s:
        assert check_login(s, "rina", "rahasia-rina") is None  # disabled
    with db.write() as s:
        accounts.set_active(s, actor(s, admin), rina_id, True, now)
        password = accounts.reset_password(s, actor(s, admin), rina_id, now)
    with db.read() as s:
        assert check_login(s, "rina", "rahasia-rina") is None
        assert check_login(s, "rina", password).roles == "front_office"
        assert s.get(Staff, rina_id).api_token_hash is None and token
        log = [(e.kind, e.actor) for e in s.scalars(select(Event).order_by(Event.id))]
        assert all(password not in str(e.data) for e in s.scalars(select(Event)))
    assert [k for k, _ in log] == [
        "account.created",
        "account.roles_changed",
        "account.disabled",
        "account.enabled",
        "account.password_reset",
    ]
    assert {a for _, a in log} == {"staff:kepala"}


def test_bad_input_names_each_field(db, now, admin):
    with pytest.raises(accounts.AccountInvalid) as err, db.write() as s:
        accounts.create_account(s, actor(s, admin), "Ab", "", ["kepala"], "pendek", now)
    assert set(err.value.errors) == {"username", "full_name", "roles", "password"}
    with pytest.raises(accounts.AccountInvalid, match="sudah dipakai"), db.write() as s:
        accounts.create_account(s, actor(s, admin), "kepala", "X", ["admin"], "panjang-sekali", now)


def test_the_office_is_never_locked_out(db, now, admin):
    with pytest.raises(accounts.Conflict, match="akun Anda sendiri"), db.write() as s:
        accounts.set_roles(s, actor(s, admin), admin, ["supervisor"], now)
    with pytest.raises(accounts.Conflict, match="akun Anda sendiri"), db.write() as s:
        accounts.set_active(s, actor(s, admin), admin, False, now)
    with db.write() as s:
        other = add_staff(s, "wakil", "Wakil", "sandi-wakil-1", "admin", now).id
    with db.write() as s:  # two admins: one may disable the other
        accounts.set_active(s, actor(s, other), admin, False, now)
    with pytest.raises(accounts.Conflict), db.write() as s:
        accounts.set_roles(s, actor(s, other), other, ["front_office"], now)


def test_an_officer_changes_their_own_password(db, now, admin):
    with db.write() as s:
        me = actor(s, admin)
        with pytest.raises(accounts.AccountInvalid) as err:
            accounts.change_own_password(s, me, "salah", "baru-sekali-1", "baru-sekali-2", now)
        assert set(err.value.errors) == {"current", "repeat"}
        accounts.change_own_password(s, me, "sandi-kepala-1", "baru-sekali-1", "baru-sekali-1", now)
    with db.read() as s:
        assert check_login(s, "kepala", "baru-sekali-1") is not None


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


BUDI = {"username": "budi", "full_name": "Budi Santoso", "roles": ["front_office", "supervisor"]}


def test_the_accounts_page(client, admin_csrf, app):
    page = client.get("/staff/admin/akun")
    assert page.status_code == 200 and 'id="account-kepala"' in page.get_data(as_text=True)
    bad = client.post(
        "/staff/admin/akun",
        data={**BUDI, "username": "budi santoso", "password": "x", "csrf_token": admin_csrf},
    )
    text = bad.get_data(as_text=True)
    assert (
        bad.status_code == 422 and 'value="budi santoso"' in text and 'value="Budi Santoso"' in text
    )
    assert 'id="username-error"' in text and 'id="password-error"' in text
    assert re.search(r'value="supervisor" checked', text)  # the ticked roles stay ticked
    ok = client.post(
        "/staff/admin/akun",
        data={**BUDI, "password": "sandi-budi-1", "csrf_token": admin_csrf},
    )
    assert ok.status_code == 303
    text = client.get("/staff/admin/akun").get_data(as_text=True)
    assert "Akun &#39;budi&#39; dibuat." in text or "Akun 'budi' dibuat." in text
    with app.extensions["antrian.db"].read() as s:
        budi = s.scalar(select(Staff).where(Staff.username == "budi"))
    reset = client.post(f"/staff/admin/akun/{budi.id}/sandi", data={"csrf_token": admin_csrf})
    password = re.search(r"<code>([^<]+)</code>", reset.get_data(as_text=True)).group(1)
    assert "budi" not in reset.headers.get("Set-Cookie", "") and password not in reset.headers.get(
        "Set-Cookie", ""
    )
    client.post(
        f"/staff/admin/akun/{budi.id}/peran",
        data={"roles": ["supervisor"], "csrf_token": admin_csrf},
    )
    client.post(
        f"/staff/admin/akun/{budi.id}/aktif", data={"active": "0", "csrf_token": admin_csrf}
    )
    with app.extensions["antrian.db"].read() as s:
        budi = s.get(Staff, budi.id)
        assert budi.roles == "supervisor" and not budi.active


def test_own_password_page_for_any_role(client, login):
    csrf = login("kasi", "supervisor")
    form = {
        "current": "sandi-kasi-1",
        "new": "sandi-baru-1",
        "repeat": "sandi-baru-2",
        "csrf_token": csrf,
    }
    bad = client.post("/staff/sandi", data=form)
    assert bad.status_code == 422 and "Ulangi kata sandi baru" in bad.get_data(as_text=True)
    ok = client.post("/staff/sandi", data={**form, "repeat": "sandi-baru-1"})
    assert ok.status_code == 303
    assert "Kata sandi Anda diganti." in client.get("/staff/").get_data(as_text=True)
    assert client.get("/staff/admin/akun").status_code == 403
