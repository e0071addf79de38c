"""A full IUMK case in a real Chromium against the real server, as the officers work it: the
front office opens it from a called ticket, types the applicant (a wrong NIK is refused next to
the field), runs steps 1-2 (the Tanda Terima Berkas prints), passes it to the back office, who
works step 3 while the applicant watches the phone page, lets it run overdue, and passes it back;
the front office hands the licence over (the handover slip prints). Screenshots at 1366x768."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from hardware.printing.escpos_reader import read_escpos
from tests.browser.conftest import antrian_cli

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}
NIK = "1405024508900001"
SHOTS = Path(__file__).parent / "screenshots"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def login(context, server, username: str, password: str):
    page = context.new_page()
    page.goto(server.base + "/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(server.base + "/staff/")
    return page


def printed(server, count: int) -> list:
    """The counter printer's file, read back as paper: one Paper per cut slip."""
    path = server.instance / "loket.bin"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if path.exists():
            paper = read_escpos(path.read_bytes())
            if paper.cuts >= count:
                return paper
        time.sleep(0.1)
    raise AssertionError(f"the counter printer did not get {count} slips")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_a_full_case_through_the_four_steps(server, new_context):
    antrian_cli(server.instance, "staff", "add", "rina", "--name", "Rina Front Office",
                "--password", "sandi-rina-1")  # fmt: skip
    antrian_cli(server.instance, "staff", "add", "budi", "--name", "Budi Back Office",
                "--role", "back_office", "--password", "sandi-budi-1")  # fmt: skip
    ticket = server.issue("A")

    # Front office: call the ticket, open its case.
    front = login(new_context(viewport=DESK), server, "rina", "sandi-rina-1")
    front.get_by_role("link", name=re.compile(r"^Loket 1\b")).click()
    front.locator("#call-next").click()
    expect(front.locator("#current-code")).to_have_text(ticket["code"])
    expect(front.locator("#case-panel #open-case")).to_have_text("Buka berkas")
    shot(front, "desk-called-ticket")
    front.locator("#open-case").click()
    expect(front).to_have_url(re.compile(r"/staff/berkas/\d+$"))
    case_url = front.url

    # The applicant: a wrong NIK is refused next to the field as the officer types.
    front.get_by_label("Nama pemohon").fill("Siti Aminah")
    front.get_by_label("NIK").press_sequentially("1405024508900000", delay=10)
    expect(front.locator("#msg-nik")).to_have_class(re.compile(r"\bbad\b"))
    shot(front, "case-nik-refused")
    front.get_by_label("NIK").fill(NIK)
    front.get_by_label("NIK").dispatch_event("change")
    expect(front.locator("#msg-nik")).to_contain_text("Kabupaten Pelalawan, Riau")
    front.get_by_label("Nomor HP").fill("0812 3456 7890")
    front.get_by_label("E-mail").fill("siti.aminah@contoh.id")
    front.get_by_placeholder("Ketik kode atau kata, mis. warung makan").fill("keripik")
    front.locator('input[name="kbli"][value="10794"]').check()
    front.get_by_label("Nama usaha").fill("Keripik Nenas Siti")
    front.get_by_label("Alamat usaha").fill("Jl. Lintas Timur No. 5, Pangkalan Kerinci")
    front.get_by_role("button", name="Simpan data pemohon").click()
    expect(front.locator("#desk-messages")).to_contain_text("Data pemohon disimpan.")
    expect(front.locator("#masked-nik")).to_have_text("140502******0001")
    assert NIK not in front.content()
    front.locator("#reveal").click()
    expect(front.locator("#clear-nik")).to_have_text(NIK)
    front.reload()  # the clear NIK is gone again
    assert NIK not in front.content()

    # Steps 1 and 2: the receipt prints with the masked NIK and a QR to the phone page.
    front.locator("#start-1").click()
    front.get_by_label("Username akun OSS").fill("siti.aminah")
    front.locator("#finish-1").click()
    expect(front.locator("#step-1")).to_have_class(re.compile(r"\bdone\b"))
    front.locator("#start-2").click()
    front.get_by_label("Fotokopi KTP (NIK)").check()
    front.get_by_label("Surat permohonan IUMK").check()
    shot(front, "case-step-2")
    front.locator("#finish-2").click()
    expect(front.locator("#receipt-number")).to_have_text("TTB-" + time.strftime("%Y") + "-0001")
    receipt = printed(server, 1)
    assert "TANDA TERIMA BERKAS" in receipt.text and "140502******0001" in receipt.text
    assert NIK not in receipt.text and "Fotokopi KTP (NIK)" in receipt.text
    [phone_url] = receipt.qr_payloads[-1:]
    assert "/t/" in phone_url

    # Passed to the back office with a note.
    front.get_by_label("Alihkan ke").select_option("back_office")
    front.get_by_label("Catatan untuk tim tujuan").fill("Mohon terbitkan NIB di OSS")
    front.locator("#hand-over").click()
    expect(front.locator("#team h2")).to_contain_text("Back Office")

    # The back office finds it in their list and starts step 3; time runs past 120 minutes.
    back_context = new_context(viewport=DESK)
    back_context.clock.install()
    back = login(back_context, server, "budi", "sandi-budi-1")
    back.get_by_role("link", name="Berkas IUMK").click()  # their own team's list
    expect(back).to_have_url(server.base + "/staff/berkas/?tim=back_office")
    expect(back.locator("#case-list")).to_contain_text("Mohon terbitkan NIB di OSS")
    back.locator("#case-list a").first.click()
    expect(back).to_have_url(case_url)
    back.locator("#start-3").click()
    expect(back.locator("#clock-3")).to_have_class(re.compile(r"clock-ok"))

    # The applicant's phone, during step 3: progress, nothing personal.
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(phone_url.replace(phone_url.split("/t/")[0], server.base))
    expect(phone.locator("#progress-label")).to_have_text("Sedang diproses")
    for personal in (NIK, "140502", "Siti", "0812", "siti.aminah"):
        assert personal not in phone.content(), personal
    shot(phone, "phone-step-3")

    back.clock.fast_forward("01:37:00")  # 97 min: amber (80 % of 120)
    expect(back.locator("#clock-3")).to_have_class(re.compile(r"clock-amber"))
    back.clock.fast_forward("00:25:00")  # 122 min: red, past the standard
    expect(back.locator("#clock-3")).to_have_class(re.compile(r"clock-red"))
    expect(back.locator("#total-clock")).to_contain_text("2 j 02 m / 165 m")  # 74 %: still ok
    shot(back, "case-step-3-overdue")
    back.get_by_label("NIB (13 angka)").fill("9120301234567")
    back.get_by_label("Nomor IUMK").fill("IUMK/503/DPMPTSP/2026/0042")
    back.locator("#finish-3").click()
    expect(back.locator("#nib")).to_have_text("9120301234567")
    back.get_by_label("Alihkan ke").select_option("front_office")
    back.get_by_label("Catatan untuk tim tujuan").fill("NIB terbit, siap diserahkan")
    back.locator("#hand-over").click()
    expect(back.locator("#team h2")).to_contain_text("Front Office")
    phone.reload()
    expect(phone.locator("#progress-label")).to_have_text("NIB terbit, silakan ambil di loket")

    # Front office: step 4, the handover slip prints, the register has the entry.
    front.reload()
    front.locator("#start-4").click()
    expect(front.get_by_label("Diserahkan kepada")).to_have_value("Siti Aminah")
    front.locator("#finish-4").click()
    expect(front.locator("#case-done")).to_be_visible()
    expect(front.locator("#register-number")).to_contain_text("/IUMK/")
    shot(front, "case-done")
    paper = printed(server, 2)
    assert "TANDA SERAH TERIMA NIB / IUMK" in paper.text and "9120301234567" in paper.text
    assert NIK not in paper.text

    # The server's log (a line per request) never holds the applicant's personal data.
    log = server.log_path.read_text()
    assert "Melayani di http://" in log  # the log is the server's own
    for personal in (NIK, "1405024508900000", "081234567890", "0812 3456", "siti.aminah@"):
        assert personal not in log, personal
