"""A day at the office in a real Chromium against the real server: kiosk, counter desk, phone
status page and, above all, the lobby display, which must show and announce every call once,
in order, through bursts, a killed server and a cut network, and never show personal data."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

CODE = re.compile(r"^[A-Z]-\d{3}$")


def assert_one_at_a_time(audio: list[dict]) -> None:
    """Every sound ended (or failed) before the next began: announcements never overlap."""
    for before, after in zip(audio, audio[1:], strict=False):
        assert before["end"] is not None, f"{before['src']} never ended: {audio}"
        assert after["start"] >= before["end"], f"{after['src']} overlapped {before['src']}"


def assert_called_once_in_order(announced: list[dict], expected: list[tuple[str, int, str]]):
    ids = [a["id"] for a in announced]
    assert [(a["code"], a["counter"], a["kind"]) for a in announced] == expected
    assert len(set(ids)) == len(ids), f"announced twice: {ids}"
    assert ids == sorted(ids), f"announced out of order: {ids}"


def login_desk(context, server, counter: int):
    desk = context.new_page()
    desk.goto(server.base + "/staff/login")
    desk.get_by_label("Nama pengguna").fill("admin")
    desk.get_by_label("Kata sandi").fill(server.admin_password)
    desk.get_by_role("button", name="Masuk").click()
    expect(desk).to_have_url(server.base + "/staff/")
    # The desk is live once its event stream answers; changes from then on refresh it.
    with desk.expect_response(lambda r: "/staff/events" in r.url):
        desk.get_by_role("link", name=re.compile(rf"^Loket {counter}\b")).click()
    expect(desk).to_have_url(server.base + f"/staff/loket/{counter}")
    return desk


def test_office_day(server, new_context, open_display):
    # A walk-in at the kiosk: service A, the SOP checklist, no priority, a ticket with a QR.
    kiosk = new_context(viewport={"width": 1280, "height": 1024}).new_page()
    kiosk.goto(server.base + "/kiosk/")
    kiosk.locator('a.service[data-service="A"]').click()
    expect(kiosk).to_have_url(server.base + "/kiosk/layanan/A")
    boxes = kiosk.locator('#take-ticket input[type="checkbox"]')
    assert boxes.count() >= 3
    for i in range(boxes.count()):
        boxes.nth(i).check()
    kiosk.locator('input[name="priority"][value=""]').check()
    kiosk.locator("#submit-ticket").click()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/tiket/[\w-]+$"))
    expect(kiosk.locator("#ticket-code")).to_have_text("A-001")
    expect(kiosk.locator(".qr svg")).to_be_visible()
    token = kiosk.url.rsplit("/", 1)[1]

    # The lobby board is already on (real chime and speech here), never reloaded below.
    board = open_display(short_audio=False)

    # Staff log in, open Loket 2 and call the next number.
    desk = login_desk(new_context(), server, 2)
    expect(desk.locator("#call-next")).to_have_text(re.compile(r"Panggil berikutnya\s+\(A-001\)"))
    desk.evaluate("""() => document.body.addEventListener('htmx:afterSettle', (e) => {
        if (e.detail.requestConfig && e.detail.requestConfig.verb === 'get')
            window.liveRefreshes = (window.liveRefreshes || 0) + 1;
    })""")
    desk.locator("#call-next").click()
    expect(desk.locator("#current-code")).to_have_text("A-001")
    # The call's own event refreshes the desk live; the staff still read what they just did.
    desk.wait_for_function("window.liveRefreshes >= 1")
    expect(desk.locator("#desk-messages")).to_have_text("Memanggil A-001.")

    expect(board.counter_code(2)).to_have_text("A-001")
    first = board.wait_announced(1)[0]
    assert (first["code"], first["counter"], first["kind"]) == ("A-001", 2, "call")
    assert first["phrase"] == "Nomor antrean A, satu, silakan menuju loket dua"

    # The QR's phone page knows at once.
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(server.base + f"/t/{token}")
    expect(phone.locator("#status-text")).to_contain_text("Anda dipanggil")
    expect(phone.locator("#status-text")).to_contain_text("Loket 2")

    # Recall: the desk says so and the board announces it again, after the first has ended.
    desk.get_by_role("button", name="Panggil ulang").click()
    expect(desk.locator("#desk-messages")).to_have_text("A-001 dipanggil ulang.")
    expect(desk.locator("#current-code")).to_have_text("A-001")
    # The first announcement plays in full (chime + espeak-ng speech, ~5 s) before this one.
    again = board.wait_announced(2, timeout_ms=20_000)[1]
    assert (again["code"], again["counter"], again["kind"]) == ("A-001", 2, "recall")
    assert again["id"] > first["id"]

    # What played for the first call: the chime, then the server's Indonesian speech, to the end.
    audio = board.audio()
    assert audio[0]["src"].endswith("/display/static/display/chime.wav")
    if shutil.which("espeak-ng"):
        speech_src = r"/display/speech/[0-9a-f]{32}\.wav\?code=A-001&counter=2&lang=id$"
        assert re.search(speech_src, audio[1]["src"]), audio
        assert [a["how"] for a in audio[:2]] == ["ended", "ended"], audio
    assert_one_at_a_time(audio)

    # Skip (no-show): the desk empties, the number is listed as absent, the board clears it.
    desk.get_by_role("button", name="Lewati (tidak hadir)").click()
    expect(desk.locator("#desk-messages")).to_have_text("A-001 dilewati (tidak hadir).")
    expect(desk.locator("#current-code")).to_have_text("Belum ada yang dipanggil.")
    expect(desk.get_by_role("heading", name="Tidak hadir")).to_be_visible()
    expect(desk.get_by_role("button", name="Aktifkan kembali")).to_have_count(1)
    expect(board.counter_code(2)).to_have_text("—")
    phone.reload()
    expect(phone.locator("#status-text")).to_contain_text("dilewati")

    # The open desk follows the queue live (SSE), without a reload: every change, even one
    # right after another (a throttled refresh used to drop the second one).
    server.issue("A")
    expect(desk.locator("#waiting-count")).to_have_text("1")
    server.issue("A")
    expect(desk.locator("#waiting-count")).to_have_text("2")
    expect(desk.locator("#call-next")).to_have_text(re.compile(r"\(A-002\)"))
    expect(desk.locator("#desk-messages")).to_have_text("A-001 dilewati (tidak hadir).")
    assert board.mark_loaded() == board.load_mark


def test_display_never_misses(server, open_display):
    tickets = [server.issue("A") for _ in range(5)]
    board = open_display()

    started = time.monotonic()
    calls = [server.call_next(n) for n in (1, 2, 3, 4, 1)]
    assert time.monotonic() - started < 1.0, "the burst must fit in one second"
    assert [c["code"] for c in calls] == [t["code"] for t in tickets]

    # Shown at once: every counter and the whole list, not one per announcement.
    for number, code in {1: "A-005", 2: "A-002", 3: "A-003", 4: "A-004"}.items():
        expect(board.counter_code(number)).to_have_text(code)
    expect(board.page.locator("#last-calls li b")).to_have_text(
        ["A-005", "A-004", "A-003", "A-002", "A-001"]
    )

    announced = board.wait_announced(5)
    assert_called_once_in_order(
        announced,
        [
            ("A-001", 1, "call"),
            ("A-002", 2, "call"),
            ("A-003", 3, "call"),
            ("A-004", 4, "call"),
            ("A-005", 1, "call"),
        ],
    )
    assert announced[4]["phrase"] == "Nomor antrean A, lima, silakan menuju loket satu"

    server.recall(calls[4]["id"])
    announced = board.wait_announced(6)
    assert_called_once_in_order(announced[5:], [("A-005", 1, "recall")])
    assert announced[5]["id"] > announced[4]["id"]

    # Six announcements, each a chime then its speech, one after the other.
    audio = board.wait_sound_done()
    assert_one_at_a_time(audio)
    chimes = [a["src"].endswith("/chime.wav") for a in audio]
    if shutil.which("espeak-ng"):
        assert chimes == [True, False] * 6, audio
        assert all(
            status in (200, 206) and ctype == "audio/wav"
            for _, status, ctype in board.speech_served
        ), board.speech_served
        assert audio[11]["src"] == audio[9]["src"], "a recall speaks the same phrase"
    else:
        assert chimes == [True] * 6, audio
    assert board.announced() == announced  # nothing more, nothing twice


def test_display_survives_server_restart(server, open_display):
    for _ in range(6):
        server.issue("A")
    board = open_display()
    offline = board.page.locator("#offline")
    expect(offline).to_be_hidden()

    server.call_next(1)
    server.call_next(2)
    server.kill()  # SIGKILL master and worker in the middle of the burst
    expect(offline).to_be_visible()

    server.start()  # same port, same SQLite database
    for number in (3, 4, 1):
        server.call_next(number)
    # Back within the stream's retry (2 s) and caught up from Last-Event-ID.
    board.wait_announced(5, timeout_ms=10_000)
    expect(offline).to_be_hidden()

    # One more call: once it is announced, any late duplicate of the first five is too.
    server.call_next(2)
    board.wait_announced_code("A-006")
    assert_called_once_in_order(
        board.announced(),
        [
            ("A-001", 1, "call"),
            ("A-002", 2, "call"),
            ("A-003", 3, "call"),
            ("A-004", 4, "call"),
            ("A-005", 1, "call"),
            ("A-006", 2, "call"),
        ],
    )
    for number, code in {1: "A-005", 2: "A-006", 3: "A-003", 4: "A-004"}.items():
        expect(board.counter_code(number)).to_have_text(code)
    assert board.mark_loaded() == board.load_mark, "the board was reloaded"
    assert_one_at_a_time(board.wait_sound_done())


def test_display_network_cut(server, open_display):
    for _ in range(4):
        server.issue("A")
    board = open_display()
    offline = board.page.locator("#offline")
    expect(offline).to_be_hidden()

    board.page.context.set_offline(True)
    expect(offline).to_be_visible()
    for number in (1, 2, 3):
        server.call_next(number)
    expect(offline).to_be_visible()  # still cut: the mark stays
    board.page.context.set_offline(False)

    board.wait_announced(3)
    expect(offline).to_be_hidden()
    server.call_next(4)  # sentinel: nothing of the first three may follow it
    board.wait_announced_code("A-004")
    assert_called_once_in_order(
        board.announced(),
        [
            ("A-001", 1, "call"),
            ("A-002", 2, "call"),
            ("A-003", 3, "call"),
            ("A-004", 4, "call"),
        ],
    )
    for number in (1, 2, 3, 4):
        expect(board.counter_code(number)).to_have_text(f"A-00{number}")
    assert board.mark_loaded() == board.load_mark


PERSONAL = {
    "email": "budi.santoso@example.co.id",
    "nik": "1405021708900001",
    "npwp": "0123456789012345",
    "phone": "081234567890",
    "name": "Budi Santoso",
}


def assert_no_personal_data(text: str, where: str, tokens: list[str]) -> None:
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", text), f"an e-mail address on the {where}"
    assert not re.search(r"\d{16}", text), f"a 16-digit number (NIK/NPWP) on the {where}"
    assert not re.search(r"(\+62|\b0)8\d{8,}", text), f"a phone number on the {where}"
    for value in PERSONAL.values():
        assert value not in text, f"{value!r} on the {where}"
    for token in tokens:
        assert token not in text, f"a ticket's private status token on the {where}"


def test_display_has_no_personal_data(server, new_context, open_display):
    board = open_display()

    # A walk-in at the kiosk for service A (badan usaha, one document missing), and a kiosk
    # that someone tampered with to slip personal data into the form and into the API.
    kiosk = new_context().new_page()
    kiosk.goto(server.base + "/kiosk/layanan/A")
    kiosk.locator('input[name="applicant_type"][value="badan"]').check()
    kiosk.locator('input[name="has_email"]').check()
    kiosk.locator('input[name="has_nik"]').check()
    kiosk.locator('input[name="priority"][value="elderly"]').check()
    kiosk.evaluate(
        """(data) => {
        const form = document.getElementById('take-ticket');
        for (const [name, value] of Object.entries(data)) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
        }
    }""",
        PERSONAL,
    )
    kiosk.locator("#submit-ticket").click()
    expect(kiosk.locator("#missing")).to_be_visible()  # the SOP says what is missing first
    kiosk.locator("#submit-ticket").click()
    expect(kiosk.locator("#ticket-code")).to_have_text("A-001")
    tokens = [kiosk.url.rsplit("/", 1)[1]]
    api_ticket = server.request("POST", "/api/v1/tickets", {"service": "B", **PERSONAL})
    tokens.append(api_ticket["token"])

    server.call_next(1)
    server.call_next(2)
    expect(board.counter_code(1)).to_have_text("A-001")
    expect(board.counter_code(2)).to_have_text("B-001")
    board.wait_announced(2)

    for when in ("live", "reloaded"):
        page = board.page
        if when == "reloaded":
            page.reload()
            expect(board.counter_code(2)).to_have_text("B-001")
        assert_no_personal_data(page.content(), f"{when} board HTML", tokens)
        shown = page.locator("body").inner_text()
        assert_no_personal_data(shown, f"{when} board", tokens)
        assert "@" not in shown
        # Only codes, counters and services are shown.
        for text in page.locator(".counter-code").all_inner_texts():
            assert CODE.match(text) or text == "—", text
        for text in page.locator("#last-calls li").all_inner_texts():
            assert re.fullmatch(r"[A-Z]-\d{3} → Loket \d+ \d\d:\d\d", " ".join(text.split())), text
        for text in page.locator("#waiting li").all_inner_texts():
            assert re.fullmatch(r"[A-E] [^\d@]+ \d+", " ".join(text.split())), text

    # What reaches the board over the wire: the announcements and the polling state.
    assert_no_personal_data(json.dumps(board.announced()), "board's announcements", tokens)
    state = board.page.evaluate("fetch('/display/state.json?after=0').then(r => r.text())")
    assert_no_personal_data(state, "board's state.json", tokens)
    for call in json.loads(state)["calls"]:
        assert set(call) <= {
            "id",
            "kind",
            "code",
            "counter",
            "counter_name",
            "service",
            "phrase",
            "lang",
            "audio_url",
        }, call


VIEWPORTS = [
    pytest.param(1920, 1080, 12, id="1920x1080"),
    pytest.param(1280, 720, 8, id="1280x720"),
    pytest.param(1080, 1920, 8, id="portrait-1080x1920"),
]

MEASURE = """() => {
  const box = (el) => el.getBoundingClientRect();
  const header = box(document.querySelector('header'));
  const footer = box(document.querySelector('footer'));
  const counters = [...document.querySelectorAll('.counter')].map((counter) => {
    const code = counter.querySelector('.counter-code');
    const text = document.createRange();
    text.selectNodeContents(code);
    const t = text.getBoundingClientRect(), c = box(counter);
    return {number: counter.dataset.counter, code: code.textContent, height: box(code).height,
            lines: text.getClientRects().length,
            text: [t.left, t.right, t.top, t.bottom], box: [c.left, c.right, c.top, c.bottom]};
  });
  const headerItems = [...document.querySelectorAll('header > *')].map((el) => {
    const r = box(el); return [r.left, r.right, r.top, r.bottom];
  });
  const root = document.documentElement;
  return {width: innerWidth, height: innerHeight, header: [header.top, header.bottom],
          footerTop: footer.top, counters, headerItems,
          overflowX: Math.max(root.scrollWidth - root.clientWidth,
                              document.body.scrollWidth - document.body.clientWidth,
                              ...[...document.querySelectorAll('main, .counters, aside')]
                                .map((el) => el.scrollWidth - el.clientWidth))};
}"""


@pytest.mark.parametrize(("width", "height", "min_percent"), VIEWPORTS)
def test_display_layout(server, open_display, width, height, min_percent):
    for service in "ABDE":
        server.issue(service)
    for number in (1, 2, 3, 4):
        server.call_next(number)
    board = open_display(viewport={"width": width, "height": height})
    expect(board.counter_code(4)).to_have_text("E-001")

    # The real codes, then the widest a day can bring (digits are tabular; D and W are wide).
    for worst in (None, "D-888"):
        if worst:
            board.page.evaluate(
                "(c) => document.querySelectorAll('.counter-code').forEach(e => e.textContent = c)",
                worst,
            )
        m = board.page.evaluate(MEASURE)
        assert m["overflowX"] <= 0, f"horizontal overflow of {m['overflowX']} px"
        for hl, hr, ht, hb in m["headerItems"]:
            assert 0 <= hl and hr <= width and m["header"][0] <= ht and hb <= m["header"][1] + 1, (
                "header text cut off"
            )
        for c in m["counters"]:
            label = f"Loket {c['number']} showing {c['code']} at {width}x{height}"
            assert c["height"] >= height * min_percent / 100, (
                f"{label}: {c['height']:.0f} px < {min_percent}% of {height}"
            )
            assert c["lines"] == 1, f"{label}: the number wraps onto {c['lines']} lines"
            left, right, top, bottom = c["box"]
            assert 0 <= left and right <= width, f"{label}: counter box off screen {c['box']}"
            assert m["header"][1] <= top and bottom <= m["footerTop"] + 0.5, (
                f"{label}: counter box hidden under the header or footer {c['box']}"
            )
            tl, tr, tt, tb = c["text"]
            assert left <= tl and tr <= right and top <= tt and tb <= bottom, (
                f"{label}: the number spills out of its box: text {c['text']} box {c['box']}"
            )


def test_display_state_refresh_never_undoes_a_call(server, open_display):
    """A state fetch that was answered before a call arrived must not paint over that call."""
    server.issue("A")
    board = open_display()
    page = board.page
    held = []

    def hold_first(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))  # the state as it was before the call

    page.route("**/display/state.json", hold_first)
    server.issue("B")  # a change: the board refetches its state (counts, who is served)
    deadline = time.monotonic() + 5
    while not held:
        assert time.monotonic() < deadline, "the board did not refetch its state after a change"
        page.wait_for_timeout(20)  # lets Playwright run the route handler
    server.call_next(1)
    expect(board.counter_code(1)).to_have_text("A-001")

    page.evaluate("""() => {
        const code = document.querySelector('.counter[data-counter="1"] .counter-code');
        window.codeHistory = [code.textContent];
        new MutationObserver(() => window.codeHistory.push(code.textContent))
            .observe(code, {childList: true, characterData: true, subtree: true});
        window.statesLoaded = 0;
        new PerformanceObserver((list) => list.getEntries().forEach((e) => {
            if (e.name.includes('/display/state.json')) window.statesLoaded++;
        })).observe({type: 'resource'});
    }""")
    route, stale = held[0]
    route.fulfill(response=stale)
    # Either the board paints the stale state, or it notices and loads the state once more.
    page.wait_for_function("window.codeHistory.includes('—') || window.statesLoaded >= 2")
    assert "—" not in page.evaluate("window.codeHistory"), "the board undid the call"
    expect(board.counter_code(1)).to_have_text("A-001")
    expect(page.locator("#last-calls li b").first).to_have_text("A-001")
