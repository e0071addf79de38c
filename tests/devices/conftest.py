"""Fixtures for the hardware services: a fake network printer that answers DLE EOT, an app with
its background threads running, and helpers to issue tickets at the real current time (the
services use the wall clock, like the server does)."""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.seed import add_staff

DLE_EOT = b"\x10\x04"
READY = {1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1E, 2: 0x32, 3: 0x12, 4: 0x72}  # offline, stopped by paper end, sensor empty


@dataclass
class StatusPrinter:
    """A raw port-9100 printer on 127.0.0.1: records each connection, answers DLE EOT n."""

    url: str
    answers: dict[int, int] = field(default_factory=dict)
    connections: list[bytes] = field(default_factory=list)

    def paper_out(self) -> None:
        self.answers.update(PAPER_OUT)

    def ready(self) -> None:
        self.answers.update(READY)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        fake: StatusPrinter = self.server.fake  # type: ignore[attr-defined]
        received = bytearray()
        pending = b""
        while data := self.request.recv(65536):
            received += data
            pending += data
            while (i := pending.find(DLE_EOT)) >= 0 and len(pending) > i + 2:
                n, pending = pending[i + 2], pending[i + 3 :]
                if n in fake.answers:
                    self.request.sendall(bytes([fake.answers[n]]))
        fake.connections.append(bytes(received))


@pytest.fixture
def status_printer() -> Iterator[StatusPrinter]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    fake = StatusPrinter(url=f"tcp://127.0.0.1:{server.server_address[1]}")
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(2)


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
        add_staff(s, "admin", "Administrator", "sandi-admin-1", "admin,staff", now)
    return "admin"


@pytest.fixture
def running_app(db, tmp_path):
    """create_app with background threads on; every thread is stopped at the end."""
    from antrian import create_app
    from antrian.config import load_settings

    made = []

    def make(**overrides):
        settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
            database_url=db.url, issue_rate_limit="off", start_background=True, **overrides
        )
        app = create_app(settings, TESTING=True, SSE_HEARTBEAT_SECONDS=0.2)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["antrian.stop"].set()
        hardware = app.extensions.get("antrian.hardware")
        if hardware is not None:
            hardware.stop()
        spooler = app.extensions.get("antrian.spooler")
        if spooler is not None:
            spooler.stop()
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

    def log_in(app, client, username: str = "dewi", roles: str = "staff") -> str:
        with app.extensions["antrian.db"].write() as s:
            add_staff(s, username, username.title(), f"sandi-{username}-1", roles, now)
        csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
        form = {"username": username, "password": f"sandi-{username}-1", "csrf_token": csrf}
        assert client.post("/staff/login", data=form).status_code == 303
        return csrf

    return log_in
