"""Complaints and the SKM survey in a real Chromium against the real server: a complaint from
the kiosk to the staff's answer on the phone page; a survey from the phone and the kiosk and
its IKM on the staff page. Screenshots at the real screen sizes go to ANTRIAN_SCREENSHOTS (or
the test's tmp folder), to be looked at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from hardware.printing.escpos_reader import read_escpos

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when ANTRIAN_REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

KIOSK_PORTRAIT = {"width": 1080, "height": 1920}
KIOSK_LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}

# Every visible control of the kiosk page: its height, and the font size of visible text.
CONTROLS = ", ".join(
    ["main button", "main a.button", "header a.button", "main label.tile", "main textarea",
     "main input:not([type=hidden]):not([type=radio])"]
)  # fmt: skip
TEXTS = "main p, main label, main legend, main li, main button, main a"
MEASURE_KIOSK = """([controls, texts]) => {
  const visible = (e) => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const sized = [...document.querySelectorAll(controls)].filter(visible)
    .map((e) => [e.id || e.name || e.textContent.trim().slice(0, 30),
                 Math.round(e.getBoundingClientRect().height)]);
  const fonts = [...document.querySelectorAll(texts)]
    .filter((e) => visible(e) && e.textContent.trim())
    .map((e) => [e.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(e).fontSize)]);
  return {controls: sized, texts: fonts};
}"""


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("ANTRIAN_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)

    return shoot


def assert_kiosk_sized(page) -> None:
    page.wait_for_load_state("load")  # measured with the stylesheets applied, as a person sees it
    m = page.evaluate(MEASURE_KIOSK, [CONTROLS, TEXTS])
    small = [c for c in m["controls"] if c[1] < 64]
    assert not small, f"touch targets under 64 px: {small}"
    tiny = [t for t in m["texts"] if t[1] < 24]
    assert not tiny, f"text under 24 px: {tiny}"


def login(context, server):
    page = context.new_page()
    page.goto(server.base + "/staff/login")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(server.admin_password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(server.base + "/staff/")
    return page


def finished_ticket(server, service: str) -> dict:
    ticket = server.issue(service)
    called = server.call_next(1)
    assert called["code"] == ticket["code"]
    server.request("POST", f"/api/v1/tickets/{ticket['id']}/finish", staff=True)
    return ticket


def test_complaint_from_kiosk_to_answer(server, new_context, shots):
    kiosk = new_context(viewport=KIOSK_PORTRAIT).new_page()
    kiosk.goto(server.base + "/kiosk/")
    kiosk.locator('a.service[data-service="D"]').click()
    kiosk.locator("#written-complaint").get_by_role("link", name="Tulis pengaduan").click()
    expect(kiosk).to_have_url(server.base + "/kiosk/pengaduan")
    assert_kiosk_sized(kiosk)
    shots(kiosk, "kiosk-complaint-1080x1920")

    # Sent half filled: every reason shown, what was typed kept.
    kiosk.get_by_label("2. Ceritakan apa yang terjadi").fill("Lama")
    kiosk.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk.locator("#form-errors")).to_contain_text("Pilih kategori pengaduan.")
    expect(kiosk.locator("#form-errors")).to_contain_text("paling sedikit 10 huruf")
    expect(kiosk.locator("#text")).to_have_value("Lama")
    shots(kiosk, "kiosk-complaint-errors-1080x1920")

    kiosk.get_by_text("Waktu tunggu atau penyelesaian").click()
    text = "Lama sekali menunggu di loket A, hampir tiga jam tanpa penjelasan."
    kiosk.locator("#text").fill(text)
    kiosk.get_by_label("Nama").fill("Ibu Ani")
    kiosk.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    kiosk.get_by_role("button", name="Kirim pengaduan").click()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/pengaduan/[\w-]+$"))
    code = kiosk.locator("#complaint-code").inner_text()
    assert re.fullmatch(r"PGD-\d{4}-0001", code)
    expect(kiosk.locator(".qr svg")).to_be_visible()
    assert_kiosk_sized(kiosk)
    shots(kiosk, "kiosk-complaint-receipt-1080x1920")
    token = kiosk.url.rsplit("/", 1)[1]

    # The slip comes out of the kiosk printer, its QR leading to the complaint's page.
    slip = server.instance / "kiosk.bin"
    for _ in range(50):
        if slip.exists() and code.encode() in slip.read_bytes():
            break
        kiosk.wait_for_timeout(100)
    paper = read_escpos(slip.read_bytes())
    assert paper.lines_with("TANDA TERIMA PENGADUAN") and paper.lines_with(code)
    assert paper.qr_payloads[-1].endswith(f"/pengaduan/{token}")
    assert "0812" not in paper.text and "Ani" not in paper.text

    phone = new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.goto(server.base + f"/pengaduan/{token}")
    expect(phone.locator("#complaint-status")).to_have_text("Baru")
    shots(phone, "phone-complaint-new-390x844")

    desk = login(new_context(viewport=DESK), server)
    desk.goto(server.base + "/staff/pengaduan")
    row = desk.locator(f'tr[data-code="{code}"]')
    expect(row).to_contain_text("Waktu tunggu atau penyelesaian")
    expect(row).to_contain_text("Baru")
    shots(desk, "desk-complaints-1366x768")
    row.get_by_role("link", name=code).click()
    expect(desk.locator("#complaint-detail")).to_contain_text("0812****7890")
    desk.get_by_role("button", name="Tangani pengaduan ini").click()
    expect(desk.locator("#detail-status")).to_have_text("Diproses")
    answer = "Mohon maaf. Mulai Senin loket A dilayani dua petugas pada jam sibuk."
    desk.locator("#answer").fill(answer)
    desk.get_by_role("button", name="Simpan jawaban").click()
    expect(desk.locator("#detail-status")).to_have_text("Dijawab")
    shots(desk, "desk-complaint-answered-1366x768")

    phone.reload()
    expect(phone.locator("#complaint-status")).to_have_text("Dijawab")
    expect(phone.locator("#complaint-answer")).to_contain_text(answer)
    shots(phone, "phone-complaint-answered-390x844")

    landscape = new_context(viewport=KIOSK_LANDSCAPE).new_page()
    landscape.goto(server.base + "/kiosk/pengaduan")
    assert_kiosk_sized(landscape)
    shots(landscape, "kiosk-complaint-1920x1080")


def answer_survey(page, picks: list[int], comment: str = "") -> None:
    for n, pick in enumerate(picks, start=1):
        page.locator(f"#q-u{n} label.tile").nth(pick - 1).click()
    if comment:
        page.locator("#comment").fill(comment)
    page.get_by_role("button", name="Kirim penilaian").click()


def test_survey_from_phone_and_kiosk_and_its_ikm(server, new_context, shots):
    by_phone = finished_ticket(server, "B")
    phone = new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.goto(server.base + f"/t/{by_phone['token']}")
    phone.locator("#survey-link").click()
    expect(phone.locator("#q-u4")).to_contain_text("Gratis")
    shots(phone, "phone-survey-390x844")
    answer_survey(phone, [4, 3, 3, 4, 3, 4, 4, 2, 3], "Ruang tunggu perlu kipas angin.")
    expect(phone.locator("#survey-done")).to_contain_text("Terima kasih")
    phone.goto(server.base + f"/t/{by_phone['token']}")
    expect(phone.locator("#survey-link")).to_contain_text("sudah kami terima")

    by_kiosk = finished_ticket(server, "C")
    kiosk = new_context(viewport=KIOSK_PORTRAIT).new_page()
    kiosk.goto(server.base + "/kiosk/")
    kiosk.locator("#kiosk-survey").click()
    kiosk.locator("#code").fill(by_kiosk["code"].replace("-", "").lower())
    kiosk.get_by_role("button", name="Lanjut").click()
    expect(kiosk.locator("#q-u1")).to_contain_text("Sangat sesuai")
    assert_kiosk_sized(kiosk)
    shots(kiosk, "kiosk-survey-1080x1920")
    # One element forgotten: named, and the other answers stay ticked.
    for n in range(1, 9):
        kiosk.locator(f"#q-u{n} label.tile").nth(2).click()
    kiosk.get_by_role("button", name="Kirim penilaian").click()
    expect(kiosk.locator("#survey-error")).to_contain_text("Sarana dan Prasarana")
    expect(kiosk.locator('#q-u1 input[value="3"]')).to_be_checked()
    kiosk.locator("#q-u9 label.tile").nth(2).click()
    kiosk.get_by_role("button", name="Kirim penilaian").click()
    expect(kiosk.locator("#survey-done")).to_be_visible()
    shots(kiosk, "kiosk-survey-thanks-1080x1920")

    # By hand: phone 4+3+3+4+3+4+4+2+3 = 30, kiosk 9 x 3 = 27; IKM = 57 / 18 x 25 = 79.17 (B).
    # NRR U1 = (4+3)/2 = 3.50, U8 = (2+3)/2 = 2.50.
    desk = login(new_context(viewport=DESK), server)
    desk.goto(server.base + "/staff/skm")
    expect(desk.locator("#respondents")).to_have_text("2")
    expect(desk.locator("#ikm")).to_have_text("79.17")
    expect(desk.locator("#grade")).to_have_text("B")
    expect(desk.locator('tr[data-element="u1"] .nrr-value')).to_have_text("3.50")
    expect(desk.locator('tr[data-element="u8"] .nrr-value')).to_have_text("2.50")
    shots(desk, "desk-skm-1366x768")
    with desk.expect_download() as download:
        desk.locator("#csv").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "IKM,Indeks Kepuasan Masyarakat,79.17" in csv

    landscape = new_context(viewport=KIOSK_LANDSCAPE).new_page()
    landscape.goto(server.base + "/kiosk/survei")
    assert_kiosk_sized(landscape)
    shots(landscape, "kiosk-survey-start-1920x1080")


def test_a_complaint_form_left_alone_counts_down_and_goes_home(server, new_context, shots):
    kiosk = new_context(viewport=KIOSK_PORTRAIT).new_page()
    kiosk.clock.install()
    kiosk.goto(server.base + "/kiosk/pengaduan")
    kiosk.locator("#text").fill("Ini pengaduan yang belum selesai ditulis oleh orang lain.")
    kiosk.clock.run_for(15_000)
    expect(kiosk.locator("#idle-warning")).to_be_hidden()
    kiosk.locator("#text").press("End")  # a touch or key starts the wait again
    kiosk.clock.run_for(25_000)
    expect(kiosk.locator("#idle-warning")).to_be_visible()
    expect(kiosk.locator("#idle-seconds")).to_have_text("5")
    shots(kiosk, "kiosk-complaint-idle-1080x1920")
    kiosk.clock.run_for(6_000)
    expect(kiosk).to_have_url(server.base + "/kiosk/")
    kiosk.goto(server.base + "/kiosk/pengaduan")
    expect(kiosk.locator("#text")).to_have_value("")
