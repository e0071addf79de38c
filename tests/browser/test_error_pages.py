"""Error pages as a person meets them: in the room's style, in Indonesian, with a way back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ANTRIAN_SCREENSHOTS", os.environ.get("TMPDIR", "/tmp")))


def test_kiosk_404_leads_back_to_the_service_choice(new_context, server):
    page = new_context(viewport={"width": 1080, "height": 1920}).new_page()
    answer = page.goto(server.base + "/kiosk/tidak-ada")
    assert answer.status == 404
    page.screenshot(path=str(SHOTS / "error-kiosk-404-1080x1920.png"))
    assert page.locator("h2").inner_text() == "Halaman tidak ditemukan"
    back = page.locator("#error-back")
    assert back.inner_text() == "Kembali ke layar awal"
    box = back.bounding_box()
    assert box["height"] >= 60  # a touch target, as the kiosk's other buttons
    back.click()
    page.wait_for_url(server.base + "/kiosk/")
    assert page.locator("[data-service]").count() >= 4


def test_staff_404_looks_like_the_console_and_leads_back(new_context, server):
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    answer = page.goto(server.base + "/staff/tidak-ada")
    assert answer.status == 404
    page.screenshot(path=str(SHOTS / "error-staff-404-1366x768.png"))
    assert "Konsol Petugas" in page.locator("header").inner_text()
    page.locator("#error-back").click()
    page.wait_for_url("**/staff/login**")  # not logged in: the console asks for a login
