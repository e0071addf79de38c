"""The head of office's monthly look: demo days, the report page, its print on A4."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from .conftest import antrian_cli

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, in CI) before this matters
    expect = None

pytestmark = pytest.mark.browser

PERIOD = "from=2026-11-25&to=2026-11-27"


def test_the_report_of_demo_days_reads_and_prints_on_a4(server, new_context, tmp_path):
    out = antrian_cli(server.instance, "demo", "--days", "3", "--until", "2026-11-27")
    issued = int(re.search(r"(\d+) tiket", out).group(1))

    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(server.base + "/staff/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", server.admin_password)
    page.click("button[type=submit]")
    page.goto(f"{server.base}/staff/laporan/?{PERIOD}")
    expect(page.get_by_role("heading", level=2)).to_contain_text("25 November 2026")
    expect(page.locator(".figure").first).to_contain_text(str(issued))
    expect(page.locator("svg.chart.heat")).to_be_visible()
    page.screenshot(path=str(tmp_path / "laporan-1366.png"), full_page=True)

    req = urllib.request.Request(
        f"{server.base}/api/v1/reports/queue?{PERIOD}",
        headers={"Authorization": f"Bearer {server.token}"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        api = json.loads(r.read())
    assert api["office"]["issued"] == issued
    served = page.locator("#tabel-layanan tbody tr").last.locator("td").nth(3)
    expect(served).to_have_text(str(api["office"]["served"]))

    # Printed: no buttons or forms, the office's name on top, a place to sign.
    page.emulate_media(media="print")
    expect(page.locator("form.period")).to_be_hidden()
    expect(page.locator(".print-head")).to_contain_text("DPMPTSP")
    expect(page.locator(".signature")).to_contain_text("Kepala Dinas")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)


def test_the_live_today_view_follows_a_call_without_reload(server, new_context):
    server.issue("A")
    server.issue("B")
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(server.base + "/staff/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", server.admin_password)
    page.click("button[type=submit]")
    page.goto(server.base + "/staff/laporan/hari-ini")
    expect(page.locator("#today-waiting")).to_have_text("2")
    expect(page.locator("#today-open")).to_have_text("0 / 4")
    marker = page.evaluate("() => (window.__loaded = Math.random())")
    server.call_next(3)
    expect(page.locator("#today-waiting")).to_have_text("1")
    expect(page.locator("tr[data-counter='3']")).to_contain_text("A-001")
    expect(page.locator("#today-open")).to_have_text("1 / 4")
    assert page.evaluate("() => window.__loaded") == marker  # no reload
