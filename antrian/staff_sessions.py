"""Staff sessions that end when they should, and logins that cannot be guessed at speed.

- Logout ends the session on the server: the cookie names the account *and* its session
  version (Flask-Login's "alternative token"), and logout bumps the version. A cookie copied
  before the logout names an old version and opens nothing (issue #14, finding 16). It ends
  that account's sessions in every browser: one account is one officer.
- A session ends after `ANTRIAN_SESSION_IDLE_MINUTES` (30) without a person doing anything.
  The desk's own refreshes (htmx GETs pushed by its event stream) and the stream are not
  activity: a desk left open must still time out.
- Logins are counted per account and per address in the database (every worker sees the same
  counts, antrian/operations/rate_limits.py), before the password is checked, so parallel
  guesses cannot slip past the count.
"""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import logout_user
from sqlalchemy.orm import Session

from antrian.clock import local
from antrian.models import Staff
from antrian.operations.rate_limits import Rate, TooManyRequests, count_hit, forget

LOGIN_PER_ACCOUNT = Rate(5, 15 * 60)  # guesses at one account in 15 minutes
LOGIN_PER_ADDRESS = Rate(20, 15 * 60)  # attempts from one address (a desk PC) in 15 minutes
SEEN = "seen"  # epoch seconds of the person's last action, in the signed session cookie
SEEN_RESOLUTION = 30  # write the cookie again at most this often


def session_token(staff: Staff) -> str:
    return f"{staff.id}:{staff.session_version}"


def staff_of_token(db: Session, token: str) -> Staff | None:
    """The active account a session cookie names, if it names its current session version."""
    staff_id, _, version = token.partition(":")
    if not (staff_id.isdecimal() and version.isdecimal()) or len(staff_id) > 10:
        return None
    staff = db.get(Staff, int(staff_id))
    if staff is None or not staff.active or staff.session_version != int(version):
        return None
    return staff


def end_sessions(staff: Staff) -> None:
    """Every session cookie of this account stops working (logout, password change)."""
    staff.session_version = (staff.session_version or 0) + 1


def _account_key(username: str) -> str:
    return "login-account:" + username.strip().lower()[:60]


def count_login_attempt(db: Session, username: str, address: str, now: datetime) -> None:
    """Counts this attempt; TooManyRequests when the account or the address is over its limit
    (the caller commits either way: the count must outlive a refused login)."""
    over = []
    for key, rate in (
        (_account_key(username), LOGIN_PER_ACCOUNT),
        (f"login-address:{address}", LOGIN_PER_ADDRESS),
    ):
        if count_hit(db, key, rate, now) > rate.amount:
            over.append(rate.window(now)[1])
    if over:
        until = max(over)
        minutes = max(1, round((until - now).total_seconds() / 60))
        raise TooManyRequests(
            "Terlalu banyak percobaan masuk. Demi keamanan, coba lagi pukul "
            f"{local(until):%H:%M} (sekitar {minutes} menit lagi).",
            until=until,
            now=now,
        )


def login_succeeded(db: Session, username: str, address: str, now: datetime) -> None:
    """The right password: the account's count starts over, and this attempt does not count
    against the desk's address."""
    forget(db, _account_key(username))
    count_hit(db, f"login-address:{address}", LOGIN_PER_ADDRESS, now, by=-1)


def mark_seen() -> None:
    session[SEEN] = int(time.time())


def _is_activity() -> bool:
    if request.endpoint == "staff.events":
        return False
    # htmx GETs on the console are the desk refreshing itself after an event, not a person.
    return request.method != "GET" or not request.headers.get("HX-Request")


def _end_idle_session():
    """Before every request that carries a staff session cookie."""
    if "_user_id" not in session:
        return None
    now = int(time.time())
    idle_minutes = current_app.config["ANTRIAN"].session_idle_minutes
    seen = session.get(SEEN)
    if isinstance(seen, int) and now - seen > idle_minutes * 60:
        logout_user()
        session.pop(SEEN, None)
        session.pop("counter", None)
        if not request.path.startswith("/staff"):
            return None  # a public page: simply no longer signed in
        flash(
            f"Sesi berakhir karena tidak ada kegiatan selama {idle_minutes} menit. "
            "Silakan masuk lagi.",
            "error",
        )
        target = url_for("staff.login")
        if request.headers.get("HX-Request"):
            response = current_app.make_response(("", 401))
            response.headers["HX-Redirect"] = target  # the whole page goes, not a fragment
            return response
        return redirect(target, code=303)
    if _is_activity() and (not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION):
        session[SEEN] = now
    return None


def init_app(app: Flask) -> None:
    app.before_request(_end_idle_session)
