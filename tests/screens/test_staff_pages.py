"""The staff console through the Flask client: login, desk, the buttons."""

import re

import pytest

from antrian.seed import add_staff


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def logged_in(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi Lestari", "sandi-dewi-1", "front_office", now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    r = client.post(
        "/staff/login", data={"username": "dewi", "password": "sandi-dewi-1", "csrf_token": csrf}
    )
    assert r.status_code == 303
    return csrf


def test_desk_needs_login(client):
    r = client.get("/staff/loket/1")
    assert r.status_code == 302 and "/staff/login" in r.headers["Location"]


def test_wrong_password_says_so(client):
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    r = client.post("/staff/login", data={"username": "x", "password": "y", "csrf_token": csrf})
    assert r.status_code == 401 and "kata sandi salah" in r.get_data(as_text=True)


def test_call_recall_skip_reactivate_from_the_desk(client, logged_in):
    client.post("/api/v1/tickets", json={"service": "A"})
    client.post("/api/v1/tickets", json={"service": "A", "priority": "disabled"})
    desk = client.get("/staff/loket/2").get_data(as_text=True)
    assert "Panggil berikutnya (A-002)" in desk  # the priority ticket goes first
    hx = {"HX-Request": "true", "X-CSRFToken": logged_in}
    part = client.post("/staff/loket/2/panggil", headers=hx).get_data(as_text=True)
    assert "<html" not in part and 'id="current-code">A-002<' in part and "Memanggil A-002" in part
    tid = re.search(r"/tiket/(\d+)/recall", part).group(1)
    part = client.post(f"/staff/loket/2/tiket/{tid}/recall", headers=hx).get_data(as_text=True)
    assert "A-002 dipanggil ulang" in part
    part = client.post(f"/staff/loket/2/tiket/{tid}/skip", headers=hx).get_data(as_text=True)
    assert "A-002 dilewati" in part and "Aktifkan kembali" in part
    part = client.post(f"/staff/loket/2/tiket/{tid}/reactivate", headers=hx).get_data(as_text=True)
    assert "A-002 kembali ke antrean" in part


def test_plain_form_posts_work_without_javascript(client, logged_in):
    client.post("/api/v1/tickets", json={"service": "D"})
    r = client.post("/staff/loket/1/panggil", data={"csrf_token": logged_in})
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="current-code">D-001<' in page


def test_transfer_and_empty_queue_messages(client, logged_in):
    client.post("/api/v1/tickets", json={"service": "C"})
    hx = {"HX-Request": "true", "X-CSRFToken": logged_in}
    part = client.post("/staff/loket/3/panggil", headers=hx).get_data(as_text=True)
    tid = re.search(r"/tiket/(\d+)/transfer", part).group(1)
    part = client.post(
        f"/staff/loket/3/tiket/{tid}/transfer", data={"service": "A"}, headers=hx
    ).get_data(as_text=True)
    assert "C-001 dialihkan ke layanan Penerbitan IUMK/NIB" in part
    client.post("/staff/loket/3/panggil", headers=hx)  # calls C-001 again, now in A
    part = client.post("/staff/loket/3/panggil", headers=hx).get_data(as_text=True)
    assert "Tidak ada antrean yang menunggu" in part


def test_post_without_csrf_is_refused(client, logged_in):
    assert client.post("/staff/loket/1/panggil").status_code == 400


def test_a_double_click_on_call_next_calls_one_ticket(client, logged_in):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "B"})
    hx = {"HX-Request": "true", "X-CSRFToken": logged_in}
    # Both clicks were sent from the same desk, which showed nobody at the counter.
    first = client.post("/staff/loket/1/panggil", data={"current": ""}, headers=hx)
    second = client.post("/staff/loket/1/panggil", data={"current": ""}, headers=hx)
    assert "Memanggil B-001" in first.get_data(as_text=True)
    text = second.get_data(as_text=True)
    assert "sudah berubah (sekarang: B-001)" in text and 'id="current-code">B-001<' in text
    queue = client.get("/api/v1/queue").get_json()
    assert {s["code"]: s["waiting"] for s in queue["services"]}["B"] == 2


def test_a_desk_cannot_finish_another_counters_ticket(client, logged_in):
    client.post("/api/v1/tickets", json={"service": "B"})
    hx = {"HX-Request": "true", "X-CSRFToken": logged_in}
    part = client.post("/staff/loket/1/panggil", headers=hx).get_data(as_text=True)
    tid = re.search(r"/tiket/(\d+)/finish", part).group(1)
    other = client.post(f"/staff/loket/2/tiket/{tid}/finish", headers=hx).get_data(as_text=True)
    assert "sedang di Loket 1, bukan loket ini" in other


def test_unknown_counter_desk_is_404_not_500(client, logged_in):
    assert client.get("/staff/loket/99").status_code == 404


def test_no_stale_login_message_after_logging_in_and_back_to_the_desk(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "rudi", "Rudi", "sandi-rudi-1", "front_office", now)
    r = client.get("/staff/loket/2")
    assert r.status_code == 302
    login_page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Silakan masuk terlebih dahulu." in login_page  # said where it applies
    form = {"username": "rudi", "password": "sandi-rudi-1", "csrf_token": csrf_of(login_page)}
    r = client.post(r.headers["Location"], data=form)
    assert r.status_code == 303 and r.headers["Location"] == "/staff/loket/2"
    desk = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Loket 2" in desk and "Silakan masuk" not in desk


def test_login_never_sends_to_another_site(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "rudi", "Rudi", "sandi-rudi-1", "front_office", now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    form = {"username": "rudi", "password": "sandi-rudi-1", "csrf_token": csrf}
    r = client.post("/staff/login?next=//evil.example/x", data=form)
    assert r.headers["Location"] == "/staff/"


def test_a_supervisor_sees_the_console_but_not_a_desk(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "kasi", "Kasi", "sandi-kasi-1", "supervisor", now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    client.post(
        "/staff/login", data={"username": "kasi", "password": "sandi-kasi-1", "csrf_token": csrf}
    )
    home = client.get("/staff/").get_data(as_text=True)
    assert "tidak melayani loket" in home and "/staff/loket/1" not in home
    assert 'href="/staff/laporan/"' in home and 'href="/staff/register/"' in home
    assert "/staff/admin/" not in home
    assert client.get("/staff/loket/1").status_code == 403
    assert client.post("/staff/loket/1/panggil", data={"csrf_token": csrf}).status_code == 403


def test_call_next_on_an_empty_queue_does_not_finish_the_current_ticket(client, logged_in):
    """The API rolls this back with a 409; the desk must not commit the half it did."""
    client.post("/api/v1/tickets", json={"service": "D"})
    hx = {"HX-Request": "true", "X-CSRFToken": logged_in}
    part = client.post("/staff/loket/1/panggil", headers=hx).get_data(as_text=True)
    tid = re.search(r"/tiket/(\d+)/finish", part).group(1)
    part = client.post("/staff/loket/1/panggil", data={"current": tid}, headers=hx).get_data(
        as_text=True
    )
    assert "Tidak ada antrean yang menunggu" in part
    assert 'id="current-code">D-001<' in part  # still at the desk, not finished
    token = client.get("/api/v1/queue").get_json()
    assert [c["serving"] for c in token["counters"] if c["number"] == 1] == ["D-001"]
    # Plain form post (no htmx): the same, after the redirect.
    r = client.post("/staff/loket/1/panggil", data={"csrf_token": logged_in, "current": tid})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="current-code">D-001<' in page
