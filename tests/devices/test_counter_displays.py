"""Counter displays follow the queue: through the whole app, on real ptys and loop://."""

from __future__ import annotations

import json

import pytest
import serial

from antrian import operations as ops
from antrian.auth import new_api_token
from antrian.clock import utcnow
from antrian.devices import start_hardware
from antrian.devices.displays import CounterDisplayService
from antrian.events import record_event
from hardware.serial_devices import ReconnectingPort, VfdPoleDisplay
from hardware.serial_devices.testing import PtyDevice, wait_until


def vfd(counter: int, code: str | None) -> bytes:
    return VfdPoleDisplay(ReconnectingPort("loop://")).render(counter, code)


@pytest.fixture
def token(db, box_staff):
    with db.write() as s:
        return new_api_token(s, box_staff)


def test_a_vfd_shows_the_code_called_through_the_api(running_app, token, tmp_path):
    with PtyDevice(tmp_path / "ttyUSB-vfd2") as device:
        app = running_app(counter_displays=json.dumps({"2": {"kind": "vfd", "port": device.url}}))
        assert app.extensions["antrian.hardware"].started.is_set()
        idle = vfd(2, None)
        assert device.receive(len(idle), timeout=5) == idle  # the right picture from the start

        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/v1/tickets", json={"service": "A"}).status_code == 201
        assert client.post("/api/v1/counters/2/call-next", headers=auth).status_code == 200
        called = vfd(2, "A-001")
        assert device.receive(len(called), timeout=5) == called

        assert client.post("/api/v1/counters/2/call-next", headers=auth).status_code == 409
        # Calling next on an empty queue changes nothing: the display keeps A-001.
        assert device.receive(timeout=0.3) == b""


def test_a_display_unplugged_during_a_call_shows_it_when_plugged_back(running_app, token, tmp_path):
    device = PtyDevice(tmp_path / "ttyUSB-vfd1")
    device.unplug()  # the USB adapter is out when the server starts
    try:
        spec = {"1": {"kind": "vfd", "port": device.url, "retry_interval": 0.05}}
        app = running_app(counter_displays=json.dumps(spec))
        client = app.test_client()
        client.post("/api/v1/tickets", json={"service": "D"})
        r = client.post(
            "/api/v1/counters/1/call-next", headers={"Authorization": f"Bearer {token}"}
        )
        assert r.get_json()["code"] == "D-001"
        device.plug()
        called = vfd(1, "D-001")
        # Whole frames only; an idle frame may come first if the plug beats the event.
        shown = device.receive(until=called, timeout=5)
        assert shown.endswith(called) and set(shown.split(called)[0].split(vfd(1, None))) <= {b""}
    finally:
        device.unplug()


class Socket:
    """An opener for a display that is absent until `plugged`: the opener fails meanwhile."""

    def __init__(self) -> None:
        self.plugged = False
        self.calls = 0
        self.handles: list = []

    def __call__(self, url: str, **kwargs):
        self.calls += 1
        if not self.plugged:
            raise serial.SerialException(f"could not open port {url}: [Errno 2] No such file")
        handle = serial.serial_for_url("loop://", **kwargs)
        self.handles.append(handle)
        return handle

    def received(self) -> bytes:
        handle = self.handles[-1]
        return handle.read(handle.in_waiting)


def test_start_hardware_resends_once_the_opener_succeeds(quiet_app, box_staff, issue_now, db):
    socket = Socket()
    spec = {"3": {"kind": "vfd", "port": "/dev/ttyUSB-absent"}}
    app = quiet_app(counter_displays=json.dumps(spec))
    hardware = start_hardware(
        app,
        opener=socket,
        port_options={"retry_interval": 0.02},
        display_options={"poll": 0.05, "refresh_interval": 0.02},
    )
    try:
        assert wait_until(lambda: socket.calls >= 2)  # retried while absent
        issue_now("A")
        with db.write() as s:
            ops.call_next(s, 3, None, utcnow())
        socket.plugged = True
        called, seen = vfd(3, "A-001"), bytearray()

        def shows_the_call() -> bool:
            if socket.handles:
                seen.extend(socket.received())
            return called in seen

        assert wait_until(shows_the_call, timeout=3)
    finally:
        hardware.stop()


def test_the_service_recomputes_on_ticket_events_only(db, issue_now):
    sent: list[dict] = []

    class Bank:
        def apply(self, state):
            sent.append(dict(state))

    service = CounterDisplayService(db, Bank())
    assert service.step() is False
    assert sent == [{1: None, 2: None, 3: None, 4: None}]
    with db.write() as s:
        record_event(s, "printer.status", utcnow(), "printer:kiosk", printer="kiosk")
    assert service.step() is True and len(sent) == 1  # not a ticket event: nothing to show
    issue_now("B")
    with db.write() as s:
        ops.call_next(s, 4, None, utcnow())
    while service.step():
        pass
    assert sent[-1] == {1: None, 2: None, 3: None, 4: "B-001"}
