"""Staff sessions in a real Chromium against the real server: a cookie copied before logout
opens nothing afterwards, and guessing passwords is stopped with the time to try again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ANTRIAN_SCREENSHOTS", os.environ.get("TMPDIR", "/tmp")))
DESK = {"width": 1366, "height": 768}


def sign_in(page, server, password: str) -> None:
    page.goto(server.base + "/staff/login")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_a_cookie_copied_before_logout_opens_nothing(new_context, server):
    officer = new_context(viewport=DESK)
    page = officer.new_page()
    sign_in(page, server, server.admin_password)
    expect(page).to_have_url(server.base + "/staff/")
    copied = officer.cookies()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(server.base + "/staff/login")

    thief = new_context(viewport=DESK)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(server.base + "/staff/loket/1")
    expect(stolen).to_have_url(server.base + "/staff/login?next=%2Fstaff%2Floket%2F1")
    expect(stolen.get_by_role("button", name="Masuk")).to_be_visible()


def test_guessing_is_stopped_with_the_time_to_try_again(new_context, server):
    page = new_context(viewport=DESK).new_page()
    for attempt in range(5):
        sign_in(page, server, f"tebakan-{attempt}")
        expect(page.locator(".error")).to_contain_text("kata sandi salah")
    sign_in(page, server, server.admin_password)  # right, but after five wrong ones
    expect(page.locator(".error")).to_contain_text("Terlalu banyak percobaan masuk")
    expect(page.locator(".error")).to_contain_text("coba lagi pukul")
    expect(page.get_by_label("Nama pengguna")).to_have_value("admin")
    page.screenshot(path=str(SHOTS / "login-throttled-1366x768.png"))
