"""Staff accounts as an admin manages them on the web (and the CLI): create, roles, disable,
reset a password; an officer changes their own. Each change is an event in the log (who, when,
what; never a password). Explicit arguments: session, the acting account, now."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from antrian.events import record_event
from antrian.models import Staff
from antrian.operations.calls import actor_name
from antrian.operations.errors import Conflict, Invalid, NotFound
from antrian.roles import format_roles, parse_roles
from antrian.seed import add_staff

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,59}")
PASSWORD_MIN = 8


class AccountInvalid(Invalid):
    """Bad input, with a message per form field so the page can show each next to its field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), code="invalid_account")
        self.errors = errors


def create_account(
    session: Session,
    actor: Staff,
    username: str,
    full_name: str,
    roles: list[str],
    password: str,
    now: datetime,
) -> Staff:
    username, full_name = username.strip().lower(), " ".join(full_name.split())
    errors = {}
    if not USERNAME.fullmatch(username):
        errors["username"] = (
            "Nama pengguna 3-60 karakter: huruf kecil, angka, titik, garis bawah atau strip."
        )
    elif session.scalar(select(Staff.id).where(Staff.username == username)):
        errors["username"] = f"Nama pengguna '{username}' sudah dipakai."
    if not full_name:
        errors["full_name"] = "Nama lengkap wajib diisi."
    errors.update(_role_errors(roles))
    errors.update(_password_errors(password))
    if errors:
        raise AccountInvalid(errors)
    staff = add_staff(session, username, full_name, password, roles, now)
    _event(session, "account.created", staff, actor, now, roles=staff.role_list)
    return staff


def set_roles(
    session: Session, actor: Staff, staff_id: int, roles: list[str], now: datetime
) -> Staff:
    errors = _role_errors(roles)
    if errors:
        raise AccountInvalid(errors)
    staff = find_account(session, staff_id)
    new = format_roles(roles)
    if "admin" not in new.split(","):
        _keep_an_admin(session, staff, actor, "melepas peran admin")
    before = staff.role_list
    staff.roles = new
    _event(
        session, "account.roles_changed", staff, actor, now, before=before, roles=staff.role_list
    )
    return staff


def set_active(session: Session, actor: Staff, staff_id: int, active: bool, now: datetime) -> Staff:
    """A disabled account can no longer log in; its open sessions and API token stop working."""
    staff = find_account(session, staff_id)
    if not active:
        _keep_an_admin(session, staff, actor, "menonaktifkan")
    staff.active = active
    _event(session, "account.enabled" if active else "account.disabled", staff, actor, now)
    return staff


def reset_password(session: Session, actor: Staff, staff_id: int, now: datetime) -> str:
    """A new random password, returned once for the admin to hand over; the old one and the API
    token stop working."""
    staff = find_account(session, staff_id)
    password = secrets.token_urlsafe(9)
    staff.password_hash = generate_password_hash(password)
    staff.api_token_hash = None
    _event(session, "account.password_reset", staff, actor, now)
    return password


def change_own_password(
    session: Session, staff: Staff, current: str, new: str, repeat: str, now: datetime
) -> None:
    errors = {}
    if not check_password_hash(staff.password_hash, current):
        errors["current"] = "Kata sandi sekarang salah."
    if problem := _password_errors(new).get("password"):
        errors["new"] = problem
    if not errors.get("new") and new != repeat:
        errors["repeat"] = "Ulangi kata sandi baru dengan sama persis."
    if not errors.get("new") and new == current:
        errors["new"] = "Kata sandi baru harus berbeda dari yang sekarang."
    if errors:
        raise AccountInvalid(errors)
    staff.password_hash = generate_password_hash(new)
    _event(session, "account.password_changed", staff, staff, now)


def find_account(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, int(staff_id))
    if staff is None:
        raise NotFound("Akun tidak ditemukan.", code="unknown_account")
    return staff


def list_accounts(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.username)))


def _keep_an_admin(session: Session, staff: Staff, actor: Staff, doing: str) -> None:
    """Never lock the office out: the acting admin keeps their own access, one admin stays."""
    if staff.id == actor.id:
        raise Conflict(f"Anda tidak dapat {doing} akun Anda sendiri.", code="self_lockout")
    if "admin" not in staff.role_list or not staff.active:
        return
    admins = [
        s
        for s in session.scalars(select(Staff).where(Staff.active, Staff.id != staff.id))
        if "admin" in s.role_list
    ]
    if not admins:
        raise Conflict("Harus ada setidaknya satu admin aktif.", code="last_admin")


def _role_errors(roles: list[str]) -> dict[str, str]:
    try:
        parse_roles(roles)
    except ValueError as err:
        return {"roles": str(err)}
    return {}


def _password_errors(password: str) -> dict[str, str]:
    if len(password) < PASSWORD_MIN:
        return {"password": f"Kata sandi paling sedikit {PASSWORD_MIN} karakter."}
    return {}


def _event(session: Session, kind: str, staff: Staff, actor: Staff, now: datetime, **data) -> None:
    record_event(session, kind, now, actor_name(actor), account=staff.username, **data)
