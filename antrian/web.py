"""Request plumbing shared by every room: one database session per request, committed at its
end; the time of the request; one URL, two renderings (full page or htmx partial)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_htmx import HTMX
from sqlalchemy.orm import Session

from antrian.clock import utcnow
from antrian.db import Database

htmx = HTMX()  # `htmx` in templates too


def database() -> Database:
    return current_app.extensions["antrian.db"]


def db_session() -> Session:
    """GET and HEAD only read: on SQLite they must not queue behind BEGIN IMMEDIATE writers."""
    if "db_session" not in g:
        reading = request.method in ("GET", "HEAD")
        g.db_session = (database().ReadSession if reading else database().Session)()
    return g.db_session


def request_now() -> datetime:
    """One 'now' per request, so every row a request writes agrees on the time."""
    if "now" not in g:
        g.now = utcnow()
    return g.now


def public_base() -> str:
    if "public_base" not in g:  # werkzeug rebuilds host_url on every read
        g.public_base = current_app.config["ANTRIAN"].public_url or request.host_url.rstrip("/")
    return g.public_base


def is_htmx() -> bool:
    """An htmx request for a fragment (a boosted link wants the whole page)."""
    return bool(htmx) and not htmx.boosted


def render(full: str, partial: str, **context):
    """A full page for a plain request, only the fragment for htmx; caches must tell them apart."""
    html = render_template(partial if is_htmx() else full, **context)
    response = current_app.make_response(html)
    response.vary.add("HX-Request")
    return response


class SessionOnlyWithCookie(SecureCookieSessionInterface):
    """Flask builds the cookie signer for every request, cookie or not; kiosks and the API
    send none, so they get the empty session Flask would have given them, without the signer."""

    def open_session(self, app, request):
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = SessionOnlyWithCookie()
    htmx.init_app(app)

    @app.after_request
    def _commit(response):
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            try:
                # A view that committed itself (issuing does, to give the write lock back
                # before building its answer) leaves nothing to commit: a commit here would
                # begin and end an empty transaction, hooks and all (~15 µs a request).
                if session.in_transaction():
                    if response.status_code < 400:
                        session.commit()
                    else:
                        session.rollback()
            finally:
                session.close()
        return response

    @app.teardown_request
    def _close(_exc):
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()
