"""The admin page: office settings, logo, printers, failed prints — through the Flask client."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.models import Event, PrintJob, Setting
from antrian.printer_status import record_status
from antrian.printing.spooler import Spooler
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.status import PrinterStatus

OFFICE_FORM = {
    "office_name": "Mal Pelayanan Publik Pelalawan",
    "office_address": "Jl. Lintas Timur  Km. 2,\nPangkalan Kerinci",
    "office_phone": "(0761) 12345",
    "running_text": "Layanan NIB gratis. Hari Jumat buka sampai pukul 11.00 WIB.",
}


def kiosk_paper(app, db, now):
    """Issue a ticket and let a spooler (built as create_app builds it) print it."""
    with db.write() as s:
        # The spooler runs on the wall clock: a slip of another day would not print.
        ops.issue_ticket(s, "A", None, None, utcnow(), public_base="http://kantor")
    out = Path(app.instance_path, "printer-kiosk.bin")
    start = out.stat().st_size if out.exists() else 0  # the file printer appends every job
    spooler = Spooler.from_settings(db, app.config["ANTRIAN"])
    assert spooler.run_once("kiosk") is True
    return read_escpos(out.read_bytes()[start:])


def stored_settings(db) -> dict[str, str]:
    with db.read() as s:
        return {row.key: row.value for row in s.scalars(select(Setting))}


def test_the_page_needs_an_admin(client, login):
    r = client.get("/staff/admin/")
    assert r.status_code == 302 and "/staff/login" in r.headers["Location"]
    login("dewi", "front_office")
    assert client.get("/staff/admin/").status_code == 403


def test_office_settings_apply_to_screens_and_to_the_next_slip(app, client, admin_csrf, db, now):
    before = kiosk_paper(app, db, now)
    assert "DPMPTSP Kabupaten Pelalawan" in before.text

    r = client.post("/staff/admin/kantor", data={**OFFICE_FORM, "csrf_token": admin_csrf})
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Pengaturan kantor disimpan." in page
    assert 'value="Jl. Lintas Timur Km. 2, Pangkalan Kerinci"' in page  # one line, tidied

    board = client.get("/display/").get_data(as_text=True)
    assert '<div class="office">Mal Pelayanan Publik Pelalawan</div>' in board
    assert "Hari Jumat buka sampai pukul 11.00 WIB." in board
    kiosk = client.get("/kiosk/").get_data(as_text=True)
    assert 'class="office-name">Mal Pelayanan Publik Pelalawan</span>' in kiosk

    after = kiosk_paper(app, db, now)  # the spooler reads the office at print time
    assert "Mal Pelayanan Publik Pelalawan" in after.text
    assert "Jl. Lintas Timur Km. 2, Pangkalan Kerinci" in after.text
    assert "Telp. (0761) 12345" in after.text
    with db.read() as s:
        event = s.scalar(select(Event).where(Event.kind == "settings.changed"))
    assert event.actor == "staff:kepala"
    assert event.data["keys"] == ["office_address", "office_name", "office_phone", "running_text"]


def test_bad_input_is_explained_and_what_was_typed_stays(client, admin_csrf, db):
    form = {
        "office_name": "   ",
        "office_address": "Jl. Baru No. 1",
        "office_phone": "telp 0761",
        "running_text": "x" * 501,
        "csrf_token": admin_csrf,
    }
    r = client.post("/staff/admin/kantor", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Nama kantor wajib diisi." in html
    assert "Telepon hanya boleh berisi angka" in html
    assert "Teks berjalan paling banyak 500 karakter (sekarang 501)." in html
    assert 'value="Jl. Baru No. 1"' in html and 'value="telp 0761"' in html
    assert "belum ada yang disimpan" in html
    assert stored_settings(db) == {}


def test_posts_without_the_csrf_token_are_refused(client, admin_csrf, db):
    assert client.post("/staff/admin/kantor", data=OFFICE_FORM).status_code == 400
    assert stored_settings(db) == {}


def test_a_png_logo_is_printed_at_the_top_of_the_next_slip(app, client, admin_csrf, db, now, png):
    assert kiosk_paper(app, db, now).images == 0
    data = png()
    r = client.post(
        "/staff/admin/logo",
        data={"logo": (io.BytesIO(data), "logo-dpmptsp.png"), "csrf_token": admin_csrf},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    assert Path(app.instance_path, "logo.png").read_bytes() == data
    page = client.get("/staff/admin/").get_data(as_text=True)
    src = re.search(r'<img src="([^"]+)" alt="Logo kantor"', page).group(1)
    shown = client.get(src)
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data == data

    paper = kiosk_paper(app, db, now)
    assert paper.images == 1 and paper.text.index("DPMPTSP") >= 0

    r = client.post("/staff/admin/logo/hapus", data={"csrf_token": admin_csrf})
    assert r.status_code == 303
    assert not Path(app.instance_path, "logo.png").exists()
    assert client.get(src).status_code == 404
    assert kiosk_paper(app, db, now).images == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda png: b"GIF89a\x01\x00\x01\x00", "Logo harus berupa berkas PNG."),
        (lambda png: png()[:60], "Berkas PNG rusak atau tidak dapat dibaca."),
        (lambda png: png(3000, 20), "Logo terlalu besar (3000x20 piksel)"),
        (lambda png: b"", "Pilih berkas logo (PNG) terlebih dahulu."),
        (lambda png: b"\x89PNG\r\n\x1a\n" + b"\0" * 1_000_001, "Berkas logo terlalu besar"),
    ],
)
def test_a_bad_logo_is_refused_and_the_old_one_kept(
    app, client, admin_csrf, db, png, make, message
):
    good = png()
    client.post(
        "/staff/admin/logo",
        data={"logo": (io.BytesIO(good), "logo.png"), "csrf_token": admin_csrf},
        content_type="multipart/form-data",
    )
    r = client.post(
        "/staff/admin/logo",
        data={"logo": (io.BytesIO(make(png)), "logo.png"), "csrf_token": admin_csrf},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert Path(app.instance_path, "logo.png").read_bytes() == good


def failed_job(db, now, code="A-007") -> int:
    with db.write() as s:
        job = PrintJob(
            printer="kiosk",
            kind="ticket",
            status="failed",
            attempts=8,
            created_dt=now,
            next_attempt_dt=now,
            last_error="Printer tidak dapat dihubungi: tcp://10.0.0.9:9100",
            payload={
                "code": code,
                "service_name": "Penerbitan IUMK/NIB",
                "issued_at": now.isoformat(),
                "people_ahead": 0,
                "status_url": "http://kantor/t/x",
                "prepare_line": "",
            },
        )
        s.add(job)
        s.flush()
        return job.id


def test_failed_prints_are_listed_with_their_reason_and_reprinted_once(client, admin_csrf, db, now):
    job_id = failed_job(db, now)
    page = client.get("/staff/admin/").get_data(as_text=True)
    row = re.search(rf'<tr data-job="{job_id}">(.*?)</tr>', page, re.S).group(1)
    assert "A-007" in row and "Printer tidak dapat dihubungi: tcp://10.0.0.9:9100" in row
    assert "Cetak ulang" in row

    url = f"/staff/admin/cetak-ulang/{job_id}"
    r = client.post(url, data={"csrf_token": admin_csrf})
    assert r.status_code == 303
    page = client.get("/staff/admin/").get_data(as_text=True)
    assert "A-007 dikirim ulang ke Printer kiosk (tiket)." in page
    assert "Tidak ada cetakan yang gagal." in page
    client.post(url, data={"csrf_token": admin_csrf})  # a double click
    page = client.get("/staff/admin/").get_data(as_text=True)
    assert "Slip A-007 sedang dicetak atau sudah dikirim ulang." in page
    with db.read() as s:
        jobs = list(s.scalars(select(PrintJob).order_by(PrintJob.id)))
        event = s.scalar(select(Event).where(Event.kind == "print.reprinted"))
    assert [(j.status, j.payload["code"]) for j in jobs] == [
        ("reprinted", "A-007"),
        ("pending", "A-007"),
    ]
    assert event.data["new_job_id"] == jobs[1].id and event.actor == "staff:kepala"
    r = client.post("/staff/admin/cetak-ulang/99999", data={"csrf_token": admin_csrf})
    assert "Job cetak tidak ditemukan." in client.get(r.headers["Location"]).get_data(as_text=True)


def test_the_test_page_button_prints_and_reports(app, client, admin_csrf):
    r = client.post("/staff/admin/printer/kiosk/uji", data={"csrf_token": admin_csrf})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert (
        "Halaman uji dikirim ke Printer kiosk (tiket). Status printer: status tidak tersedia."
        in page
    )
    assert (
        "Uji cetak Antrian"
        in read_escpos(Path(app.instance_path, "printer-kiosk.bin").read_bytes()).text
    )


def test_the_test_page_on_a_dead_printer_says_why(app, client, admin_csrf):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    app.config["ANTRIAN"] = app.config["ANTRIAN"].with_(counter_printer_url=dead)
    r = client.post("/staff/admin/printer/loket/uji", data={"csrf_token": admin_csrf})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert (
        "Halaman uji gagal dicetak di Printer loket (tanda terima): Printer tidak dapat "
        "dihubungi" in page
    )
    assert "koneksi ditolak" in page
    r = client.post("/staff/admin/printer/lantai2/uji", data={"csrf_token": admin_csrf})
    assert "Printer &#39;lantai2&#39; tidak dikenal." in client.get(r.headers["Location"]).get_data(
        as_text=True
    )


def test_printers_are_listed_with_their_last_status(app, client, admin_csrf, db, now):
    app.config["ANTRIAN"] = app.config["ANTRIAN"].with_(kiosk_printer_url="tcp://10.0.0.9:9100")
    page = client.get("/staff/admin/").get_data(as_text=True)
    kiosk = re.search(r'<tr data-printer="kiosk">(.*?)</tr>', page, re.S).group(1)
    assert "tcp://10.0.0.9:9100" in kiosk and "belum diperiksa" in kiosk
    loket = re.search(r'<tr data-printer="loket">(.*?)</tr>', page, re.S).group(1)
    assert "tidak dipantau" in loket  # a file printer cannot answer
    with db.write() as s:
        record_status(s, "kiosk", PrinterStatus(online=False, paper_out=True), now)
    page = client.get("/staff/admin/").get_data(as_text=True)
    kiosk = re.search(r'<tr data-printer="kiosk">(.*?)</tr>', page, re.S).group(1)
    assert "kertas habis" in kiosk and "sejak 09:00" in kiosk


def test_a_wrong_device_configuration_is_shown(app, client, admin_csrf):
    app.config["ANTRIAN"] = app.config["ANTRIAN"].with_(call_boxes='{"1": "/dev/ttyUSB3",}')
    page = client.get("/staff/admin/").get_data(as_text=True)
    assert "Perangkat serial tidak dijalankan: ANTRIAN_CALL_BOXES bukan JSON yang valid" in page
