"""A ticket keeps the language it was taken in: its slip, its phone page and its call."""

from __future__ import annotations

import re

import pytest

from antrian import operations as ops
from antrian.models import Event, PrintJob, Ticket
from antrian.operations.errors import Invalid
from antrian.printing.slips import slip_from_payload, slip_gettext
from hardware.printing import OfficeInfo, render_bytes
from hardware.printing.escpos_reader import read_escpos

OFFICE = OfficeInfo(name="DPMPTSP Kabupaten Pelalawan", address="Pangkalan Kerinci")


def test_an_english_ticket_stores_its_language_and_an_english_slip(db, now):
    with db.write() as s:
        issued = ops.issue_ticket(s, "A", "elderly", None, now, public_base="http://k", lang="en")
    with db.read() as s:
        assert s.get(Ticket, issued.id).lang == "en"
        payload = s.query(PrintJob).filter_by(ticket_id=issued.id).one().payload
    assert payload["lang"] == "en"
    assert payload["service_name"] == "Assisted IUMK/NIB issuance (OSS)"
    assert payload["prepare_line"].startswith("Bring a working e-mail address")


def test_an_unknown_language_is_refused(db, now):
    with db.write() as s, pytest.raises(Invalid) as refused:
        ops.issue_ticket(s, "A", None, None, now, lang="fr")
    assert refused.value.code == "bad_lang"


def paper_of(db, now, lang: str):
    with db.write() as s:
        issued = ops.issue_ticket(s, "C", "pregnant", None, now, public_base="http://k", lang=lang)
    with db.read() as s:
        job = s.query(PrintJob).filter_by(ticket_id=issued.id).one()
        slip = slip_from_payload(job.kind, job.payload)
    return read_escpos(
        render_bytes(slip, OFFICE, "TM-T20II", gettext=slip_gettext(job.payload))
    ).text


def test_the_slip_prints_in_the_tickets_language(sqlite_db, now):
    english = paper_of(sqlite_db, now, "en")
    assert "Queue number" in english and "People ahead of you: 0" in english
    assert "Thursday, 26 November 2026 09:00 WIB" in english
    assert "Pregnant" in english and "Information and consultation" in english
    assert "Thank you for your visit." in english and "Antrean" not in english
    indonesian = paper_of(sqlite_db, now, "id")
    assert "Nomor Antrean" in indonesian and "Kamis, 26 November 2026 09:00 WIB" in indonesian
    assert "Ibu hamil" in indonesian and "Terima kasih atas kunjungan Anda." in indonesian


def kiosk_ticket(client, lang: str) -> str:
    html = client.get(f"/kiosk/layanan/C?lang={lang}").get_data(as_text=True)
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "service": "C",
        "request_key": re.search(r'name="request_key" value="([^"]+)"', html).group(1),
    }
    response = client.post("/kiosk/tiket", data=form)
    assert response.status_code == 303
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_kiosk_issues_in_the_chosen_language_and_the_phone_page_follows(app, client):
    token = kiosk_ticket(client, "en")
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).filter_by(token=token).one().lang == "en"
    phone = app.test_client()  # the walk-in's phone: no session, no choice of its own
    page = phone.get(f"/t/{token}").get_data(as_text=True)
    assert '<html lang="en">' in page and "Queue number" in page and "people ahead" in page
    # A phone that chose Indonesian keeps its choice.
    assert "orang di depan Anda" in phone.get(f"/t/{token}?lang=id").get_data(as_text=True)


def test_the_call_of_an_english_ticket_is_spoken_in_english(app, client, auth):
    token = client.post("/api/v1/tickets", json={"service": "B", "lang": "en"}).get_json()
    assert token["lang"] == "en"
    client.post("/api/v1/counters/2/call-next", headers=auth)
    with app.extensions["antrian.db"].read() as s:
        called = s.query(Event).filter_by(kind="ticket.called").one()
    assert called.data["lang"] == "en"
    state = client.get(f"/display/state.json?after={called.id - 1}").get_json()
    assert [c["phrase"] for c in state["calls"]] == [
        "Queue number B, one, please proceed to counter two"
    ]
    assert state["calls"][0]["lang"] == "en"


def test_the_api_refuses_an_unknown_language(client):
    response = client.post("/api/v1/tickets", json={"service": "B", "lang": "xx"})
    assert response.status_code == 422 and response.get_json()["error"] == "bad_lang"
