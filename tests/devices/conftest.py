"""Fixtures for the hardware services: a fake network printer that answers DLE EOT, an app with
its background threads running, and helpers to issue tickets at the real current time (the
services use the wall clock, like the server does)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.seed import add_staff
from hardware.printing.testing import FakeNetworkPrinter


@pytest.fixture
def status_printer() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter() as printer:
        yield printer


@pytest.fixture
def issue_now(db):
    """Issue a ticket now (wall clock): the call boxes and displays work in the present."""

    def issue(service: str = "A") -> str:
        with db.write() as s:
            ticket = ops.issue_ticket(s, service, None, None, utcnow(), public_base="http://k")
            return ticket.code

    return issue


@pytest.fixture
def box_staff(db, now):
    """The account call boxes act as by default (ANTRIAN_CALL_BOX_STAFF=admin)."""
    with db.write() as s:
        add_staff(s, "admin", "Administrator", "sandi-admin-1", "admin", now)
    return "admin"


@pytest.fixture
def running_app(db, tmp_path):
    """create_app with background threads on; every thread is stopped at the end."""
    from antrian import create_app
    from antrian.config import load_settings

    made = []

    def make(**overrides):
        settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
            database_url=db.url,
            issue_rate_limit="off",
            start_background=True,
            backup_time="off",
            **overrides,
        )
        app = create_app(settings, TESTING=True, SSE_HEARTBEAT_SECONDS=0.2)
        made.append(app)
        # On PostgreSQL the process takes the printers once it holds the owner lock.
        assert app.extensions["antrian.background"].owned.wait(10)
        return app

    yield make
    for app in made:
        app.extensions["antrian.stop"].set()
        app.extensions["antrian.background"].stop()
        app.extensions["antrian.db"].dispose()


@pytest.fixture
def quiet_app(db, tmp_path):
    """create_app without background threads, with settings overrides (a printer URL...)."""
    from antrian import create_app
    from antrian.config import load_settings

    made = []

    def make(**overrides):
        settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
            database_url=db.url, issue_rate_limit="off", start_background=False, **overrides
        )
        app = create_app(settings, TESTING=True)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["antrian.db"].dispose()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def login(now):
    """Log a new account in on a Flask test client; returns the CSRF token of the session."""

    def log_in(app, client, username: str = "dewi", roles: str = "front_office") -> str:
        with app.extensions["antrian.db"].write() as s:
            add_staff(s, username, username.title(), f"sandi-{username}-1", roles, now)
        csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
        form = {"username": username, "password": f"sandi-{username}-1", "csrf_token": csrf}
        assert client.post("/staff/login", data=form).status_code == 303
        return csrf

    return log_in
