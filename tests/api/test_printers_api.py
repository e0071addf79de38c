"""GET /api/v1/printers and POST /api/v1/print-jobs/<id>/reprint, and the staff page
/staff/cetakan, against a fake TCP printer that answers status like a TM-T20II."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.models import Event, PrintJob
from antrian.printing.spooler import Spooler
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.layouts import REPRINT_MARK, OfficeInfo
from hardware.printing.testing import READY, FakeNetworkPrinter
from tests.conftest import make_app
from tests.devices.conftest import login as login  # the fixture

OFFICE = OfficeInfo("DPMPTSP Kabupaten Pelalawan", "Pangkalan Kerinci")


@pytest.fixture
def printer():
    with FakeNetworkPrinter(READY) as fake:
        yield fake


@pytest.fixture
def printer_app(db, tmp_path, printer):
    app = make_app(db, tmp_path, kiosk_printer_url=printer.url, counter_printer_url="")
    yield app
    app.extensions["antrian.db"].dispose()


# Requests run on the wall clock, so these tests do: a slip of another day would not print.
def issue(db):
    with db.write() as s:
        return ops.issue_ticket(s, "A", None, None, utcnow(), public_base="http://kantor").code


def spooler(db, printer, later: float = 0):
    """A spooler whose clock runs `later` seconds ahead: past the backoff of a retry."""
    clock = lambda: utcnow() + timedelta(seconds=later)  # noqa: E731
    return Spooler(db, {"kiosk": printer.url}, "TM-T20II", OFFICE, clock=clock)


def test_printers_need_staff(printer_app):
    client = printer_app.test_client()
    assert client.get("/api/v1/printers").status_code == 401
    assert client.post("/api/v1/print-jobs/1/reprint").status_code == 401


def test_a_printer_out_of_paper_with_its_waiting_slips_in_print_order(
    printer_app, db, now, printer, auth
):
    printer.paper_out()
    codes = [issue(db) for _ in range(3)]
    spooler(db, printer).run_once("kiosk")
    r = printer_app.test_client().get("/api/v1/printers", headers=auth)
    assert r.status_code == 200
    [kiosk] = r.get_json()
    assert kiosk["name"] == "kiosk" and kiosk["status"] == "kertas habis"
    assert kiosk["ready"] is False and kiosk["alert"] is True and kiosk["waiting"] == 3
    assert [job["slip"] for job in kiosk["waiting_jobs"]] == codes
    assert {job["status"] for job in kiosk["waiting_jobs"]} == {"pending"}
    assert "NIK" not in r.get_data(as_text=True)

    printer.ready()
    while spooler(db, printer, later=60).run_once("kiosk"):
        pass
    [kiosk] = printer_app.test_client().get("/api/v1/printers", headers=auth).get_json()
    assert (kiosk["status"], kiosk["alert"], kiosk["waiting"]) == ("siap", False, 0)


def test_staff_reprint_a_printed_slip_through_the_api(printer_app, db, now, printer, auth):
    code = issue(db)
    spooler(db, printer).run_once("kiosk")
    with db.read() as s:
        job_id = s.scalar(select(PrintJob.id))
    client = printer_app.test_client()
    r = client.post(f"/api/v1/print-jobs/{job_id}/reprint", headers=auth)
    assert r.status_code == 201
    copy = r.get_json()
    assert copy["slip"] == code and copy["reprint"] is True and copy["status"] == "pending"
    again = client.post(f"/api/v1/print-jobs/{job_id}/reprint", headers=auth)
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    missing = client.post("/api/v1/print-jobs/99999/reprint", headers=auth)
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    assert spooler(db, printer).run_once("kiosk") is True
    assert REPRINT_MARK in read_escpos(printer.wait_jobs(2)[1]).text
    with db.read() as s:
        event = s.scalar(select(Event).where(Event.kind == "print.reprinted"))
    assert event.actor == "staff:petugas" and event.data["new_job_id"] == copy["id"]


def test_the_staff_page_lists_slips_and_reprints_one(printer_app, db, now, printer, login):
    code = issue(db)
    spooler(db, printer).run_once("kiosk")
    client = printer_app.test_client()
    csrf = login(printer_app, client)
    page = client.get("/staff/cetakan/").get_data(as_text=True)
    [(job_id, row)] = re.findall(r'<tr data-job="(\d+)">(.*?)</tr>', page, re.S)
    assert code in row and "tercetak" in row and "Cetak ulang" in row
    r = client.post(f"/staff/cetakan/{job_id}/cetak-ulang", data={"csrf_token": csrf})
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"{code} dikirim ulang ke Printer kiosk (tiket)." in page
    # The copy waits for the printer, marked.
    row = re.search(r'<tr data-printer="kiosk">(.*?)</tr>', page, re.S).group(1)
    assert re.search(rf"<b>1 slip</b>, dicetak berurutan:\s+{code} \(cetak ulang\)", row)
    # htmx: the same URL answers with the fragment only.
    fragment = client.get("/staff/cetakan/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and "Cetakan terakhir" in (
        fragment.get_data(as_text=True)
    )
