"""The case at the desk through the Flask client: open, type, the steps, hand-over, reveal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from antrian.models import Event, PrintJob
from antrian.seed import add_staff
from tests.cases.conftest import NIK


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def desk(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "rina", "Rina Front Office", "sandi-rina-1", "front_office", now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    client.post(
        "/staff/login", data={"username": "rina", "password": "sandi-rina-1", "csrf_token": csrf}
    )
    return csrf


def open_case_from_desk(client, csrf) -> str:
    client.post(
        "/kiosk/tiket",
        data={
            "service": "A",
            "priority": "elderly",
            "has_email": "1",
            "has_nik": "1",
            "confirm_missing": "npwp",  # the one missing item, as the notice named it
            "csrf_token": csrf,
        },
    )
    client.post("/staff/loket/1/panggil", data={"csrf_token": csrf})
    desk = client.get("/staff/loket/1").get_data(as_text=True)
    assert "Prioritas: Lanjut usia" in desk
    assert "✗ belum ada: NPWP valid (status KSWP)" in desk and "✓ E-mail aktif" in desk
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', desk).group(1)
    r = client.post("/staff/berkas/buka", data={"csrf_token": csrf, "ticket_id": ticket_id})
    assert r.status_code == 303
    return r.headers["Location"]


def test_buka_berkas_from_a_called_ticket_and_the_desk_links_it_after(client, desk):
    url = open_case_from_desk(client, desk)
    page = client.get(url).get_data(as_text=True)
    assert "Berkas IUMK · A-001" in page and "Data pemohon" in page
    again = client.get("/staff/loket/1").get_data(as_text=True)
    assert f'href="{url}"' in again and ">Buka berkas" in again


def test_a_wrong_nik_is_refused_next_to_the_field_and_nothing_typed_is_lost(client, desk):
    url = open_case_from_desk(client, desk)
    typed = {
        "csrf_token": desk,
        "applicant_name": "Siti Aminah",
        "nik": "1405024508900000",
        "legal_form": "perorangan",
        "business_name": "Keripik Nenas Siti",
        "kbli": "10794",
    }
    r = client.post(f"{url}/pemohon", data=typed)
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    message = re.search(r'id="msg-nik">([^<]+)<', page).group(1)
    assert "0000" in message or "urut" in message
    for name in ("applicant_name", "nik", "business_name"):
        assert f'name="{name}" type="text" value="{typed[name]}"' in page
    assert 'name="kbli" value="10794" checked' in page  # the chooser keeps the choice
    # As the officer types: the field's own message, nothing else.
    hx = {"HX-Request": "true", "X-CSRFToken": desk}
    part = client.post(f"{url}/periksa/nik", data={"nik": "3371"}, headers=hx).get_data(
        as_text=True
    )
    assert part.startswith('<p class="field-msg bad" id="msg-nik"') and "16" in part
    part = client.post(f"{url}/periksa/nik", data={"nik": NIK}, headers=hx).get_data(as_text=True)
    assert "Kabupaten Pelalawan, Riau" in part and "perempuan" in part


def test_applicant_saved_masked_and_tampilkan_is_logged(client, desk, app):
    url = open_case_from_desk(client, desk)
    data = {
        "csrf_token": desk,
        "applicant_name": "Siti Aminah",
        "nik": NIK,
        "phone": "0812 3456 7890",
        "email": "siti@contoh.id",
        "legal_form": "perorangan",
    }
    r = client.post(f"{url}/pemohon", data=data)
    assert r.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert NIK not in page and "140502******0001" in page and "0812****7890" in page
    shown = client.post(f"{url}/tampilkan", data={"csrf_token": desk}).get_data(as_text=True)
    assert f'id="clear-nik">{NIK}<' in shown
    with app.extensions["antrian.db"].read() as s:
        seen = s.scalars(select(Event).where(Event.kind == "case.personal_data_revealed")).all()
    assert [e.actor for e in seen] == ["staff:rina"]


def test_the_four_steps_from_the_page_print_two_slips(client, desk, app):
    url = open_case_from_desk(client, desk)
    client.post(
        f"{url}/pemohon",
        data={
            "csrf_token": desk,
            "applicant_name": "Siti Aminah",
            "nik": NIK,
            "legal_form": "perorangan",
            "business_name": "Keripik Nenas Siti",
            "kbli": "10794",
        },
    )
    forms = {
        1: {"oss_username": "siti.aminah"},
        2: {"documents": ["ktp", "surat_permohonan"]},
        3: {"nib": "9120301234567", "licence_number": "IUMK/503/0042"},
        4: {"handed_over_to": "Siti Aminah"},
    }
    for n, outputs in forms.items():
        assert client.post(f"{url}/langkah/{n}/mulai", data={"csrf_token": desk}).status_code == 303
        r = client.post(f"{url}/langkah/{n}/selesai", data={"csrf_token": desk, **outputs})
        assert r.status_code == 303, r.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert 'id="receipt-number">TTB-2026-0001<' in page or "TTB-" in page
    assert 'id="case-done"' in page
    with app.extensions["antrian.db"].read() as s:
        kinds = s.scalars(select(PrintJob.kind).where(PrintJob.printer == "loket")).all()
    assert kinds == ["receipt", "handover"]


def test_a_step_without_its_output_stays_open_and_says_why(client, desk):
    url = open_case_from_desk(client, desk)
    client.post(f"{url}/langkah/1/mulai", data={"csrf_token": desk})
    hx = {"HX-Request": "true", "X-CSRFToken": desk}
    part = client.post(f"{url}/langkah/1/selesai", data={"oss_username": " "}, headers=hx)
    text = part.get_data(as_text=True)
    assert "<html" not in text and "Isi username akun OSS pemohon." in text
    assert 'id="finish-1"' in text


def test_hand_over_to_back_office_shows_in_their_list_and_comes_back(client, desk):
    url = open_case_from_desk(client, desk)
    r = client.post(
        f"{url}/alihkan",
        data={"csrf_token": desk, "team": "back_office", "note": "Proses NIB di OSS"},
    )
    assert r.status_code == 303
    listing = client.get("/staff/berkas/?tim=back_office").get_data(as_text=True)
    assert f'href="{url}"' in listing and "Proses NIB di OSS" in listing
    client.post(f"{url}/alihkan", data={"csrf_token": desk, "team": "front_office", "note": ""})
    assert f'href="{url}"' not in client.get("/staff/berkas/?tim=back_office").get_data(
        as_text=True
    )


def test_a_case_without_a_ticket(client, desk):
    r = client.post("/staff/berkas/buka", data={"csrf_token": desk})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Tanpa tiket antrean" in page


def test_case_pages_need_login(client):
    assert client.get("/staff/berkas/").status_code == 302


def test_the_case_form_kbli_search_box_finds_codes(client, desk):
    # The chooser's search box is named kbli_cari; the current choice rides along as kbli.
    part = client.get(
        "/staff/kbli?kbli_cari=keripik&kbli=47111", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'value="10794"' in part and "Keripik" in part
