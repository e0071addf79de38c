"""Accounts and roles in a real Chromium against the real server, as the office runs them: the
admin makes accounts on the web (a bad one is refused next to its field), resets a password; the
officer changes it; a head of office (supervisor) reads a case, the register and the reports but
changes nothing and is turned away from the desk and the settings; an anonymous visitor is sent
to the login and, once in, lands where they were going; a disabled account is out at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}
NIK = "1405024508900001"
SHOTS = Path(__file__).parent / "screenshots"


def sign_in(page, server, username: str, password: str) -> None:
    page.goto(server.base + "/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def make_account(page, username: str, full_name: str, role: str, password: str) -> None:
    form = page.locator("#new-account")
    form.get_by_label("Nama pengguna").fill(username)
    form.get_by_label("Nama lengkap").fill(full_name)
    for box in form.locator("input[name=roles]").all():
        box.set_checked(box.get_attribute("value") == role)
    form.get_by_label(re.compile("Kata sandi awal")).fill(password)
    form.get_by_role("button", name="Buat akun").click()


def test_accounts_on_the_web_and_what_each_role_may_do(server, new_context):
    applicant = {"applicant_name": "Siti Aminah", "nik": NIK, "business_name": "Warung Siti"}
    case = server.request("POST", "/api/v1/cases", {"applicant": applicant}, staff=True)
    case_path = f"/staff/berkas/{case['id']}"

    # The admin makes two accounts; a short password is refused and what was typed stays.
    admin = new_context(viewport=DESK).new_page()
    sign_in(admin, server, "admin", server.admin_password)
    admin.get_by_role("link", name="Akun petugas").click()
    make_account(admin, "sari", "Sari Kepala Seksi", "supervisor", "pendek")
    expect(admin.locator("#password-error")).to_contain_text("8")
    expect(admin.locator("#new-account").get_by_label("Nama pengguna")).to_have_value("sari")
    admin.locator("#new-account").get_by_label(re.compile("Kata sandi awal")).fill("sandi-sari-1")
    admin.locator("#new-account").get_by_role("button", name="Buat akun").click()
    expect(admin.locator(".flash")).to_contain_text("Akun 'sari' dibuat.")
    make_account(admin, "rina", "Rina Front Office", "front_office", "sandi-rina-1")
    expect(admin.locator("#account-rina")).to_contain_text("Aktif")
    SHOTS.mkdir(exist_ok=True)
    admin.screenshot(path=str(SHOTS / "accounts-1366x768.png"))

    # A forgotten password: the admin resets it, the new one is shown once.
    admin.locator("#account-rina").get_by_role("button", name="Atur ulang sandi").click()
    reset = admin.locator("#new-password code").inner_text()
    assert len(reset) >= 8

    # An anonymous visitor to a case is sent to the login and, once in, lands on the case
    # with no stale "Silakan masuk" left over; then changes the password the admin gave.
    rina_context = new_context(viewport=DESK)
    rina = rina_context.new_page()
    rina.goto(server.base + case_path)
    expect(rina).to_have_url(re.compile(r"/staff/login\?next="))
    expect(rina.locator(".flash")).to_contain_text("Silakan masuk terlebih dahulu")
    rina.get_by_label("Nama pengguna").fill("rina")
    rina.get_by_label("Kata sandi").fill(reset)
    rina.get_by_role("button", name="Masuk").click()
    expect(rina).to_have_url(server.base + case_path)
    expect(rina.get_by_role("button", name="Simpan data pemohon")).to_be_visible()
    assert "Silakan masuk" not in rina.content()
    rina.goto(server.base + "/staff/")
    rina.get_by_role("link", name="Ganti kata sandi").click()
    rina.get_by_label("Kata sandi sekarang").fill(reset)
    rina.get_by_label(re.compile(r"^Kata sandi baru \(")).fill("sandi-rina-2")
    rina.get_by_label("Ulangi kata sandi baru").fill("sandi-rina-2")
    rina.get_by_role("button", name="Simpan kata sandi").click()
    expect(rina.locator(".flash")).to_contain_text("Kata sandi Anda diganti.")
    # A front office officer has no settings.
    rina.goto(server.base + "/staff/admin/akun")
    expect(rina.locator(".error-card h2")).to_have_text("Akses ditolak")

    # The head of office reads: the case (masked, no forms), the register, the reports.
    sari = new_context(viewport=DESK).new_page()
    sign_in(sari, server, "sari", "sandi-sari-1")
    expect(sari).to_have_url(server.base + "/staff/")
    expect(sari.locator("#no-desk")).to_be_visible()  # no counter to choose
    expect(sari.get_by_role("link", name="Pengaturan kantor & printer")).to_have_count(0)
    sari.get_by_role("link", name="Berkas IUMK").click()
    sari.locator("#case-list a", has_text=f"#{case['id']}").click()
    expect(sari.locator("#applicant-read-only")).to_contain_text("Warung Siti")
    expect(sari.locator("#masked-nik")).to_have_text("140502******0001")
    assert NIK not in sari.content()
    for action in ("Simpan data pemohon", "Tampilkan", "Mulai langkah 1", "Alihkan"):
        expect(sari.get_by_role("button", name=action)).to_have_count(0)
    expect(sari.locator("#new-case")).to_have_count(0)
    sari.screenshot(path=str(SHOTS / "case-supervisor-1366x768.png"))
    sari.goto(server.base + "/staff/")
    sari.get_by_role("link", name="Buku Register").click()
    expect(sari.locator("h1")).to_contain_text("Buku Register")
    sari.goto(server.base + "/staff/")
    sari.get_by_role("link", name="Laporan").click()
    expect(sari.locator("h1")).to_contain_text("Laporan")
    for path in ("/staff/loket/1", "/staff/admin/akun", "/staff/admin/"):
        sari.goto(server.base + path)
        expect(sari.locator(".error-card h2")).to_have_text("Akses ditolak")

    # The admin disables the officer: her open session ends, her password opens nothing.
    admin.locator("#account-rina").get_by_role("button", name="Nonaktifkan").click()
    expect(admin.locator("#account-rina")).to_contain_text("Nonaktif")
    rina.goto(server.base + case_path)
    expect(rina).to_have_url(re.compile(r"/staff/login\?next="))
    sign_in(rina, server, "rina", "sandi-rina-2")
    expect(rina.locator(".error")).to_be_visible()
    expect(rina).to_have_url(re.compile(r"/staff/login"))
