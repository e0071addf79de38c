"""A desk acts only on its own counter's ticket, on the console and through the API (issue
#14, finding 17); an Idempotency-Key is bound to the request and the day (finding 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.models import Event
from antrian.seed import add_staff


@pytest.fixture
def admin_auth(app, now):
    from antrian.auth import new_api_token

    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "kepala", "Kepala Kantor", "sandi-kepala-1", "admin", now)
        return {"Authorization": f"Bearer {new_api_token(s, 'kepala')}"}


def called_at(client, auth, counter: int, service: str = "A") -> int:
    client.post("/api/v1/tickets", json={"service": service})
    r = client.post(f"/api/v1/counters/{counter}/call-next", headers=auth)
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id"]


@pytest.mark.parametrize("action", ["recall", "skip", "start", "finish", "transfer"])
def test_api_ticket_actions_need_the_tickets_own_counter(client, auth, action):
    tid = called_at(client, auth, 2)
    body = {"service": "E"} if action == "transfer" else {}
    url = f"/api/v1/tickets/{tid}/{action}"
    unnamed = client.post(url, json=body, headers=auth)
    assert unnamed.status_code == 422 and unnamed.get_json()["error"] == "counter_required"
    other = client.post(url, json={**body, "counter": 1}, headers=auth)
    assert other.status_code == 409 and other.get_json()["error"] == "other_counter"
    assert "sedang di Loket 2" in other.get_json()["message"]
    assert client.get("/api/v1/queue").get_json()["counters"][1]["serving"]  # unchanged
    own = client.post(url, json={**body, "counter": 2}, headers=auth)
    assert own.status_code == 200


def test_a_bad_counter_value_is_400(client, auth):
    tid = called_at(client, auth, 2)
    for bad in ("2", True, 0, -1, 2**40, 1.5):
        r = client.post(f"/api/v1/tickets/{tid}/recall", json={"counter": bad}, headers=auth)
        assert r.status_code == 400 and r.get_json()["error"] == "bad_counter", bad


def test_an_admin_may_override_and_it_is_recorded(app, client, auth, admin_auth):
    tid = called_at(client, auth, 2)
    r = client.post(f"/api/v1/tickets/{tid}/recall", json={"counter": 1}, headers=admin_auth)
    assert r.status_code == 200
    r = client.post(f"/api/v1/tickets/{tid}/finish", headers=admin_auth)  # no desk named
    assert r.status_code == 200 and r.get_json()["status"] == "done"
    with app.extensions["antrian.db"].read() as s:
        events = s.scalars(select(Event).where(Event.ticket_id == tid).order_by(Event.id)).all()
    recalled, finished = events[-2], events[-1]
    assert (recalled.kind, recalled.actor) == ("ticket.recalled", "staff:kepala")
    assert recalled.data["override"] is True and recalled.data["acted_from"] == 1
    assert finished.data["override"] is True and finished.data["acted_from"] is None


def test_a_waiting_or_no_show_ticket_is_any_desks(client, auth):
    client.post("/api/v1/tickets", json={"service": "A"})
    tid = client.post("/api/v1/tickets", json={"service": "A"}).get_json()["id"]
    r = client.post(
        f"/api/v1/tickets/{tid}/transfer", json={"service": "E", "counter": 3}, headers=auth
    )
    assert r.status_code == 200


def test_console_cannot_transfer_a_ticket_another_counter_called(app, client, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi", "sandi-dewi-1", "front_office", now)
    html = client.get("/staff/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post(
        "/staff/login", data={"username": "dewi", "password": "sandi-dewi-1", "csrf_token": csrf}
    )
    client.post("/api/v1/tickets", json={"service": "B"})
    hx = {"HX-Request": "true", "X-CSRFToken": csrf}
    part = client.post("/staff/loket/1/panggil", headers=hx).get_data(as_text=True)
    tid = re.search(r"/tiket/(\d+)/transfer", part).group(1)
    other = client.post(
        f"/staff/loket/2/tiket/{tid}/transfer", data={"service": "A"}, headers=hx
    ).get_data(as_text=True)
    assert "sedang di Loket 1, bukan loket ini" in other
    queue = client.get("/api/v1/queue").get_json()
    assert [c["serving"] for c in queue["counters"] if c["number"] == 1] == ["B-001"]


def test_same_key_with_another_body_is_409_and_documented(client):
    key = {"Idempotency-Key": "kiosk1-77"}
    first = client.post("/api/v1/tickets", json={"service": "A"}, headers=key)
    again = client.post("/api/v1/tickets", json={"service": "A"}, headers=key)
    other = client.post("/api/v1/tickets", json={"service": "B"}, headers=key)
    prio = client.post("/api/v1/tickets", json={"service": "A", "priority": "elderly"}, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    for r in (other, prio):
        assert r.status_code == 409 and r.get_json()["error"] == "idempotency_key_reused"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert (
        "idempotency_key_reused"
        in spec["paths"]["/tickets"]["post"]["responses"]["409"]["description"]
    )
    too_long = client.post(
        "/api/v1/tickets", json={"service": "A"}, headers={"Idempotency-Key": "k" * 81}
    )
    assert too_long.status_code == 400


def test_same_key_on_the_next_day_is_a_new_ticket(db, now):
    with db.write() as s:
        today = ops.issue_ticket(s, "A", None, None, now, idempotency_key="k-1")
    with db.write() as s:
        replay = ops.issue_ticket(s, "A", None, None, now, idempotency_key="k-1")
    with db.write() as s:
        tomorrow = ops.issue_ticket(
            s, "A", None, None, now + timedelta(days=1), idempotency_key="k-1"
        )
    assert replay.replayed and replay.id == today.id
    assert not tomorrow.replayed and tomorrow.id != today.id and tomorrow.code == "A-001"
