"""A full disk or a database server that is down: the kiosk says so in its own page, the API
answers 503 with Retry-After, and nothing half-written remains once space returns."""

from __future__ import annotations

import re
import socket

from sqlalchemy import event, func, select

from antrian.models import Event, PrintJob, Ticket
from tests.conftest import make_app, make_database


def kiosk_form(client, service: str = "B") -> dict:
    html = client.get(f"/kiosk/layanan/{service}").get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|request_key)" value="([^"]+)"', html))
    return {"service": service, **fields}


def test_disk_full_kiosk_asks_to_see_the_counter_and_nothing_is_half_written(tmp_path):
    database = make_database("sqlite", tmp_path)
    app = make_app(database, tmp_path)
    engine = app.extensions["antrian.db"].engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def disk_full(dbapi_conn, _record):
        # SQLite's own limit on the file's size: writes past it fail with SQLITE_FULL
        # ("database or disk is full"), exactly as on a full disk.
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 3}")

    event.listen(engine, "connect", disk_full)
    engine.dispose()
    client = app.test_client()
    statuses = []
    for _ in range(400):
        r = client.post("/kiosk/tiket", data=kiosk_form(client))
        statuses.append(r.status_code)
        if r.status_code != 303:
            break
    assert statuses[-1] == 503 and set(statuses[:-1]) == {303}, statuses
    page = r.get_data(as_text=True)
    assert "Nomor antrean tidak dapat diterbitkan saat ini" in page
    assert "bertanya langsung kepada petugas di loket" in page
    assert 'class="kiosk error-page"' in page and r.headers["Retry-After"] == "30"
    # A smaller ticket may still fit in a page the failed one left: the API, too, runs out.
    api_statuses = []
    for _ in range(50):
        api = client.post("/api/v1/tickets", json={"service": "B"})
        api_statuses.append(api.status_code)
        if api.status_code != 201:
            break
    assert api_statuses[-1] == 503 and api.headers["Retry-After"] == "30", api_statuses
    assert api.get_json()["error"] == "unavailable"

    event.remove(engine, "connect", disk_full)  # space returns
    engine.dispose()
    issued = statuses.count(303) + api_statuses.count(201)
    with app.extensions["antrian.db"].read() as s:
        assert s.scalar(select(func.count(Ticket.id))) == issued
        assert s.scalar(select(func.count(PrintJob.id))) == issued
        assert s.scalar(select(func.count(Event.id)).where(Event.kind == "ticket.issued")) == issued
    assert client.post("/kiosk/tiket", data=kiosk_form(client)).status_code == 303
    app.extensions["antrian.db"].dispose()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_database_server_down_kiosk_page_and_api_503(tmp_path):
    class Down:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/antrian"

    app = make_app(Down, tmp_path)
    client = app.test_client()
    home = client.get("/kiosk/")
    assert home.status_code == 503 and "Nomor antrean tidak dapat diterbitkan" in home.text
    api = client.post("/api/v1/tickets", json={"service": "A"})
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert set(api.get_json()) == {"error", "message"}
    assert client.get("/api/v1/queue").status_code == 503
    staff = client.get("/staff/login")
    assert staff.status_code in (200, 503)  # the login form needs no database to show
    app.extensions["antrian.db"].dispose()
