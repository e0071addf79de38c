"""The Buku Register and the case form's field checks in a real Chromium: an admin searches
the register, pages, downloads CSV and XLSX and opens them, prints the A4 page to PDF; the
checks answer next to the field as the officer types, and nothing typed is lost."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from antrian.cases.register import add_register_entry
from antrian.db import Database

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser


def fill_register(server, count: int) -> None:
    db = Database(f"sqlite:///{server.instance / 'antrian.sqlite3'}")
    now = datetime(2026, 11, 26, 3, tzinfo=UTC)
    with db.write() as s:
        for n in range(1, count + 1):
            add_register_entry(
                s,
                case_id=n,
                applicant_name=f"Pemohon {n:03d}",
                business_name=f"Toko Sembako {n:03d}",
                kbli="47112",
                nib=f"9120101{n:06d}",
                licence_number=f"503/IUMK/{n:04d}/2026",
                officer="Siti Rahma",
                issued_on=date(2026, 11, 26) - timedelta(days=count - n),
                now=now,
            )
        add_register_entry(
            s,
            case_id=999,
            applicant_name="Ani Lestari",
            business_name="Keripik Nenas Berkah",
            kbli="10794",
            nib="9120000000999",
            licence_number="503/IUMK/0999/2026",
            officer="Siti Rahma",
            issued_on=date(2026, 11, 26),
            now=now,
        )
    db.dispose()


def sign_in(context, server):
    page = context.new_page()
    page.goto(server.base + "/staff/login")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(server.admin_password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(server.base + "/staff/")
    return page


def test_the_register_searched_paged_exported_and_printed(server, new_context, tmp_path):
    fill_register(server, 70)
    context = new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = sign_in(context, server)
    page.goto(server.base + "/staff/register/")
    expect(page.locator(".register-summary")).to_contain_text("71 entri")
    expect(page.locator(".register-table tbody tr")).to_have_count(50)
    page.screenshot(path=str(tmp_path / "register-1366x768.png"))

    # Typing searches as the officer types (htmx), and the address follows the search.
    page.get_by_label(re.compile("Cari nama pemohon")).fill("nenas")
    expect(page.locator(".register-summary")).to_contain_text("“nenas”")
    expect(page.locator(".register-table tbody tr")).to_have_count(1)
    expect(page.locator(".register-table")).to_contain_text("0071/IUMK/DPMPTSP/2026")
    expect(page).to_have_url(re.compile(r"q=nenas"))
    page.get_by_label(re.compile("Cari nama pemohon")).fill("")
    expect(page.locator(".register-summary")).to_contain_text("71 entri")
    page.get_by_role("link", name=re.compile("Berikutnya")).click()
    expect(page.locator(".pager")).to_contain_text("Halaman 2 dari 2")
    expect(page.locator(".register-table")).to_contain_text("0001/IUMK/DPMPTSP/2026")

    # The files: what the search shows.
    page.get_by_label("KBLI").fill("10794")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator(".register-summary")).to_contain_text("KBLI 10794")
    expect(page.locator(".register-table tbody tr")).to_have_count(1)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[1].startswith("0071/IUMK/DPMPTSP/2026,2026-11-26,Ani Lestari")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("0071/IUMK/DPMPTSP/2026", datetime(2026, 11, 26), "Ani Lestari")

    # The printable A4: Chromium renders it to PDF, as the office's "save as PDF" would.
    printable = context.new_page()
    printable.goto(server.base + "/staff/register/cetak")
    expect(printable.locator("table tbody tr")).to_have_count(71)
    expect(printable.locator(".signature")).to_contain_text("Kepala")
    printable.emulate_media(media="print")
    expect(printable.get_by_role("button", name=re.compile("Cetak"))).to_be_hidden()
    pdf = printable.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 6, pages  # 71 rows on A4 landscape, header repeated, then the signature
    printable.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    printable.screenshot(path=str(tmp_path / "register-print-a4.png"))
    (tmp_path / "register.pdf").write_bytes(pdf)


def test_field_checks_answer_as_the_officer_types_and_keep_the_input(server, new_context, tmp_path):
    context = new_context(viewport={"width": 1366, "height": 768})
    page = sign_in(context, server)
    page.goto(server.base + "/staff/validasi/nik")
    field = page.get_by_label("NIK")
    field.press_sequentially("1405 0213 1385 0003", delay=10)  # month 13
    expect(page.locator("#check-nik .field-error")).to_contain_text("Tanggal lahir")
    assert field.input_value() == "1405 0213 1385 0003"  # the check never touches the input
    field.fill("1405.0657.0885.0003")
    expect(page.locator("#check-nik .field-ok")).to_contain_text("Kabupaten Pelalawan, Riau")
    expect(page.locator("#check-nik .field-ok")).to_contain_text("perempuan")
    page.screenshot(path=str(tmp_path / "field-check-nik-1366x768.png"))
    page.get_by_role("link", name="NPWP").click()
    page.get_by_label("NPWP").fill("01.312.166.1-091.000")
    expect(page.locator("#check-npwp .field-warning")).to_contain_text("Digit pemeriksa")
    page.goto(server.base + "/staff/kbli")
    page.get_by_label("Kode atau kata").fill("keripik")
    expect(page.locator("#kbli-options")).to_contain_text("10794")
    expect(page.locator("#kbli-options")).to_contain_text("Kerupuk, Keripik, Peyek")
