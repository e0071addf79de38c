"""The counter desk through the Flask client: out-of-order calls, pausing, the waiting list,
shortcuts and logout; and the same through /api/v1."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from antrian import operations as ops
from antrian.seed import add_staff

CHECKLIST_FORM = {
    "service": "A",
    "applicant_type": "perorangan",
    "has_email": "1",
    "has_nik": "1",
    "confirm_missing": "1",
}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def desk(client, app, now):
    """Logged in as a front office officer; returns the htmx headers of the desk."""
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi Lestari", "sandi-dewi-1", "front_office", now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    form = {"username": "dewi", "password": "sandi-dewi-1", "csrf_token": csrf}
    assert client.post("/staff/login", data=form).status_code == 303
    return {"HX-Request": "true", "X-CSRFToken": csrf}


def issue(app, n, service="A", checklist=None, at=None):
    from antrian.clock import utcnow

    with app.extensions["antrian.db"].write() as s:
        return [
            ops.issue_ticket(s, service, None, checklist, at or utcnow(), print_on=None).id
            for _ in range(n)
        ]


def test_the_waiting_list_shows_every_ticket_its_wait_and_its_answers(client, app, desk):
    # What the kiosk stores for a person without NPWP (akta is not asked of a perorangan).
    answers = {"applicant_type": "perorangan", "email": True, "nik": True, "akta": True}
    issue(app, 1, checklist={**answers, "npwp": False})
    from antrian.clock import utcnow

    issue(app, 35, at=utcnow() - timedelta(minutes=42))
    page = client.get("/staff/loket/1").get_data(as_text=True)
    assert 'id="waiting-count">36<' in page
    assert len(re.findall(r'<tr id="waiting-\d+"', page)) == 36  # every one, not 30
    assert "42 mnt" in page and "&lt; 1 mnt" in page
    row = re.search(r'<tr id="waiting-1".*?</tr>', page, re.S).group(0)
    assert "Perorangan" in row and "✓ NIK" in row and "✗ NPWP" in row and "Akta" not in row


def test_call_out_of_order_from_the_desk_and_a_missing_reason_keeps_the_form(client, app, desk):
    first, second, third = issue(app, 3)
    url = f"/staff/loket/1/panggil/{third}"
    part = client.post(url, data={"reason": "", "current": ""}, headers=desk).get_data(as_text=True)
    assert "Tulis alasan memanggil di luar urutan." in part
    open_box = rf'<tr id="waiting-{third}".*?<details class="out-of-order" [^>]*\bopen>'
    assert re.search(open_box, part, re.S)
    # Plain form (no JavaScript): the page again, 422, with what was typed.
    plain = client.post(
        url, data={"reason": "ab", "current": "", "csrf_token": desk["X-CSRFToken"]}
    )
    assert plain.status_code == 422 and 'value="ab"' in plain.get_data(as_text=True)
    part = client.post(
        url, data={"reason": "Kembali membawa akta", "current": ""}, headers=desk
    ).get_data(as_text=True)
    assert "Memanggil A-003 di luar urutan." in part and 'id="current-code">A-003<' in part
    # The same form sent twice (a double click): nobody else is called.
    again = client.post(
        f"/staff/loket/1/panggil/{second}", data={"reason": "janji", "current": ""}, headers=desk
    ).get_data(as_text=True)
    assert "sudah berubah (sekarang: A-003)" in again


def test_pause_and_resume_from_the_desk_and_the_lobby_shows_it(client, app, desk):
    issue(app, 1)
    part = client.post("/staff/loket/2/tutup", data={"reason": "istirahat"}, headers=desk)
    text = part.get_data(as_text=True)
    assert "Loket 2 ditutup: Istirahat." in text and 'id="paused-note"' in text
    assert re.search(r'<button type="button" class="big" id="call-next" disabled>', text)
    board = client.get("/display/").get_data(as_text=True)
    closed = re.search(
        r'<div class="counter paused" data-counter="2">.*?</div>\s*</div>', board, re.S
    )
    assert closed and "TUTUP" in closed.group(0) and "Istirahat" in closed.group(0)
    assert client.get("/display/state.json").get_json()["counters"][1]["paused"] == "Istirahat"
    refused = client.post("/staff/loket/2/panggil", headers=desk).get_data(as_text=True)
    assert "Loket 2 sedang ditutup (Istirahat)" in refused
    text = client.post("/staff/loket/2/buka", headers=desk).get_data(as_text=True)
    assert "Loket 2 dibuka kembali." in text and "Panggil berikutnya (A-001)" in text
    assert 'class="counter paused"' not in client.get("/display/").get_data(as_text=True)


def test_shortcuts_are_on_the_buttons_and_logout_is_on_the_desk(client, app, desk):
    issue(app, 2)
    client.post("/staff/loket/1/panggil", headers=desk)
    page = client.get("/staff/loket/1").get_data(as_text=True)
    for key, label in (
        ("p", "Panggil berikutnya"),
        ("u", "Panggil ulang"),
        ("m", "Mulai layani"),
        ("s", "Selesai"),
    ):
        assert re.search(rf'data-key="{key}"[^>]*>{label}[^<]*<kbd>{key.upper()}</kbd>', page), (
            label
        )
    assert "js/desk.js" in page
    logout = re.search(r'<form method="post" action="/staff/logout">', page)
    assert logout
    r = client.post("/staff/logout", data={"csrf_token": desk["X-CSRFToken"]})
    assert r.status_code == 303 and client.get("/staff/loket/1").status_code == 302


def test_the_desk_operations_through_the_api(client, app, auth):
    first, second = issue(app, 2)
    waiting = client.get("/api/v1/counters/1/waiting", headers=auth).get_json()
    assert [w["code"] for w in waiting["waiting"]] == ["A-001", "A-002"]
    assert waiting["counter"]["paused"] is False and "waited_minutes" in waiting["waiting"][0]
    bad = client.post("/api/v1/counters/1/call", json={"ticket_id": second}, headers=auth)
    assert bad.status_code == 400 and bad.get_json()["error"] == "reason_required"
    ok = client.post(
        "/api/v1/counters/1/call", json={"ticket_id": second, "reason": "janji temu"}, headers=auth
    )
    assert ok.status_code == 200 and ok.get_json()["code"] == "A-002"
    busy = client.post("/api/v1/counters/1/pause", json={"reason": "rapat"}, headers=auth)
    assert busy.status_code == 409
    paused = client.post("/api/v1/counters/3/pause", json={"reason": "rapat"}, headers=auth)
    assert paused.status_code == 200 and paused.get_json()["pause_reason"] == "rapat"
    assert client.post("/api/v1/counters/3/call-next", headers=auth).status_code == 409
    assert (
        client.post("/api/v1/counters/3/pause", json={"reason": "x"}, headers=auth).status_code
        == 422
    )
    resumed = client.post("/api/v1/counters/3/resume", headers=auth).get_json()
    assert resumed["paused"] is False
    assert client.post("/api/v1/counters/3/call-next", headers=auth).get_json()["code"] == "A-001"
