"""The kiosk in two languages: Indonesian by default, English on request, kept for the visit."""

import re


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_kiosk_speaks_indonesian_by_default(client):
    html = page(client, "/kiosk/")
    assert '<html lang="id">' in html and "Selamat datang" in html
    assert "Penerbitan IUMK/NIB" in html and 'id="lang-toggle"' in html
    assert re.search(r'id="lang-toggle"[^>]*href="/kiosk/\?lang=en">.*?English</a>', html, re.S)


def test_english_is_chosen_once_and_kept_until_changed_back(client):
    html = page(client, "/kiosk/?lang=en")
    assert '<html lang="en">' in html and "Welcome" in html and "waiting" in html
    assert "Assisted IUMK/NIB issuance (OSS)" in html and "Selamat datang" not in html
    # The next screen of the same visit, without ?lang: still English.
    form = page(client, "/kiosk/layanan/A")
    assert "Requirements" in form and "Pregnant" in form and "Take a number" in form
    assert "Persyaratan" not in form
    back = page(client, "/kiosk/layanan/A?lang=id")
    assert "Persyaratan" in back and "Ibu hamil" in back


def test_an_unknown_language_falls_back_to_indonesian(client):
    assert "Selamat datang" in page(client, "/kiosk/?lang=fr")
