"""The kiosk as a walk-in meets it, on a 1080x1920 portrait and a 1920x1080 landscape screen,
in both languages: sizes a finger and an eye need, WCAG AA (axe-core), the return to the start.

Screenshots go to ANTRIAN_SCREENSHOTS (docs/kiosk for the README) or the test's tmp folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "antrian" / "static" / "vendor" / "axe.min.js"
SHAPES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("ANTRIAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def kiosk_page(new_context, shape: str):
    width, height = SHAPES[shape]
    context = new_context(viewport={"width": width, "height": height}, has_touch=True)
    return context.new_page()


def accessibility_problems(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations (contrast included) on the page as it is shown."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values:
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
    )
    return [
        f"{v['id']}: {node['target']} {node.get('failureSummary', '')}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


def too_small(page) -> list[str]:
    """Touch targets under 64 px high and visible text under 24 px."""
    return page.evaluate(
        """() => {
          const bad = [];
          for (const el of document.querySelectorAll("a, button, label.choice")) {
            const r = el.getBoundingClientRect();
            const name = el.id || el.textContent.trim();
            if (r.width && r.height < 64) bad.push(`target ${name}: ${r.height}px`);
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const el = walker.currentNode.parentElement;
            if (!walker.currentNode.textContent.trim() || !el.getClientRects().length) continue;
            if (el.closest("[hidden], script, style, svg")) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < 24) bad.push(`text "${walker.currentNode.textContent.trim()}": ${size}px`);
          }
          return bad;
        }"""
    )


def check_screen(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"))
    assert too_small(page) == [], name
    assert accessibility_problems(page) == [], name


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_kiosk_screen_fits_reads_and_passes_axe(new_context, server, shots, shape, lang):
    page = kiosk_page(new_context, shape)
    server.issue("C")
    server.issue("C")
    page.goto(f"{server.base}/kiosk/?lang={lang}")
    page.screenshot(path=str(shots / f"kiosk-{shape}-{lang}-1-start.png"))
    # The start screen is the whole screen: five tiles, no scrolling, the waiting counts.
    assert page.evaluate("document.documentElement.scrollHeight") <= SHAPES[shape][1]
    tiles = page.locator(".tile")
    assert tiles.count() == 5
    assert page.locator('.tile[data-service="C"] .tile-waiting strong').inner_text() == "2"
    assert min(tiles.nth(i).bounding_box()["height"] for i in range(5)) >= 200
    check_screen(page, shots, f"kiosk-{shape}-{lang}-1-start")

    page.locator('.tile[data-service="A"]').click()
    submit = page.locator("#submit-ticket")
    # The IUMK page's button is on screen without scrolling, in both shapes.
    box = submit.bounding_box()
    assert box["y"] + box["height"] <= SHAPES[shape][1]
    check_screen(page, shots, f"kiosk-{shape}-{lang}-2-checklist")

    page.locator('input[name="has_email"]').check()
    page.locator('input[name="priority"][value="pregnant"]').check()
    submit.click()
    page.locator("#missing").wait_for()
    # The answer is a new page: measured once its stylesheet is in (on a loaded machine the
    # element is there before the CSS, and an unstyled page is 6,000 px tall).
    page.wait_for_load_state("load")
    box = page.locator("#submit-ticket").bounding_box()
    assert box["y"] + box["height"] <= SHAPES[shape][1]
    check_screen(page, shots, f"kiosk-{shape}-{lang}-3-missing")

    page.locator("#submit-ticket").click()
    page.locator("#ticket-code").wait_for()
    assert page.locator("#ticket-code").inner_text() == "A-001"
    check_screen(page, shots, f"kiosk-{shape}-{lang}-4-ticket")

    page.goto(f"{server.base}/kiosk/layanan/Q")
    page.locator("#refusal").wait_for()
    check_screen(page, shots, f"kiosk-{shape}-{lang}-5-refusal")


def test_a_form_left_alone_counts_down_and_returns_to_an_empty_start(new_context, server):
    page = kiosk_page(new_context, "portrait")
    page.clock.install()
    page.goto(f"{server.base}/kiosk/layanan/A?lang=en")
    page.locator('input[name="has_nik"]').check()
    page.locator('input[name="priority"][value="pregnant"]').check()
    page.clock.fast_forward(15_000)
    assert page.locator("#idle-warning").is_hidden()
    page.clock.fast_forward(6_000)  # 21 s: the last 10 s are counted down
    page.locator("#idle-warning").wait_for()
    assert int(page.locator("#idle-count").inner_text()) in (8, 9)
    page.locator("#idle-stay").click()  # a touch: the person is still there
    assert page.locator("#idle-warning").is_hidden()
    assert page.locator('input[name="priority"][value="pregnant"]').is_checked()
    page.clock.fast_forward(31_000)
    page.wait_for_url(f"{server.base}/kiosk/?lang=id")
    assert page.locator("html").get_attribute("lang") == "id"
    page.goto(f"{server.base}/kiosk/layanan/A")  # the next person: Indonesian, nothing ticked
    assert page.locator("h2#requirements").inner_text() == "Persyaratan"
    assert not page.locator('input[name="has_nik"]').is_checked()
    assert page.locator('input[name="priority"][value=""]').is_checked()


def test_the_ticket_screen_returns_after_twenty_seconds(new_context, server):
    page = kiosk_page(new_context, "landscape")
    page.clock.install()
    page.goto(f"{server.base}/kiosk/layanan/C")
    page.locator("#submit-ticket").click()
    page.locator("#ticket-code").wait_for()
    # The ticket is on screen before kiosk.js (deferred) has started its idle timer: a clock
    # moved before that would be moved for nothing.
    page.wait_for_load_state("load")
    page.clock.fast_forward(11_000)
    page.locator("#idle-warning").wait_for()
    page.clock.fast_forward(10_000)
    page.wait_for_url(f"{server.base}/kiosk/?lang=id")
