"""Staff identity: Flask-Login sessions for the console, bearer tokens for the API."""

from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from flask import Flask, abort, jsonify, request
from flask_login import LoginManager, current_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from antrian import staff_sessions
from antrian.models import Staff
from antrian.roles import ROLES
from antrian.staff_sessions import session_token, staff_of_token
from antrian.web import db_session

login_manager = LoginManager()


class StaffUser:
    """What Flask-Login keeps: the Staff row plus how it authenticated."""

    def __init__(self, staff: Staff, via_token: bool = False):
        self.staff = staff
        self.via_token = via_token
        self.is_authenticated = True
        self.is_active = staff.active
        self.is_anonymous = False

    def get_id(self) -> str:
        # The session version too: a cookie from before a logout names an old one.
        return session_token(self.staff)

    def has_role(self, *roles: str) -> bool:
        return self.staff.has_role(*roles)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token(session: Session, username: str) -> str:
    """A fresh token replaces the old one; only its hash is stored."""
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        raise LookupError(f"Petugas '{username}' tidak ditemukan.")
    token = "antr_" + secrets.token_urlsafe(32)
    staff.api_token_hash = hash_token(token)
    return token


MAX_USERNAME = 60  # the column
MAX_PASSWORD = 200  # hashing a megabyte would be a free way to keep the server busy


def check_login(session: Session, username: str, password: str) -> Staff | None:
    if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
        return None
    staff = session.scalar(select(Staff).where(Staff.username == username.strip()))
    if staff and staff.active and check_password_hash(staff.password_hash, password):
        return staff
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.login_message_category = "notice"
    staff_sessions.init_app(app)

    @login_manager.user_loader
    def _load(user_id: str):
        staff = staff_of_token(db_session(), user_id)
        return StaffUser(staff) if staff else None

    @login_manager.request_loader
    def _from_bearer(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        staff = db_session().scalar(
            select(Staff).where(Staff.api_token_hash == hash_token(header[7:].strip()))
        )
        return StaffUser(staff, via_token=True) if staff and staff.active else None


def api_role_required(*roles: str):
    """API: 401 JSON for anonymous callers (no login redirect), 403 without one of `roles`
    (admin passes), and a CSRF check for a browser session's POST."""
    _check_known(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return jsonify(
                    error="unauthorized", message="Masuk sebagai petugas diperlukan."
                ), 401
            if not current_user.has_role(*roles):
                return jsonify(error="forbidden", message="Akun ini tidak berhak."), 403
            if not current_user.via_token and request.method == "POST":
                # A browser session must prove the request came from our page (CSRF).
                from flask_wtf.csrf import CSRFError, validate_csrf

                try:
                    validate_csrf(request.headers.get("X-CSRFToken", ""))
                except (CSRFError, Exception):
                    return jsonify(error="csrf", message="Token keamanan tidak valid."), 400
            return view(*args, **kwargs)

        wrapper.required_roles = frozenset(roles)
        return wrapper

    return decorator


def role_required(*roles: str):
    """Pages: anonymous visitors go to the login page, an account without any of `roles` gets
    403 (admin passes everything). `role_required("front_office", "supervisor")` lets either in."""
    _check_known(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = frozenset(roles)
        return wrapper

    return decorator


def _check_known(roles: tuple[str, ...]) -> None:
    # At import time: a misspelt role in a decorator would lock everyone but admin out.
    if not roles or not set(roles) <= set(ROLES):
        raise ValueError(f"role_required needs roles from {sorted(ROLES)}, got {roles!r}")


def current_staff() -> Staff | None:
    return current_user.staff if current_user.is_authenticated else None
