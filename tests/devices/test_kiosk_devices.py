"""Registered kiosks print on their own printers: the admin registers two kiosk PCs on the web,
each with a fake TM-T20II on the network, while the server runs; each kiosk's tickets come out
of its own printer, once; a kiosk nobody registered prints on the default printer."""

from __future__ import annotations

import re
import time

import pytest

from antrian.models import PrintJob
from hardware.printing.testing import READY, FakeNetworkPrinter
from hardware.serial_devices.testing import wait_until
from tests.devices.conftest import csrf_of


@pytest.fixture
def printers():
    with (
        FakeNetworkPrinter(READY) as default,
        FakeNetworkPrinter(READY) as left,
        FakeNetworkPrinter(READY) as right,
    ):
        yield default, left, right


def register(client, csrf: str, name: str, printer_url: str) -> str:
    """Registers a kiosk on the admin page; returns the kiosk-mode URL shown once."""
    page = client.post(
        "/staff/admin/perangkat/kios",
        data={"csrf_token": csrf, "name": name, "printer_url": printer_url},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    return re.search(r'<code id="kiosk-url">([^<]+)</code>', html).group(1)


def take_ticket(kiosk, service: str = "C") -> str:
    html = kiosk.get(f"/kiosk/layanan/{service}").get_data(as_text=True)
    key = re.search(r'name="request_key" value="([^"]+)"', html).group(1)
    form = {"csrf_token": csrf_of(html), "service": service, "request_key": key}
    done = kiosk.post("/kiosk/tiket", data=form)
    assert done.status_code == 303
    page = kiosk.get(done.headers["Location"]).get_data(as_text=True)
    return re.search(r"\b[A-E]-\d{3}\b", page).group()


def test_two_registered_kiosks_each_print_their_own_tickets_once(
    running_app, login, printers, tmp_path
):
    default, left, right = printers
    app = running_app(
        kiosk_printer_url=default.url, counter_printer_url=f"file://{tmp_path / 'loket.bin'}"
    )
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    # Registered while the server runs: no restart between the admin page and the tickets.
    left_url = register(admin, csrf, "Kios lobi kiri", left.url)
    right_url = register(admin, csrf, "Kios lobi kanan", right.url)

    kiosk_left, kiosk_right, walk_up = app.test_client(), app.test_client(), app.test_client()
    for kiosk, url in ((kiosk_left, left_url), (kiosk_right, right_url)):
        opened = kiosk.get(url.removeprefix("http://localhost"))
        assert opened.status_code == 303 and opened.headers["Location"] == "/kiosk/"

    taken = {"left": [], "right": [], "default": []}
    for who, kiosk in [
        ("left", kiosk_left),
        ("right", kiosk_right),
        ("default", walk_up),
        ("left", kiosk_left),
        ("right", kiosk_right),
        ("left", kiosk_left),
    ]:
        taken[who].append(take_ticket(kiosk))

    def printed(fake):
        return [code for code, _reprint in fake.slips()]

    assert wait_until(
        lambda: len(printed(left)) == 3 and len(printed(right)) == 2 and printed(default),
        timeout=15,
    ), (printed(left), printed(right), printed(default))
    time.sleep(1.0)  # a second copy, were there one, would be on its way by now
    assert printed(left) == taken["left"]
    assert printed(right) == taken["right"]
    assert printed(default) == taken["default"]
    with app.extensions["antrian.db"].read() as s:
        names = {job.printer for job in s.query(PrintJob)}
    assert names == {"kiosk", "kiosk-1", "kiosk-2"}


def test_the_token_is_shown_once_and_the_page_names_this_pc(quiet_app, login):
    app = quiet_app()
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    url = register(admin, csrf, "Kios lobi", "tcp://192.168.1.51:9100")
    token = url.rsplit("/", 1)[-1]
    page = admin.get("/staff/admin/perangkat/").get_data(as_text=True)
    assert "Kios lobi" in page and "tcp://192.168.1.51:9100" in page
    assert token not in page  # only its hash is kept

    # "Pasang di PC ini": this browser becomes the kiosk and opens it.
    used = admin.post("/staff/admin/perangkat/pasang", data={"csrf_token": csrf, "token": token})
    assert used.status_code == 303 and used.headers["Location"] == "/kiosk/"
    page = admin.get("/staff/admin/perangkat/").get_data(as_text=True)
    assert "PC ini terdaftar sebagai kiosk Kios lobi." in page


def test_a_wrong_printer_address_is_refused_in_indonesian(quiet_app, login):
    app = quiet_app()
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    page = admin.post(
        "/staff/admin/perangkat/kios",
        data={"csrf_token": csrf, "name": "Kios lobi", "printer_url": "192.168.1.51"},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Alamat printer tidak dikenal. Contoh yang benar: tcp://192.168.1.50:9100" in html
    assert 'value="192.168.1.51"' in html  # what was typed stays
    assert "Kios lobi" in html and 'id="new-kiosk"' not in html

    bad_counter = admin.post(
        "/staff/admin/perangkat/loket/2", data={"csrf_token": csrf, "printer_url": "tcp://:9100"}
    )
    assert bad_counter.status_code == 422
    assert "Alamat printer jaringan harus berbentuk tcp://ALAMAT-IP:9100." in (
        bad_counter.get_data(as_text=True)
    )


def test_an_unknown_or_disabled_kiosk_url_opens_nothing(quiet_app, login):
    app = quiet_app()
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    url = register(admin, csrf, "Kios lobi", "")
    path = url.removeprefix("http://localhost")
    assert app.test_client().get("/kiosk/perangkat/kios_tebakan").status_code == 404
    assert app.test_client().get(path).status_code == 303

    off = admin.post("/staff/admin/perangkat/kios/1/aktif", data={"csrf_token": csrf})
    assert off.status_code == 303
    refused = app.test_client().get(path)
    assert refused.status_code == 404
    assert "tidak dikenal atau sudah dinonaktifkan" in refused.get_data(as_text=True)
