"""Several real worker processes on PostgreSQL: every display gets every call, and printing
survives the death of the process that prints.

`antrian serve --workers N` runs N processes; a call taken by one worker must reach displays
streaming from the others (LISTEN/NOTIFY), and one of them, holding an advisory lock, prints.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from antrian.background import OWNER_LOCK
from hardware.printing.escpos_reader import read_escpos

PG_URL = os.environ.get("ANTRIAN_TEST_DATABASE_URL", "")


@pytest.fixture
def fresh_pg_database():
    """A database of its own: other suites may be truncating the shared test database."""
    if not PG_URL:
        pytest.skip("ANTRIAN_TEST_DATABASE_URL not set (make test sets it)")
    url = make_url(PG_URL)
    name = f"{url.database}_workers"  # beside the test database: two test runs never share it
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def four_workers(fresh_pg_database, serve):
    return serve(workers=4, extra_env={"ANTRIAN_DATABASE_URL": fresh_pg_database})


@pytest.fixture
def two_workers(fresh_pg_database, serve):
    return serve(workers=2, extra_env={"ANTRIAN_DATABASE_URL": fresh_pg_database}), (
        fresh_pg_database
    )


class Display(threading.Thread):
    """A display client: reads `call` events off /display/events."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        self.conn.request("GET", "/display/events")
        self.response = self.conn.getresponse()
        self.worker = self.response.getheader("X-Served-By")
        self.calls: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        event = None
        for raw in self.response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
                if event == "snapshot":
                    self.ready.set()
            elif line.startswith("data: ") and event == "call":
                self.calls.append(json.loads(line[6:])["code"])


def post(port: int, path: str, body: dict | None = None, token: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # new connection each time
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request("POST", path, body=json.dumps(body or {}), headers=headers)
    response = conn.getresponse()
    payload = json.loads(response.read())
    return response.status, response.getheader("X-Served-By"), payload


@pytest.mark.postgres
def test_every_display_gets_every_call_whichever_worker_took_it(four_workers):
    port, token = four_workers
    displays = [Display(port) for _ in range(8)]
    for d in displays:
        d.start()
        assert d.ready.wait(10)
    codes, workers = [], set()
    for _ in range(12):
        post(port, "/api/v1/tickets", {"service": "A", "print": False})
    for n in range(12):
        status, worker, ticket = post(port, f"/api/v1/counters/{n % 4 + 1}/call-next", token=token)
        assert status == 200
        codes.append(ticket["code"])
        workers.add(worker)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(len(d.calls) < 12 for d in displays):
        time.sleep(0.05)
    # Load really was spread: several processes took calls and served displays.
    assert len(workers | {d.worker for d in displays}) >= 2
    for d in displays:
        assert d.calls == codes


def printing_pid(database_url: str) -> int | None:
    """The server process that holds the printers' lock (it names its connection)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            name = conn.execute(
                text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.objid = :lock"
                ),
                {"lock": OWNER_LOCK},
            ).scalar()
    finally:
        engine.dispose()
    return int(name.rsplit("-", 1)[1]) if name else None


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    return predicate()


@pytest.mark.postgres
def test_killing_the_printing_process_in_a_rush_loses_no_slip(two_workers, tmp_path):
    (port, _token), database_url = two_workers
    paper = tmp_path / "kiosk.bin"
    printer = wait_for(lambda: printing_pid(database_url), timeout=20)
    assert printer
    codes = [post(port, "/api/v1/tickets", {"service": "A"})[2]["code"] for _ in range(10)]
    os.kill(printer, signal.SIGKILL)  # e.g. the out-of-memory killer
    codes += [post(port, "/api/v1/tickets", {"service": "A"})[2]["code"] for _ in range(10)]
    # Another process took the printers over (the master also started a new worker).
    successor = wait_for(lambda: printing_pid(database_url), timeout=20)
    assert successor and successor != printer
    assert wait_for(lambda: all(code in printed(paper) for code in codes), timeout=20)
    assert wait_for(lambda: alive_workers(port) == 2, timeout=20)


def printed(paper) -> str:
    return read_escpos(paper.read_bytes()).text if paper.exists() else ""


def alive_workers(port: int) -> int:
    seen = set()
    for _ in range(40):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        seen.add(conn.getresponse().getheader("X-Served-By"))
        conn.close()
    return len(seen)
