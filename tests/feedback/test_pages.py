"""Complaint and survey pages through the Flask client: kiosk, phone and staff console."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from antrian.feedback.models import Complaint, Survey
from antrian.models import PrintJob, Ticket
from antrian.seed import add_staff


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def page(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def records(app, model):
    with app.extensions["antrian.db"].read() as s:
        return s.scalars(select(model)).all()


@pytest.fixture
def officer(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "dewi", "Dewi Lestari", "sandi-dewi-1", "front_office", now)
    csrf = csrf_of(page(client, "/staff/login"))
    r = client.post(
        "/staff/login", data={"username": "dewi", "password": "sandi-dewi-1", "csrf_token": csrf}
    )
    assert r.status_code == 303
    return csrf


COMPLAINT = {
    "category": "pelayanan",
    "text": "Petugas loket 2 tidak ada di tempat selama satu jam.",
    "name": "Siti",
    "phone": "0812 3456 7890",
}


def test_kiosk_complaint_from_the_service_d_page_to_the_receipt_and_slip(client, app):
    assert "Tulis pengaduan" in page(client, "/kiosk/layanan/D")
    form = page(client, "/kiosk/pengaduan")
    assert "dihapus setelah 365 hari" in form
    r = client.post("/kiosk/pengaduan", data=COMPLAINT | {"csrf_token": csrf_of(form)})
    assert r.status_code == 303
    receipt = page(client, r.headers["Location"])
    (complaint,) = records(app, Complaint)
    assert f'id="complaint-code">{complaint.code}<' in receipt and "<svg" in receipt
    assert "0812" not in receipt and "Siti" not in receipt
    (job,) = records(app, PrintJob)
    assert (job.kind, job.printer, job.payload["complaint_no"]) == (
        "complaint",
        "kiosk",
        complaint.code,
    )


def test_a_refused_complaint_keeps_everything_typed(client, app):
    csrf = csrf_of(page(client, "/kiosk/pengaduan"))
    typed = COMPLAINT | {"phone": "12-34", "category": "", "csrf_token": csrf}
    r = client.post("/kiosk/pengaduan", data=typed)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Pilih kategori pengaduan." in html and "Nomor ponsel tidak valid" in html
    assert COMPLAINT["text"] in html and 'value="Siti"' in html and 'value="12-34"' in html
    assert records(app, Complaint) == []


def test_phone_complaint_shows_its_status_then_the_staff_answer(client, app, officer):
    csrf = csrf_of(page(client, "/pengaduan"))
    r = client.post("/pengaduan", data=COMPLAINT | {"csrf_token": csrf})
    status_url = r.headers["Location"]
    assert r.status_code == 303 and status_url.startswith("/pengaduan/")
    assert records(app, PrintJob) == []  # a phone prints nothing
    html = page(client, status_url)
    assert ">Baru<" in html and "menunggu ditangani" in html
    (complaint,) = records(app, Complaint)

    home = page(client, "/staff/")
    assert 'href="/staff/pengaduan"' in home and 'href="/staff/skm"' in home
    listing = page(client, "/staff/pengaduan")
    assert "Sikap atau pelayanan petugas" in listing
    assert f'data-code="{complaint.code}"' in listing
    detail = page(client, f"/staff/pengaduan/{complaint.id}")
    assert "0812****7890" in detail
    assert "081234567890" not in detail
    base = f"/staff/pengaduan/{complaint.id}"
    r = client.post(f"{base}/take", data={"csrf_token": officer})
    assert r.status_code == 303
    assert ">Diproses<" in page(client, status_url)
    answer = "Petugas loket 2 sudah kami tegur; mulai besok jadwal istirahat bergantian."
    r = client.post(f"{base}/answer", data={"csrf_token": officer, "answer": answer})
    assert r.status_code == 303
    html = page(client, status_url)
    assert ">Dijawab<" in html and answer in html
    r = client.post(f"{base}/close", data={"csrf_token": officer})
    assert ">Selesai<" in page(client, status_url)
    listing = page(client, "/staff/pengaduan?status=selesai")
    assert complaint.code in listing and "Dewi Lestari" in listing and "0 hari kerja" in listing
    assert complaint.code not in page(client, "/staff/pengaduan?status=baru")


def test_an_empty_answer_is_refused_and_the_console_says_why(client, app, officer):
    csrf = csrf_of(page(client, "/pengaduan"))
    client.post("/pengaduan", data=COMPLAINT | {"csrf_token": csrf})
    (complaint,) = records(app, Complaint)
    r = client.post(
        f"/staff/pengaduan/{complaint.id}/answer", data={"csrf_token": officer, "answer": "ok"}
    )
    assert r.status_code == 422 and "Tuliskan jawaban" in r.get_data(as_text=True)
    r = client.post(f"/staff/pengaduan/{complaint.id}/close", data={"csrf_token": officer})
    assert r.status_code == 409 and "berstatus baru" in r.get_data(as_text=True)


def test_staff_pages_need_a_login(client):
    for url in ("/staff/pengaduan", "/staff/skm", "/staff/skm.csv"):
        r = client.get(url)
        assert r.status_code == 302 and "/staff/login" in r.headers["Location"]


def finish_a_ticket(client, auth) -> Ticket:
    ticket = client.post("/api/v1/tickets", json={"service": "B"}).get_json()
    assert client.post("/api/v1/counters/1/call-next", headers=auth).status_code == 200
    assert (
        client.post(
            f"/api/v1/tickets/{ticket['id']}/finish", headers=auth, json={"counter": 1}
        ).status_code
        == 200
    )
    return ticket


def test_phone_survey_after_the_ticket_is_finished_then_the_ikm(client, app, auth, officer):
    ticket = client.post("/api/v1/tickets", json={"service": "B"}).get_json()
    status = page(client, f"/t/{ticket['token']}")
    assert 'id="survey-link"' not in status  # not before the service
    desk = auth | {"X-CSRFToken": officer}  # this client is logged in to the console too
    assert client.post("/api/v1/counters/1/call-next", headers=desk).status_code == 200
    assert (
        client.post(
            f"/api/v1/tickets/{ticket['id']}/finish", headers=desk, json={"counter": 1}
        ).status_code
        == 200
    )
    status = page(client, f"/t/{ticket['token']}")
    assert f'href="/t/{ticket["token"]}/survei"' in status
    form = page(client, f"/t/{ticket['token']}/survei")
    for word in ("Tidak sesuai", "Sangat mudah", "Gratis", "Dikelola dengan baik", "Sangat baik"):
        assert word in form
    answers = {f"u{n}": "3" for n in range(1, 10)} | {"u4": "4"}
    r = client.post(f"/t/{ticket['token']}/survei", data=answers | {"csrf_token": csrf_of(form)})
    assert r.status_code == 303
    assert "Terima kasih" in page(client, f"/t/{ticket['token']}/survei")
    assert "sudah kami terima" in page(client, f"/t/{ticket['token']}")
    r = client.post(f"/t/{ticket['token']}/survei", data=answers | {"csrf_token": csrf_of(form)})
    assert r.status_code == 409 and "sudah kami terima" in r.get_data(as_text=True)
    assert len(records(app, Survey)) == 1
    # 8 x 3 + 4 = 28; IKM = 28 / 9 x 25 = 77.78 -> B
    report = page(client, "/staff/skm?dari=2026-01-01&sampai=2030-12-31")
    assert 'id="ikm">77.78<' in report and 'id="grade">B<' in report
    assert 'id="respondents">1<' in report
    csv = client.get("/staff/skm.csv?dari=2026-01-01&sampai=2030-12-31")
    assert csv.mimetype == "text/csv"
    assert "IKM,Indeks Kepuasan Masyarakat,77.78" in csv.get_data(as_text=True)


def test_a_half_answered_survey_names_what_is_missing_and_keeps_the_answers(client, auth):
    ticket = finish_a_ticket(client, auth)
    form = page(client, f"/t/{ticket['token']}/survei")
    r = client.post(
        f"/t/{ticket['token']}/survei",
        data={"u1": "2", "u2": "4", "comment": "Ruang tunggu panas.", "csrf_token": csrf_of(form)},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Waktu Penyelesaian" in html and "Sarana dan Prasarana" in html
    assert re.search(r'name="u1" value="2"\s+checked', html) and "Ruang tunggu panas." in html


def test_kiosk_survey_by_ticket_code(client, auth):
    ticket = finish_a_ticket(client, auth)
    csrf = csrf_of(page(client, "/kiosk/survei"))
    r = client.post("/kiosk/survei", data={"code": "b 1", "csrf_token": csrf})
    assert r.status_code == 303 and r.headers["Location"] == f"/kiosk/survei/{ticket['token']}"
    r = client.post("/kiosk/survei", data={"code": "B-009", "csrf_token": csrf})
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and "tidak ditemukan hari ini" in html and 'value="B-009"' in html
