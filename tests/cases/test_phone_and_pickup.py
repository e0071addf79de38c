"""The applicant's side: the phone page during the steps, and the pickup ticket (service E)."""

from __future__ import annotations

import re

from antrian.cases import operations as cases
from antrian.cases import steps
from tests.cases.conftest import APPLICANT, NIK, called_ticket

PERSONAL = (NIK, "140502", "Siti", "Aminah", "0812", "siti.aminah", "Keripik")


def served_to_step(db, now, officer, last_step: int, *, finish_last: bool = True):
    ticket_id = called_ticket(db, now, officer)
    outputs = {
        1: {"oss_username": "siti.aminah"},
        2: {"documents": ["ktp"]},
        3: {"nib": "9120301234567", "licence_number": "IUMK/1"},
        4: {"handed_over_to": "Siti Aminah"},
    }
    with db.write() as s:
        case = cases.open_case(s, officer, now, ticket_id=ticket_id)
        cases.update_applicant(s, case.id, APPLICANT, officer, now)
        for n in range(1, last_step + 1):
            steps.start_step(s, case.id, n, officer, now)
            if n < last_step or finish_last:
                steps.finish_step(s, case.id, n, outputs[n], officer, now)
        ticket_token = case.ticket.token
        return case.id, case.token, ticket_token


def test_phone_page_during_step_3_shows_progress_and_nothing_personal(db, client, now, officer):
    _, case_token, ticket_token = served_to_step(db, now, officer, 3, finish_last=False)
    for token in (case_token, ticket_token):
        page = client.get(f"/t/{token}").get_data(as_text=True)
        assert 'id="progress-label">Sedang diproses<' in page
        assert "TTB-2026-0001" in page and "(sedang berjalan)" in page
        for text in PERSONAL:
            assert text not in page, text


def test_phone_page_says_pick_it_up_once_the_nib_is_issued(db, client, now, officer):
    _, case_token, _ = served_to_step(db, now, officer, 3)
    hx = client.get(f"/t/{case_token}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in hx
    assert "NIB terbit, silakan ambil di loket" in hx
    for text in PERSONAL:
        assert text not in hx, text


def test_a_pickup_ticket_with_the_receipt_number_opens_the_right_case(
    db, client, app, now, officer
):
    from antrian.seed import add_staff

    case_id, _, _ = served_to_step(db, now, officer, 3)
    with db.write() as s:
        add_staff(s, "rina", "Rina", "sandi-rina-1", "front_office", now)
    csrf = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True)
    ).group(1)
    client.post(
        "/staff/login", data={"username": "rina", "password": "sandi-rina-1", "csrf_token": csrf}
    )
    choose = client.get("/kiosk/layanan/E").get_data(as_text=True)
    assert "Nomor Tanda Terima Berkas" in choose
    wrong = client.post(
        "/kiosk/tiket", data={"service": "E", "receipt_number": "2026-77", "csrf_token": csrf}
    )
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    assert "tidak ditemukan" in text and 'value="2026-77"' in text
    r = client.post(
        "/kiosk/tiket", data={"service": "E", "receipt_number": "2026 1", "csrf_token": csrf}
    )
    assert r.status_code == 303
    client.post("/staff/loket/1/panggil", data={"csrf_token": csrf})  # finishes A-001, calls E
    desk = client.get("/staff/loket/1").get_data(as_text=True)
    assert 'id="current-code">E-001<' in desk
    assert "Pengambilan dengan tanda terima <b>TTB-2026-0001</b>" in desk
    assert f'href="/staff/berkas/{case_id}"' in desk
