"""An admin registers the lobby kiosk on the admin page, puts it on this PC with "Pasang di
PC ini", and the ticket taken there prints on the kiosk's own printer, not the default one.
The real `antrian serve`, two fake TM-T20II printers on the network, Debian's Chromium."""

from __future__ import annotations

import shutil
import time

import pytest

from hardware.printing.testing import READY, FakeNetworkPrinter
from tests.browser.conftest import AntrianServer

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def printers():
    with FakeNetworkPrinter(READY) as default, FakeNetworkPrinter(READY) as lobby:
        yield default, lobby


@pytest.fixture
def server(browser, tmp_path, fresh_instance, printers):
    template, admin_password, token = fresh_instance
    instance = tmp_path / "instance"
    shutil.copytree(template, instance)
    srv = AntrianServer(instance, admin_password, token)
    srv.env.update(ANTRIAN_KIOSK_PRINTER_URL=printers[0].url)
    srv.start()
    yield srv
    srv.stop()


def test_an_admin_registers_a_kiosk_and_its_ticket_prints_on_its_printer(
    server, new_context, printers, tmp_path
):
    default, lobby = printers
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(server.base + "/staff/login?next=/staff/admin/perangkat/")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(server.admin_password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(server.base + "/staff/admin/perangkat/")

    form = page.locator("#register-kiosk")
    form.get_by_label("Nama").fill("Kios lobi kiri")
    form.get_by_label("Alamat printer").fill(lobby.url)
    form.get_by_role("button", name="Daftarkan").click()
    expect(page.locator("#new-kiosk")).to_contain_text("Kiosk Kios lobi kiri didaftarkan")
    expect(page.locator("#kiosk-url")).to_contain_text("/kiosk/perangkat/kios_")
    expect(page.locator("#kiosk-1")).to_contain_text("Aktif")
    page.screenshot(path=str(tmp_path / "devices-1366x768.png"), full_page=True)

    page.get_by_role("button", name="Pasang di PC ini").click()
    expect(page).to_have_url(server.base + "/kiosk/")
    page.locator('.tile[data-service="C"]').click()
    page.locator("#submit-ticket").click()
    expect(page.locator("#ticket-code")).to_have_text("C-001")

    deadline = time.monotonic() + 20
    while not lobby.slips() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # a second copy, or one on the default printer, would be out by now
    assert lobby.slips() == [("C-001", False)]
    assert default.slips() == []

    # The admin page, opened again on this PC, says which kiosk it is.
    page.goto(server.base + "/staff/admin/perangkat/")
    expect(page.locator("#this-pc")).to_have_text("PC ini terdaftar sebagai kiosk Kios lobi kiri.")
    page.screenshot(path=str(tmp_path / "devices-this-pc-1366x768.png"), full_page=True)
