"""The office's printer runs out of paper in the morning: the desk says so, the slips wait, and
once paper is in they print in order and the alert goes; staff reprint a ticket from the
console. The real `antrian serve`, a fake TM-T20II on the network, Debian's Chromium."""

from __future__ import annotations

import shutil
import time

import pytest

from hardware.printing.testing import READY, FakeNetworkPrinter
from tests.browser.conftest import AntrianServer
from tests.browser.test_lobby import login_desk

expect = pytest.importorskip("playwright.sync_api").expect


def wait_printed(fake, count: int, timeout: float = 40.0) -> list[tuple[str, bool]]:
    deadline = time.monotonic() + timeout
    while len(fake.slips()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return fake.slips()


@pytest.fixture
def printer():
    with FakeNetworkPrinter(READY) as fake:
        yield fake


@pytest.fixture
def server(browser, tmp_path, fresh_instance, printer):
    """The conftest's server (new_context closes before it stops), printing to `printer`."""
    template, admin_password, token = fresh_instance
    instance = tmp_path / "instance"
    shutil.copytree(template, instance)
    srv = AntrianServer(instance, admin_password, token)
    srv.env.update(
        ANTRIAN_KIOSK_PRINTER_URL=printer.url,
        ANTRIAN_PRINTER_STATUS_SECONDS="1",
        ANTRIAN_PRINTER_ALERT_SECONDS="60",
    )
    srv.start()
    yield srv
    srv.stop()


def test_paper_out_on_the_desk_then_printed_in_order_and_reprinted(
    server, new_context, printer, tmp_path
):
    printer.paper_out()
    codes = [server.issue("A")["code"] for _ in range(3)]

    desk = login_desk(new_context(viewport={"width": 1366, "height": 768}), server, 1)
    alert = desk.locator("#printer-status-kiosk")
    expect(alert).to_have_class("error")
    expect(alert).to_contain_text("Printer kiosk (tiket): kertas habis")
    expect(alert).to_contain_text(f"3 slip menunggu: {', '.join(codes)}")
    desk.screenshot(path=str(tmp_path / "desk-paper-out-1366x768.png"), full_page=True)
    assert printer.slips() == []

    # Paper in: the open desk clears the alert by itself, the slips come out in order.
    printer.ready()
    assert wait_printed(printer, 3) == [(code, False) for code in codes]
    expect(alert).to_have_count(0, timeout=10_000)
    expect(desk.locator('[data-printer-ok="kiosk"]')).to_contain_text("✓")

    # A person says their ticket tore: the console prints it again, marked.
    desk.get_by_role("link", name="Cetakan & cetak ulang").click()
    expect(desk).to_have_url(server.base + "/staff/cetakan/")
    row = desk.locator("#recent-jobs tr", has_text=codes[0])
    expect(row).to_contain_text("tercetak")
    row.get_by_role("button", name="Cetak ulang").click()
    message = f"{codes[0]} dikirim ulang ke Printer kiosk (tiket)."
    expect(desk.locator("#print-messages")).to_contain_text(message)
    assert wait_printed(printer, 4, timeout=15)[3] == (codes[0], True)
    # The copy's row follows it from waiting to printed without a reload.
    copy = desk.locator("#recent-jobs tbody tr").first
    expect(copy).to_contain_text(f"{codes[0]} tiket · cetak ulang")
    expect(copy).to_contain_text("tercetak", timeout=10_000)
    desk.screenshot(path=str(tmp_path / "print-jobs-1366x768.png"), full_page=True)
