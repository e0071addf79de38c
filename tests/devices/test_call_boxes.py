"""Call-button boxes on real ptys run the console's queue operations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.devices.call_boxes import call_box_handler
from antrian.devices.config import (
    CallBoxConfig,
    DeviceConfigError,
    parse_call_boxes,
    parse_counter_displays,
)
from antrian.models import Event, Ticket
from hardware.serial_devices import CallBoxListener, ReconnectingPort
from hardware.serial_devices.testing import PtyDevice, wait_until


class Box:
    """A box on a pty wired to the real handler, as start_hardware wires it."""

    def __init__(self, db, tmp_path, counter: int, staff: str = "admin"):
        self.device = PtyDevice(tmp_path / f"ttyUSB-box{counter}")
        self.port = ReconnectingPort(self.device.url, timeout=0.05, retry_interval=0.02)
        self.listener = CallBoxListener(self.port, call_box_handler(db, staff), counter)
        self.listener.start()

    def press(self, line: bytes) -> bytes:
        assert wait_until(lambda: self.port.connected)
        self.device.send(line)
        return self.device.receive(until=b"\r\n", timeout=5)

    def close(self):
        self.listener.stop()
        self.port.close()
        self.device.unplug()


@pytest.fixture
def box(db, tmp_path, box_staff):
    made = []

    def make(counter: int, staff: str = "admin") -> Box:
        made.append(Box(db, tmp_path, counter, staff))
        return made[-1]

    yield make
    for b in made:
        b.close()


def ticket(db, code: str) -> Ticket:
    with db.read() as s:
        found = s.scalar(select(Ticket).where(Ticket.code == code))
        found.counter  # noqa: B018 - loaded while the session is open
        return found


def test_next_on_box_2_calls_a_ticket_to_counter_2(db, box, issue_now):
    issue_now("A")
    assert box(2).press(b"NEXT 2\r\n") == b"OK A-001\r\n"
    called = ticket(db, "A-001")
    assert called.status == "called" and called.counter.number == 2
    with db.read() as s:
        event = s.scalar(select(Event).where(Event.kind == "ticket.called"))
    assert event.data["code"] == "A-001" and event.data["counter"] == 2
    assert event.actor == "staff:admin"  # the audit trail says who acted


def test_an_empty_queue_says_so(db, box):
    assert box(1).press(b"NEXT 1\r\n") == b"ERR ANTREAN KOSONG\r\n"


def test_a_closed_counter_s_box_says_so_and_calls_nobody(db, box, issue_now):
    issue_now("A")
    with db.write() as s:
        ops.pause_counter(s, 1, "salat", None, utcnow())
    assert box(1).press(b"NEXT 1\r\n") == b"ERR LOKET TUTUP\r\n"
    assert ticket(db, "A-001").status == "waiting"


def test_recall_start_finish_act_on_the_counter_s_ticket(db, box, issue_now):
    issue_now("B")
    b = box(3)
    assert b.press(b"RECALL 3\n") == b"ERR TIDAK ADA TIKET\r\n"
    assert b.press(b"NEXT 3\n") == b"OK B-001\r\n"
    assert b.press(b"RECALL 3\n") == b"OK B-001\r\n"
    assert ticket(db, "B-001").call_count == 2
    assert b.press(b"START 3\n") == b"OK B-001\r\n"
    assert ticket(db, "B-001").status == "serving"
    assert b.press(b"SKIP 3\n") == b"ERR STATUS TIKET TIDAK SESUAI\r\n"  # already being served
    assert b.press(b"FINISH 3\n") == b"OK B-001\r\n"
    assert ticket(db, "B-001").status == "done"
    assert b.press(b"FINISH 3\n") == b"ERR TIDAK ADA TIKET\r\n"


def test_skip_marks_a_no_show(db, box, issue_now):
    issue_now("C")
    b = box(4)
    b.press(b"NEXT 4\n")
    assert b.press(b"SKIP 4\n") == b"OK C-001\r\n"
    assert ticket(db, "C-001").status == "no_show"


def test_a_box_cannot_call_for_another_counter(db, box, issue_now):
    issue_now("A")
    assert box(2).press(b"NEXT 3\n") == b"ERR LOKET TIDAK SESUAI\r\n"
    assert ticket(db, "A-001").status == "waiting"


def test_an_unknown_staff_account_is_refused_and_nothing_changes(db, box, issue_now):
    issue_now("A")
    assert box(1, staff="tidak-ada").press(b"NEXT 1\n") == b"ERR PETUGAS TIDAK TERDAFTAR\r\n"
    assert ticket(db, "A-001").status == "waiting"


def test_an_inactive_counter_is_refused(db, box):
    assert box(9).press(b"NEXT 9\n") == b"ERR LOKET TIDAK AKTIF\r\n"


# --- configuration ---------------------------------------------------------------------------


def test_call_box_configuration_forms():
    boxes = parse_call_boxes(
        json.dumps(
            {
                "1": "/dev/ttyUSB3",
                "2": {"port": "/dev/ttyUSB4", "staff": "siti"},
                "3": {"port": "rfc2217://10.0.0.5:4000", "baudrate": 19200},
            }
        ),
        json.dumps({"3": "budi"}),
    )
    assert boxes == [
        CallBoxConfig(1, "/dev/ttyUSB3", "admin"),
        CallBoxConfig(2, "/dev/ttyUSB4", "siti"),
        CallBoxConfig(3, "rfc2217://10.0.0.5:4000", "budi", 19200),
    ]
    assert parse_call_boxes('{"1": "/dev/ttyUSB3"}', "petugas1")[0].staff == "petugas1"
    assert parse_call_boxes("", "admin") == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{nope", "ANTRIAN_CALL_BOXES bukan JSON yang valid"),
        ('["/dev/ttyUSB3"]', "harus berupa objek JSON"),
        ('{"satu": "/dev/ttyUSB3"}', "bukan nomor loket"),
        ('{"1": ""}', "butuh alamat port"),
        ('{"1": "/dev/ttyUSB3", "2": "/dev/ttyUSB3"}', "satu port untuk beberapa kotak"),
    ],
)
def test_bad_call_box_configuration_is_explained(raw, message):
    with pytest.raises(DeviceConfigError, match=message):
        parse_call_boxes(raw)


def test_counter_display_configuration():
    raw = (
        '{"1": {"kind": "vfd", "port": "/dev/ttyUSB1"}, "2": {"kind": "led", '
        '"port": "/dev/ttyUSB2", "address": 2}}'
    )
    assert parse_counter_displays(raw) == {
        1: {"kind": "vfd", "port": "/dev/ttyUSB1"},
        2: {"kind": "led", "port": "/dev/ttyUSB2", "address": 2},
    }
    with pytest.raises(DeviceConfigError, match="LED butuh"):
        parse_counter_displays('{"2": {"kind": "led", "port": "/dev/ttyUSB2"}}')
    with pytest.raises(DeviceConfigError, match='"kind" harus'):
        parse_counter_displays('{"2": {"kind": "lcd", "port": "/dev/ttyUSB2"}}')


def test_a_bouncing_next_key_calls_one_ticket(db, box, issue_now):
    issue_now("E")
    issue_now("E")
    b = box(1)
    assert b.press(b"NEXT 1\r\n") == b"OK E-001\r\n"
    assert b.press(b"NEXT 1\r\n") == b"OK E-001\r\n"  # within 3 s: the same call, not E-002
    assert ticket(db, "E-002").status == "waiting"
    assert ticket(db, "E-001").status == "called"
