"""Bad input by hand, on SQLite and PostgreSQL: never a 500, never stored, always an answer in
the documented shape (JSON under /api/, the room's Indonesian page elsewhere)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from antrian.models import Ticket

HUGE_IDS = [2**31, 2**63 + 1, 10**30]


def tickets_in(app) -> int:
    with app.extensions["antrian.db"].read() as s:
        return s.scalar(select(func.count(Ticket.id)))


def assert_api_error(response, status: int, code: str | None = None) -> dict:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    assert set(body) == {"error", "message"} and body["message"]
    if code:
        assert body["error"] == code, body
    return body


@pytest.mark.parametrize("number", HUGE_IDS)
def test_ids_past_the_integer_columns_are_404(client, auth, number):
    for action in ("recall", "skip", "start", "finish", "reactivate"):
        assert_api_error(client.post(f"/api/v1/tickets/{number}/{action}", headers=auth), 404)
    assert_api_error(
        client.post(f"/api/v1/tickets/{number}/transfer", json={"service": "A"}, headers=auth), 404
    )
    assert_api_error(client.post(f"/api/v1/counters/{number}/call-next", headers=auth), 404)
    assert client.get(f"/staff/loket/{number}").status_code == 404


def test_an_existing_id_still_works(client, auth):
    client.post("/api/v1/tickets", json={"service": "A"})
    called = client.post("/api/v1/counters/2/call-next", headers=auth).get_json()
    recall = client.post(
        f"/api/v1/tickets/{called['id']}/recall", json={"counter": 2}, headers=auth
    )
    assert recall.status_code == 200


def test_display_poll_with_a_23_digit_after_is_400(client):
    r = client.get("/display/state.json?after=" + "9" * 23)
    assert r.status_code == 400
    assert client.get("/display/state.json?after=12").status_code == 200


def test_json_nested_1000_deep_is_a_400_json_error(client):
    body = '{"service": ' + "[" * 1000 + "]" * 1000 + "}"
    r = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert_api_error(r, 400, "bad_json")
    r = client.post("/api/v1/tickets", data="[" * 60_000, content_type="application/json")
    assert_api_error(r, 400, "bad_json")


def test_nul_bytes_are_refused_with_400_everywhere(client, app):
    assert_api_error(client.post("/api/v1/tickets", json={"service": "A\x00"}), 400)
    assert_api_error(client.post("/api/v1/tickets", json={"service": "A", "x": ["\x00"]}), 400)
    assert_api_error(client.get("/api/v1/tickets/abc%00defghij"), 400)
    kiosk = client.post(
        "/kiosk/tiket",
        data={"service": "B", "request_key": "abc\x00def", "csrf_token": kiosk_csrf(client)},
    )
    assert kiosk.status_code == 400 and "tidak diizinkan" in kiosk.get_data(as_text=True)
    login = client.post("/staff/login", data={"username": "admin\x00", "password": "x"})
    assert login.status_code == 400
    assert client.get("/display/state.json?services=A%00").status_code == 400
    assert tickets_in(app) == 0


def test_a_10_mb_form_field_or_json_body_is_413_and_nothing_is_stored(client, app):
    big = "x" * 10_000_000
    kiosk = client.post("/kiosk/tiket", data={"service": "A", "applicant_type": big})
    assert kiosk.status_code == 413
    page = kiosk.get_data(as_text=True)
    assert "Isian terlalu besar" in page and 'class="kiosk error-page"' in page
    r = client.post("/api/v1/tickets", json={"service": "A", "note": big})
    assert_api_error(r, 413)
    # Under the whole-request limit but past a field's: still refused, still nothing stored.
    r = client.post("/kiosk/tiket", data={"service": "A", "applicant_type": "y" * 20_000})
    assert r.status_code == 413
    r = client.post("/api/v1/tickets", json={"service": "A", "note": "z" * 100_000})
    assert_api_error(r, 413)
    assert tickets_in(app) == 0


def kiosk_csrf(client) -> str:
    html = client.get("/kiosk/layanan/A").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_kiosk_fields_are_held_to_what_the_form_offers(client, app):
    csrf = kiosk_csrf(client)
    r = client.post(
        "/kiosk/tiket", data={"service": "B", "request_key": "k" * 81, "csrf_token": csrf}
    )
    assert r.status_code == 400 and "Formulir tidak valid" in r.get_data(as_text=True)
    form = {"service": "A", "applicant_type": "anything", "csrf_token": csrf}
    told = client.post("/kiosk/tiket", data=form).get_data(as_text=True)  # what is missing
    confirm = re.search(r'name="confirm_missing" value="([^"]*)"', told).group(1)
    r = client.post("/kiosk/tiket", data={**form, "confirm_missing": confirm})
    assert r.status_code == 303
    with app.extensions["antrian.db"].read() as s:
        assert s.scalar(select(Ticket.checklist))["applicant_type"] == "perorangan"


def test_unknown_api_paths_and_methods_answer_json(client):
    body = assert_api_error(client.get("/api/v1/tidak-ada"), 404, "not_found")
    assert "tidak" in body["message"].lower()
    r = client.get("/api/v1/tickets")  # only POST there
    assert_api_error(r, 405, "method_not_allowed")
    assert "POST" in r.headers["Allow"]


@pytest.mark.parametrize(
    "path, room, back",
    [
        ("/t/tidak-ada-sama-sekali", "kiosk", "Kembali ke layar awal"),
        ("/staff/tidak-ada", "staff", "Kembali ke konsol petugas"),
        ("/display/tidak-ada", "display", "Kembali ke layar antrean"),
        ("/tidak-ada", "site", "Ke halaman awal"),
    ],
)
def test_html_404_is_an_indonesian_page_in_the_rooms_style(client, path, room, back):
    r = client.get(path)
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert f'class="{room} error-page"' in html and back in html
    assert "Not Found" not in html and 'lang="id"' in html


def test_html_405_and_500_pages(app):
    @app.get("/kiosk/rusak")
    def broken():
        raise RuntimeError("a bug")

    client = app.test_client()
    r = client.get("/kiosk/tiket")  # the form posts there
    assert r.status_code == 405 and "Cara membuka tidak diizinkan" in r.get_data(as_text=True)

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 handler answers
    r = client.get("/kiosk/rusak")
    html = r.get_data(as_text=True)
    assert r.status_code == 500 and "Terjadi kesalahan" in html and "a bug" not in html
    assert 'class="kiosk error-page"' in html


def test_staff_403_page_has_a_way_back(app, client, now):
    from antrian.seed import add_staff

    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi", "sandi-dewi-1", "front_office", now)
    csrf = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True)
    ).group(1)
    client.post(
        "/staff/login", data={"username": "dewi", "password": "sandi-dewi-1", "csrf_token": csrf}
    )
    r = client.get("/staff/admin/")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "Akses ditolak" in html and "Kembali ke konsol petugas" in html
    assert 'class="staff error-page"' in html
