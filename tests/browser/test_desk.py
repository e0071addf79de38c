"""The counter desk in Chromium at the desk's size (1366x768): an officer logs in (no stale
login message), works the queue with the keyboard, calls a ticket out of order with a reason,
closes the counter for prayer (the lobby shows it closed), opens it again and logs out."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}


def shot(page, tmp_path: Path, name: str) -> None:
    """Screenshots for a person to look at: ANTRIAN_SCREENSHOT_DIR keeps them."""
    folder = Path(os.environ.get("ANTRIAN_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_a_shift_at_the_desk(server, new_context, open_display, tmp_path):
    subprocess.run(
        [
            Path(sys.executable).with_name("antrian"),
            *("staff", "add", "dewi", "--name", "Dewi Lestari", "--role", "front_office"),
            *("--password", "sandi-dewi-1"),
        ],
        env=server.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    # One applicant through the kiosk's checklist (no NPWP yet), then a morning's queue.
    kiosk = new_context(viewport={"width": 1080, "height": 1920}).new_page()
    kiosk.goto(server.base + "/kiosk/layanan/A")
    for key in ("email", "nik"):
        kiosk.locator(f'#take-ticket input[name="has_{key}"]').check()
    kiosk.locator('input[name="priority"][value=""]').check()
    kiosk.locator("#submit-ticket").click()
    if kiosk.locator('input[name="confirm_missing"]').count():
        kiosk.locator("#submit-ticket").click()
    expect(kiosk.locator("#ticket-code")).to_have_text("A-001")
    for _ in range(35):
        server.issue("A")
    board = open_display(viewport={"width": 1920, "height": 1080})

    # The desk asks for a login, says so on the login page, and not again after it.
    desk = new_context(viewport=DESK).new_page()
    desk.goto(server.base + "/staff/loket/1")
    expect(desk.locator(".flash")).to_have_text("Silakan masuk terlebih dahulu.")
    desk.get_by_label("Nama pengguna").fill("dewi")
    desk.get_by_label("Kata sandi").fill("sandi-dewi-1")
    with desk.expect_response(lambda r: "/staff/events" in r.url):
        desk.get_by_role("button", name="Masuk").click()
    expect(desk).to_have_url(server.base + "/staff/loket/1")
    expect(desk.locator("#desk-messages")).to_have_text("")
    expect(desk.locator("#waiting-count")).to_have_text("36")
    expect(desk.locator("#waiting-list tbody tr")).to_have_count(36)
    first = desk.locator("#waiting-list tbody tr").first
    expect(first).to_contain_text("✓ NIK")
    expect(first).to_contain_text("✗ NPWP")
    shot(desk, tmp_path, "desk-1366x768-waiting")

    # The keyboard: P calls, U recalls, M starts, S finishes (the buttons show the keys).
    desk.keyboard.press("p")
    expect(desk.locator("#current-code")).to_have_text("A-001")
    expect(board.counter_code(1)).to_have_text("A-001")
    desk.keyboard.press("u")
    expect(desk.locator("#desk-messages")).to_have_text("A-001 dipanggil ulang.")
    desk.keyboard.press("m")
    expect(desk.locator("#desk-messages")).to_have_text("Mulai melayani A-001.")
    shot(desk, tmp_path, "desk-1366x768-serving")
    desk.keyboard.press("s")
    expect(desk.locator("#desk-messages")).to_have_text("A-001 selesai.")

    # Out of order: A-030 is back with the missing document.
    row = desk.locator("#waiting-list tr", has_text="A-030")
    row.locator("summary").click()
    reason = row.get_by_label(re.compile("Alasan memanggil A-030"))
    reason.fill("Kembali membawa NPWP")
    reason.press("p")  # typing in a field is typing, not a shortcut
    # A new applicant at the kiosk re-renders the desk: the open box and the typing stay.
    server.issue("A")
    expect(desk.locator("#waiting-count")).to_have_text("36")
    expect(reason).to_be_visible()
    expect(reason).to_have_value("Kembali membawa NPWPp")
    expect(desk.locator("#current-code")).to_have_text("Belum ada yang dipanggil.")
    reason.fill("Kembali membawa NPWP")
    row.get_by_role("button", name="Panggil A-030").click()
    expect(desk.locator("#current-code")).to_have_text("A-030")
    expect(desk.locator("#desk-messages")).to_have_text("Memanggil A-030 di luar urutan.")
    expect(board.counter_code(1)).to_have_text("A-030")
    desk.keyboard.press("s")
    expect(desk.locator("#desk-messages")).to_have_text("A-030 selesai.")

    # Salat: the counter closes, nothing can be called, the lobby shows it closed.
    desk.locator("#pause select").select_option("salat")
    server.issue("A")  # the desk re-renders while the officer chooses: the choice stays
    expect(desk.locator("#waiting-count")).to_have_text("36")
    expect(desk.locator("#pause select")).to_have_value("salat")
    desk.locator("#pause-button").click()
    expect(desk.locator("#paused-note")).to_contain_text("Salat sejak")
    expect(desk.locator("#call-next")).to_be_disabled()
    expect(board.counter_code(1)).to_have_text("TUTUP")
    expect(board.page.locator('.counter[data-counter="1"] .counter-note')).to_have_text("Salat")
    shot(desk, tmp_path, "desk-1366x768-paused")
    shot(board.page, tmp_path, "display-1920x1080-paused")
    desk.keyboard.press("p")  # the disabled button is not pressed by its key either
    expect(desk.locator("#current-code")).to_have_text("Belum ada yang dipanggil.")
    desk.get_by_role("button", name="Buka kembali loket").click()
    expect(board.counter_code(1)).to_have_text("—")
    desk.keyboard.press("p")
    expect(desk.locator("#current-code")).to_have_text("A-002")

    desk.get_by_role("button", name="Keluar").click()
    expect(desk).to_have_url(server.base + "/staff/login")
