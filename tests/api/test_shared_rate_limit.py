"""The issue rate limit is one count per client address, shared by the kiosk and the API and
kept in the database (issue #14, finding 15), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from antrian.models import Ticket
from tests.conftest import make_app


def kiosk_post(client, address: str):
    html = client.get("/kiosk/layanan/B").get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|request_key)" value="([^"]+)"', html))
    return client.post(
        "/kiosk/tiket", data={"service": "B", **fields}, environ_base={"REMOTE_ADDR": address}
    )


def api_post(client, address: str, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/tickets",
        json={"service": "B"},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def test_kiosk_and_api_share_one_count_per_address(db, tmp_path):
    app = make_app(db, tmp_path, issue_rate_limit="4/hour")
    client = app.test_client()
    here = "10.1.1.1"
    assert [api_post(client, here).status_code for _ in range(2)] == [201, 201]
    assert [kiosk_post(client, here).status_code for _ in range(2)] == [303, 303]
    refused_api = api_post(client, here)
    assert refused_api.status_code == 429 and int(refused_api.headers["Retry-After"]) > 0
    assert refused_api.get_json()["error"] == "rate_limited"
    refused_kiosk = kiosk_post(client, here)
    page = refused_kiosk.get_data(as_text=True)
    assert refused_kiosk.status_code == 429 and "Mohon tunggu sebentar" in page
    assert "refusal-screen" in page and 'id="home"' in page  # the kiosk's refusal, a way home
    # A second app on the same database (another worker process) sees the same count.
    other_worker = make_app(db, tmp_path / "w2", issue_rate_limit="4/hour").test_client()
    assert api_post(other_worker, here).status_code == 429
    assert api_post(other_worker, "10.1.1.2").status_code == 201  # another kiosk
    with app.extensions["antrian.db"].read() as s:
        assert s.scalar(select(func.count(Ticket.id))) == 5


def test_a_replayed_double_tap_does_not_count(db, tmp_path):
    app = make_app(db, tmp_path, issue_rate_limit="2/hour")
    client = app.test_client()
    statuses = [api_post(client, "10.1.1.3", key="tap-1").status_code for _ in range(5)]
    assert statuses == [201, 200, 200, 200, 200]
    assert api_post(client, "10.1.1.3").status_code == 201
    assert api_post(client, "10.1.1.3").status_code == 429
