"""A kiosk that cannot give a number says why on a kiosk page, in the visitor's language, with a
way home and the return to the start when left alone."""

import re

import pytest

from antrian import create_app
from antrian.config import load_settings


def csrf_and_key(client, service: str) -> dict:
    html = client.get(f"/kiosk/layanan/{service}").get_data(as_text=True)
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "service": service,
        "request_key": re.search(r'name="request_key" value="([^"]+)"', html).group(1),
    }


@pytest.fixture
def limited_client(sqlite_db, tmp_path):
    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
        database_url=sqlite_db.url, issue_rate_limit="2/minute", start_background=False
    )
    app = create_app(settings, TESTING=True)
    yield app.test_client()
    app.extensions["antrian.db"].dispose()


def test_a_rate_limited_kiosk_gets_a_kiosk_page_with_a_way_home(limited_client):
    client = limited_client
    for _ in range(2):
        assert client.post("/kiosk/tiket", data=csrf_and_key(client, "C")).status_code == 303
    refused = client.post("/kiosk/tiket", data=csrf_and_key(client, "C"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert 'class="kiosk-screen refusal-screen"' in html and "Mohon tunggu sebentar" in html
    assert 'href="/kiosk/" id="home"' in html and 'data-idle-seconds="30"' in html


def test_the_refusal_speaks_the_chosen_language(limited_client):
    client = limited_client
    client.get("/kiosk/?lang=en")
    for _ in range(2):
        client.post("/kiosk/tiket", data=csrf_and_key(client, "B"))
    html = client.post("/kiosk/tiket", data=csrf_and_key(client, "B")).get_data(as_text=True)
    assert '<html lang="en">' in html and "Please wait a moment" in html
    assert "Back to the start" in html and "Mohon" not in html


def test_an_unknown_service_is_a_kiosk_page_too(client):
    response = client.get("/kiosk/layanan/Q")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Layanan tidak tersedia" in html and "Layanan tidak dikenal." in html
    assert 'id="home"' in html
