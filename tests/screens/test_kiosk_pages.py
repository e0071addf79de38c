"""The kiosk as a walk-in uses it, through the Flask client."""

import re

from antrian.models import PrintJob, Ticket


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def form_for(client, service: str) -> dict:
    html = client.get(f"/kiosk/layanan/{service}").get_data(as_text=True)
    key = re.search(r'name="request_key" value="([^"]+)"', html).group(1)
    return {"csrf_token": csrf_of(html), "service": service, "request_key": key}


def test_home_lists_every_service_as_a_big_button(client):
    html = client.get("/kiosk/").get_data(as_text=True)
    for code, name in [
        ("A", "Penerbitan IUMK/NIB"),
        ("D", "Pengaduan"),
        ("E", "Pengambilan Dokumen"),
    ]:
        assert f'data-service="{code}"' in html and name in html


def test_iumk_checklist_tells_what_is_missing_before_queueing(client, app):
    form = form_for(client, "A") | {"applicant_type": "badan", "has_email": "1", "has_nik": "1"}
    r = client.post("/kiosk/tiket", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Masih kurang" in html
    assert "Akta pendirian" in html and "NPWP valid" in html and "KSWP" in html
    # Their answers are kept, and nothing was issued yet.
    assert re.search(r'name="has_email" value="1"\s+checked', html)
    assert not re.search(r'name="has_npwp" value="1"\s+checked', html)
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).count() == 0
    confirm = re.search(r'name="confirm_missing" value="([^"]+)"', html).group(1)
    assert confirm == "akta,npwp"
    r = client.post("/kiosk/tiket", data=form | {"confirm_missing": confirm})
    assert r.status_code == 303


def test_an_answer_changed_after_the_notice_is_checked_again(client, app):
    form = form_for(client, "A") | {
        "applicant_type": "perorangan",
        "has_email": "1",
        "has_nik": "1",
    }
    html = client.post("/kiosk/tiket", data=form).get_data(as_text=True)
    assert "Masih kurang" in html and "NPWP valid" in html and "E-mail aktif</strong>" not in html
    # They untick the e-mail after being told only the NPWP is missing: told again, no ticket.
    changed = {k: v for k, v in form.items() if k != "has_email"} | {"confirm_missing": "npwp"}
    again = client.post("/kiosk/tiket", data=changed)
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Masih kurang" in page
    assert "E-mail aktif</strong>" in page and "NPWP valid (status KSWP)</strong>" in page
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).count() == 0
    # Confirmed as it stands now: one ticket, its checklist yes/no only.
    r = client.post("/kiosk/tiket", data=changed | {"confirm_missing": "email,npwp"})
    assert r.status_code == 303
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).one().checklist == {
            "applicant_type": "perorangan",
            "email": False,
            "nik": True,
            "akta": True,
            "npwp": False,
        }


def test_individual_applicant_needs_no_deed(client):
    form = form_for(client, "A") | {
        "applicant_type": "perorangan",
        "has_email": "1",
        "has_nik": "1",
        "has_npwp": "1",
        "priority": "elderly",
    }
    r = client.post("/kiosk/tiket", data=form)
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="ticket-code">A-001<' in page
    assert "Prioritas: Lanjut usia" in page and "<svg" in page
    assert 'Antrean di depan Anda: <strong id="people-ahead">0</strong>' in page


def test_double_tap_issues_one_ticket_and_one_print_job(client, app):
    form = form_for(client, "C")
    first = client.post("/kiosk/tiket", data=form)
    second = client.post("/kiosk/tiket", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).count() == 1 and s.query(PrintJob).count() == 1


def test_missing_csrf_is_refused_with_an_indonesian_message(client):
    r = client.post("/kiosk/tiket", data={"service": "C"})
    assert r.status_code == 400 and "Muat ulang halaman" in r.get_data(as_text=True)


def test_unknown_service_is_404(client):
    assert client.get("/kiosk/layanan/Q").status_code == 404


def test_phone_status_page_has_two_renderings(client, auth):
    token = client.post("/api/v1/tickets", json={"service": "B"}).get_json()["token"]
    full = client.get(f"/t/{token}")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]
    client.post("/api/v1/counters/4/call-next", headers=auth)
    part = client.get(f"/t/{token}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in part and "Anda dipanggil!" in part and "Loket 4" in part
