"""The hardware services as create_app starts them: configured by env, one owning process."""

from __future__ import annotations

import json

from sqlalchemy import select

from antrian.devices import start_hardware
from antrian.models import Event
from hardware.serial_devices.testing import PtyDevice, wait_until


def press(device: PtyDevice, line: bytes) -> bytes:
    device.send(line)
    return device.receive(until=b"\r\n", timeout=5)


def connected(app) -> bool:
    boxes = app.extensions["antrian.hardware"].call_boxes
    return bool(boxes) and all(box.port.connected for box in boxes)


def test_next_2_on_a_box_calls_a_ticket_at_counter_2(
    running_app, box_staff, issue_now, db, tmp_path
):
    with PtyDevice(tmp_path / "ttyUSB-box2") as device:
        app = running_app(call_boxes=json.dumps({"2": device.url}))
        assert wait_until(lambda: connected(app), timeout=5)
        issue_now("A")
        assert press(device, b"NEXT 2\r\n") == b"OK A-001\r\n"
        with db.read() as s:
            event = s.scalar(select(Event).where(Event.kind == "ticket.called"))
        assert (event.data["code"], event.data["counter"], event.actor) == (
            "A-001",
            2,
            "staff:admin",
        )
        # The console shows it too: same operations, same database.
        state = app.test_client().get("/api/v1/queue").get_json()
        assert {c["number"]: c["serving"] for c in state["counters"]}[2] == "A-001"


def test_a_configuration_error_is_reported_and_the_rest_still_runs(quiet_app, tmp_path):
    with PtyDevice(tmp_path / "ttyUSB-box1") as device:
        app = quiet_app(
            counter_displays='{"1": {"kind": "vfd"}}', call_boxes=json.dumps({"1": device.url})
        )
        hardware = start_hardware(app)
        try:
            assert hardware.displays is None and len(hardware.call_boxes) == 1
            assert hardware.errors == [
                'ANTRIAN_COUNTER_DISPLAYS: loket 1 butuh objek dengan "kind" dan "port", '
                'mis. {"kind": "vfd", "port": "/dev/ttyUSB1"}'
            ]
        finally:
            hardware.stop()
