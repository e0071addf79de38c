"""Live without reload: the lobby's waiting counts and running text follow within 1 s, and the
phone page learns of its call within 2 s."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser


def waiting_on_board(display, service: str) -> str:
    return display.page.locator(f'#waiting li[data-service="{service}"] .count').inner_text()


def wait_for_text(page, selector: str, text: str, seconds: float) -> float:
    """How long the text took to appear; fails when it took longer than `seconds`."""
    started = time.monotonic()
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.textContent.includes(text)",
        arg=[selector, text],
        timeout=seconds * 1000,
    )
    return time.monotonic() - started


def test_the_lobby_counts_follow_a_call_within_a_second(open_display, server):
    for _ in range(3):
        server.issue("B")
    display = open_display()
    display.page.wait_for_function(
        "document.querySelector('#waiting li[data-service=\"B\"] .count').textContent === '3'"
    )
    server.call_next(2)
    wait_for_text(display.page, '#waiting li[data-service="B"] .count', "2", 1.0)
    server.call_next(2)
    wait_for_text(display.page, '#waiting li[data-service="B"] .count', "1", 1.0)


def test_a_new_running_text_reaches_the_lobby_within_a_second(open_display, server, new_context):
    display = open_display()
    admin = new_context().new_page()
    admin.goto(server.base + "/staff/login")
    admin.fill('input[name="username"]', "admin")
    admin.fill('input[name="password"]', server.admin_password)
    admin.click('button[type="submit"]')
    admin.goto(server.base + "/staff/admin/")
    admin.fill(
        'textarea[name="running_text"], input[name="running_text"]',
        "Kantor tutup pukul 15.00 hari ini",
    )
    admin.locator('form[action$="/kantor"] button[type="submit"]').click()
    wait_for_text(display.page, "footer .marquee span", "Kantor tutup pukul 15.00", 1.0)


def test_the_phone_page_learns_of_its_call_within_two_seconds(new_context, server):
    ticket = server.issue("C")
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(server.base + re.sub(r"^https?://[^/]+", "", ticket["status_url"]))
    phone.locator("#status-text").wait_for()
    phone.wait_for_function("document.querySelector('#status').getAttribute('sse-connect')")
    time.sleep(0.5)  # the stream is open (the next call is pushed, not polled)
    server.call_next(3)
    took = wait_for_text(phone, "#status-text", "Anda dipanggil!", 2.0)
    assert took < 2.0
    phone.screenshot(path=str(server.instance / "phone-called.png"))
