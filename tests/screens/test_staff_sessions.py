"""Staff sessions end when they should: logout on the server, after inactivity; logins are
throttled per account and per address (issue #14 finding 16, issue #10), on both databases."""

from __future__ import annotations

import re
import time

import pytest

from antrian.seed import add_staff


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def dewi(app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi Lestari", "sandi-dewi-1", "front_office", now)
        add_staff(s, "budi", "Budi", "sandi-budi-1", "front_office", now)


def login(client, username="dewi", password="sandi-dewi-1", address="10.0.0.5"):
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": csrf},
        environ_base={"REMOTE_ADDR": address},
    )


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_copied_before_logout_stops_working(app, client, dewi):
    assert login(client).status_code == 303
    copied = session_cookie(client)
    assert client.get("/staff/loket/1").status_code == 200
    csrf = csrf_of(client.get("/staff/").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": csrf}).status_code == 303

    thief = app.test_client()
    thief.set_cookie("session", copied)
    r = thief.get("/staff/loket/1")
    assert r.status_code == 302 and "/staff/login" in r.headers["Location"]
    r = thief.post("/api/v1/counters/1/call-next", headers={"X-CSRFToken": csrf})
    assert r.status_code == 401

    # Logging in again opens a new session; the copied cookie stays dead.
    assert login(client).status_code == 303
    assert client.get("/staff/loket/1").status_code == 200
    assert thief.get("/staff/loket/1").status_code == 302


def test_a_session_ends_after_the_idle_time(db, tmp_path, now):
    from tests.conftest import make_app

    app = make_app(db, tmp_path, session_idle_minutes=1)
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi Lestari", "sandi-dewi-1", "front_office", now)
    client = app.test_client()
    assert login(client).status_code == 303
    assert client.get("/staff/loket/1").status_code == 200
    with client.session_transaction() as sess:
        sess["seen"] -= 50  # 50 s ago: still inside the minute
    assert client.get("/staff/loket/1").status_code == 200
    with client.session_transaction() as sess:
        sess["seen"] = int(time.time()) - 61
    # The desk refreshing itself (htmx) is told to go to the login page as a whole.
    r = client.get("/staff/loket/1", headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["HX-Redirect"] == "/staff/login"
    r = client.get("/staff/loket/1")
    assert r.status_code == 302 and "/staff/login" in r.headers["Location"]
    page = client.get("/staff/login").get_data(as_text=True)
    assert "Sesi berakhir karena tidak ada kegiatan selama 1 menit" in page
    app.extensions["antrian.db"].dispose()


def test_the_desks_own_refresh_is_not_activity(app, client, dewi):
    assert login(client).status_code == 303
    with client.session_transaction() as sess:
        sess["seen"] = before = int(time.time()) - 600
    client.get("/staff/loket/1", headers={"HX-Request": "true"})
    with client.session_transaction() as sess:
        assert sess["seen"] == before
    client.get("/staff/loket/1")  # a person opening the desk
    with client.session_transaction() as sess:
        assert sess["seen"] > before


def test_login_is_throttled_per_account_with_the_time_to_try_again(app, client, dewi):
    for attempt in range(5):
        r = login(client, password=f"salah-{attempt}", address=f"10.0.1.{attempt}")
        assert r.status_code == 401
    r = login(client, password="sandi-dewi-1", address="10.0.2.1")  # right, but too late
    page = r.get_data(as_text=True)
    assert r.status_code == 429 and "Terlalu banyak percobaan masuk" in page
    assert re.search(r"coba lagi pukul \d\d:\d\d \(sekitar \d+ menit lagi\)", page)
    assert 'value="dewi"' in page  # what was typed stays
    assert int(r.headers["Retry-After"]) > 0
    # Another account from another address is not affected.
    assert login(client, "budi", "sandi-budi-1", address="10.0.3.1").status_code == 303


def test_login_is_throttled_per_address(app, client, dewi):
    for attempt in range(20):
        r = login(client, username=f"tebak{attempt}", password="x", address="10.9.9.9")
        assert r.status_code == 401
    r = login(client, address="10.9.9.9")
    assert r.status_code == 429
    assert login(client, address="10.9.9.10").status_code == 303


def test_a_right_password_resets_the_accounts_count(app, client, dewi):
    for _ in range(4):
        assert login(client, password="salah").status_code == 401
    assert login(client).status_code == 303
    client.post("/staff/logout", data={"csrf_token": csrf_of(client.get("/staff/").text)})
    for _ in range(4):
        assert login(client, password="salah").status_code == 401
    assert login(client).status_code == 303


def test_oversized_login_fields_are_refused_without_hashing(app, client, dewi):
    r = login(client, username="d" * 61)
    assert r.status_code == 401 and "salah" in r.get_data(as_text=True)
    r = login(client, password="p" * 5000)
    assert r.status_code == 401
