"""A counter's serial display and call box set on /staff/admin/perangkat: real ptys stand in for
the USB-serial adapters, the server runs its devices thread, and nothing is restarted between
the admin's change and the next call."""

from __future__ import annotations

import json

import pytest
from serial import serial_for_url
from sqlalchemy import select

from antrian.auth import new_api_token
from antrian.devices import serial_runner
from antrian.models import Event, Staff
from hardware.serial_devices import ReconnectingPort, VfdPoleDisplay
from hardware.serial_devices.testing import PtyDevice, wait_until

PAGE = "/staff/admin/perangkat/"


def vfd(counter: int, code: str | None) -> bytes:
    return VfdPoleDisplay(ReconnectingPort("loop://")).render(counter, code)


@pytest.fixture(autouse=True)
def quick_reload(monkeypatch):
    """The devices thread reads the counters every 3 s; a tenth of that keeps the tests short."""
    monkeypatch.setattr(serial_runner, "RELOAD_SECONDS", 0.1)


@pytest.fixture
def ptys():
    with PtyDevice() as first, PtyDevice() as second:
        yield first, second


def save_counter(client, csrf: str, number: int, **fields: str):
    return client.post(f"{PAGE}loket/{number}", data={"csrf_token": csrf, **fields})


def call_next(app, token: str, counter: int, service: str = "A") -> str:
    client = app.test_client()
    assert client.post("/api/v1/tickets", json={"service": service}).status_code == 201
    r = client.post(
        f"/api/v1/counters/{counter}/call-next", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["code"]


@pytest.fixture
def token(db, box_staff):
    with db.write() as s:
        return new_api_token(s, box_staff)


def test_a_display_port_set_on_the_page_shows_calls_and_moves_without_a_restart(
    running_app, login, token, ptys
):
    first, second = ptys
    app = running_app()
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")

    assert save_counter(admin, csrf, 2, display_port=first.url).status_code == 303
    idle = vfd(2, None)
    assert first.receive(len(idle), timeout=5) == idle  # opened, and shows the counter idle
    code = call_next(app, token, 2)
    called = vfd(2, code)
    assert first.receive(len(called), timeout=5) == called

    # Moved to another adapter: the old port is closed, the new one shows the current number,
    # and the next call goes there.
    assert save_counter(admin, csrf, 2, display_port=second.url).status_code == 303
    assert second.receive(len(called), timeout=5) == called
    code = call_next(app, token, 2)
    assert second.receive(len(vfd(2, code)), timeout=5) == vfd(2, code)
    assert first.receive(timeout=0.3) == b""

    # /healthz and the page name the counter and say the port is open.
    health = app.test_client().get("/healthz").get_json()["serial_devices"]
    assert health["ok"] is True and health["errors"] == []
    (display,) = health["devices"]
    assert display == {
        "counter": 2,
        "name": "Loket 2",
        "device": "display",
        "kind": "vfd",
        "port": second.url,
        "source": "database",
        "connected": True,
        "message": f"Tampilan Loket 2 ({second.url}): tersambung",
    }
    page = admin.get(PAGE).get_data(as_text=True)
    row = page.split('id="counter-2"')[1].split("</tr>")[0]
    assert f'value="{second.url}"' in row and "tersambung" in row
    with app.extensions["antrian.db"].read() as s:
        event = s.scalars(select(Event).where(Event.kind == "device.changed")).all()[-1]
    assert event.data["message"] == f"Tampilan Loket 2: {second.url}"
    assert event.actor == "staff:kepala"


def test_a_call_box_set_on_the_page_calls_as_its_account(running_app, login, issue_now, ptys):
    box, _other = ptys
    app = running_app()
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    login(app, app.test_client(), "siti", "front_office")

    saved = save_counter(admin, csrf, 1, call_box_port=box.url, call_box_staff="siti")
    assert saved.status_code == 303
    hardware = app.extensions["antrian.hardware"]
    assert wait_until(lambda: any(b.port.connected for b in hardware.call_boxes), timeout=5)
    issue_now("A")
    box.send(b"NEXT 1\r\n")
    assert box.receive(until=b"\r\n", timeout=5) == b"OK A-001\r\n"
    with app.extensions["antrian.db"].read() as s:
        event = s.scalar(select(Event).where(Event.kind == "ticket.called"))
    assert (event.data["counter"], event.actor) == (1, "staff:siti")

    devices = app.test_client().get("/healthz").get_json()["serial_devices"]["devices"]
    assert [(d["name"], d["device"], d["account"], d["connected"]) for d in devices] == [
        ("Loket 1", "call_box", "siti", True)
    ]


def test_the_environment_stays_the_default_when_the_page_leaves_a_counter_empty(
    running_app, login, token, ptys
):
    from_env, from_page = ptys
    app = running_app(counter_displays=json.dumps({"3": {"kind": "vfd", "port": from_env.url}}))
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    code = call_next(app, token, 3)
    assert from_env.receive(until=vfd(3, code), timeout=5).endswith(vfd(3, code))
    page = admin.get(PAGE).get_data(as_text=True)
    assert f'placeholder="bawaan: {from_env.url}"' in page  # what an empty field falls back to

    assert save_counter(admin, csrf, 3, display_port=from_page.url).status_code == 303
    assert from_page.receive(len(vfd(3, code)), timeout=5) == vfd(3, code)
    # Emptied again: back to the environment's port.
    assert save_counter(admin, csrf, 3, display_port="").status_code == 303
    assert from_env.receive(until=vfd(3, code), timeout=5).endswith(vfd(3, code))
    code = call_next(app, token, 3)
    assert from_env.receive(until=vfd(3, code), timeout=5).endswith(vfd(3, code))
    assert from_page.receive(timeout=0.3) == b""


def test_bad_ports_and_accounts_are_refused_next_to_their_field(quiet_app, login, db):
    app = quiet_app(call_boxes=json.dumps({"4": "/dev/ttyUSB4"}))
    admin = app.test_client()
    csrf = login(app, admin, "kepala", "admin")
    login(app, app.test_client(), "rina", "back_office")
    login(app, app.test_client(), "budi", "front_office")
    with db.write() as s:
        s.scalar(select(Staff).where(Staff.username == "budi")).active = False

    cases = [
        ({"display_port": "ttyUSB1"}, "display_port", "Alamat port tidak dikenal."),
        ({"display_port": "/home/ttyUSB1"}, "display_port", "Port serial ada di /dev/"),
        ({"call_box_port": "rfc2217://:4000"}, "call_box_port", "ALAMAT-IP:PORT"),
        ({"call_box_port": "/dev/ttyUSB4"}, "call_box_port", "sudah dipakai kotak panggil Loket 4"),
        (
            {"display_port": "/dev/ttyUSB7", "call_box_port": "/dev/ttyUSB7"},
            "call_box_port",
            "Tampilan dan kotak panggil tidak bisa memakai satu port.",
        ),
        ({"call_box_staff": "tidakada"}, "call_box_staff", "Tidak ada akun dengan nama pengguna"),
        ({"call_box_staff": "budi"}, "call_box_staff", "Akun budi tidak aktif."),
        ({"call_box_staff": "rina"}, "call_box_staff", "Akun rina bukan petugas front office"),
    ]
    for fields, key, message in cases:
        r = save_counter(admin, csrf, 1, **fields)
        html = r.get_data(as_text=True)
        assert r.status_code == 422, fields
        error = html.split(f'id="counter-{key}-error"')[1].split("</span>")[0]
        assert message in error, (fields, error)
        for typed in fields.values():
            assert f'value="{typed}"' in html  # what was typed stays
    with db.read() as s:
        assert s.scalars(select(Event).where(Event.kind == "device.changed")).all() == []

    ok = save_counter(admin, csrf, 1, display_port="/dev/serial/by-id/usb-FTDI-if00-port0")
    assert ok.status_code == 303


@pytest.mark.parametrize(
    "port",
    ["/dev/ttyUSB1", "/dev/serial/by-id/usb-1a86_USB2.0-Ser_-if00-port0", "rfc2217://10.0.0.5:4000",
     "socket://10.0.0.5:4001", "loop://", "COM3"],
)  # fmt: skip
def test_plausible_ports_pass(port):
    from antrian.devices.serial_plan import serial_port_problem

    assert serial_port_problem(port) is None


def test_an_led_board_from_the_environment_keeps_its_kind_on_the_page_port(db, now):
    from antrian.config import load_settings
    from antrian.devices.serial_plan import serial_plan
    from antrian.models import Counter

    settings = load_settings({}).with_(
        counter_displays=json.dumps({"2": {"kind": "led", "port": "/dev/ttyUSB2", "address": 2}}),
        call_boxes=json.dumps({"2": {"port": "/dev/ttyUSB3", "baudrate": 19200}}),
        call_box_staff="admin",
    )
    with db.write() as s:
        counter = s.scalar(select(Counter).where(Counter.number == 2))
        counter.display_port, counter.call_box_staff = "/dev/ttyUSB5", "siti"
    with db.read() as s:
        plan = serial_plan(s, settings)
    assert plan.displays[2] == {"kind": "led", "port": "/dev/ttyUSB5", "address": 2}
    box = plan.call_boxes[2]
    assert (box.port, box.staff, box.baudrate) == ("/dev/ttyUSB3", "siti", 19200)
    assert plan.sources == {("display", 2): "database", ("call_box", 2): "database"}


def test_a_database_down_at_start_leaves_the_devices_for_the_next_reading(db, now):
    """The devices thread starts with the server's background work; a database that does not
    answer yet must not stop that work (the spooler starts beside it), only delay the devices."""
    from sqlalchemy.exc import OperationalError

    from antrian.config import load_settings
    from antrian.devices.serial_runner import SerialDevices
    from antrian.models import Counter

    class Waking:
        up = False

        def read(self):
            if not self.up:
                raise OperationalError("SELECT 1", {}, Exception("connection refused"))
            return db.read()

    with db.write() as s:
        s.scalar(select(Counter).where(Counter.number == 1)).display_port = "loop://"
    waking = Waking()
    devices = SerialDevices(
        waking, load_settings({}), None, opener=serial_for_url, port_options={},
        display_options={}, reload_seconds=0.05,
    )  # fmt: skip
    devices.start()
    try:
        assert devices.displays is None
        waking.up = True
        assert wait_until(lambda: devices.displays is not None, timeout=5)
    finally:
        devices.stop()
