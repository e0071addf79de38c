"""Counter displays (VFD, LED) and the bank that keeps them up to date."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.serial_devices.counter_display import (
    CounterDisplayBank,
    CounterDisplayDriver,
    LedCounterDisplay,
    VfdPoleDisplay,
    build_bank,
    build_driver,
)
from hardware.serial_devices.port import ReconnectingPort
from hardware.serial_devices.testing import FlakyOpener, ManualClock, PtyDevice, wait_until

VFD_LOKET_2_A123 = (
    b"\x1b@"  # initialize
    b"\x0c"  # clear
    b"\x1bQA      LOKET 2       \r"  # upper line, 20 columns, centered
    b"\x1bQB       A-123        \r"  # lower line, 20 columns, centered
)
LED_ADDRESS_3_A123 = b"\x02" + b"03DA123" + b"36" + b"\x03"


@pytest.fixture
def device(tmp_path: Path) -> Iterator[PtyDevice]:
    with PtyDevice(tmp_path / "ttyUSB-display") as pty_device:
        yield pty_device


def drain(opener: FlakyOpener) -> bytes:
    """Everything written so far to the latest loop:// handle."""
    handle = opener.handles[-1]
    return handle.read(handle.in_waiting)


# --- VFD ---------------------------------------------------------------------


def test_vfd_bytes_on_a_real_pty(device: PtyDevice) -> None:
    display = VfdPoleDisplay(ReconnectingPort(device.url, timeout=0.05))
    assert display.show(2, "A-123") is True
    assert device.receive(len(VFD_LOKET_2_A123)) == VFD_LOKET_2_A123
    assert device.receive(timeout=0.02) == b""  # nothing more


def test_vfd_idle_and_transliteration() -> None:
    display = VfdPoleDisplay(ReconnectingPort("loop://"))
    idle = display.render(12, None)
    assert idle.endswith(b"\x1bQB         -          \r")
    assert b"LOKET 12" in idle
    odd = display.render(1, "É–7\r")  # accent, en dash and a CR that would end the line
    assert odd.endswith(b"\x1bQB        E-7         \r")


def test_vfd_lines_are_exactly_20_columns() -> None:
    data = VfdPoleDisplay(ReconnectingPort("loop://"), title="LOKET PELAYANAN IUMK").render(
        2, "X" * 30
    )
    upper = data.split(b"\x1bQA")[1].split(b"\r")[0]
    lower = data.split(b"\x1bQB")[1].split(b"\r")[0]
    assert len(upper) == len(lower) == 20
    assert data.isascii()


# --- LED ---------------------------------------------------------------------


def test_led_frame_exact_with_checksum() -> None:
    display = LedCounterDisplay(ReconnectingPort("loop://"), address=3)
    assert display.render(1, "A-123") == LED_ADDRESS_3_A123
    assert display.frame("A123") == LED_ADDRESS_3_A123


@pytest.mark.parametrize(
    ("code", "text"),
    [(None, "----"), ("", "----"), ("B-007", "B007"), ("b-7", "  B7"), ("A-1234", "1234")],
)
def test_led_text(code: str | None, text: str) -> None:
    assert LedCounterDisplay(ReconnectingPort("loop://"), address=12).text_for(code) == text


def test_led_frame_on_a_real_pty(device: PtyDevice) -> None:
    display = LedCounterDisplay(ReconnectingPort(device.url, timeout=0.05), address=3)
    assert display.show(1, "A-123")
    assert device.receive(until=b"\x03") == LED_ADDRESS_3_A123


def test_led_address_range() -> None:
    with pytest.raises(ValueError):
        LedCounterDisplay(ReconnectingPort("loop://"), address=100)


# --- configuration -----------------------------------------------------------


def test_build_driver_shares_one_port_per_bus() -> None:
    ports: dict[str, ReconnectingPort] = {}
    opener = FlakyOpener(url="loop://")
    led3 = build_driver({"kind": "led", "port": "/dev/ttyUSB2", "address": 3}, ports, opener=opener)
    led4 = build_driver({"kind": "led", "port": "/dev/ttyUSB2", "address": 4}, ports, opener=opener)
    vfd = build_driver({"kind": "vfd", "port": "/dev/ttyUSB1", "baudrate": 9600}, ports)
    assert isinstance(led3, LedCounterDisplay) and isinstance(led4, LedCounterDisplay)
    assert isinstance(vfd, VfdPoleDisplay)
    assert isinstance(vfd, CounterDisplayDriver)
    assert led3.port is led4.port is ports["/dev/ttyUSB2"]
    assert vfd.port is not led3.port

    assert led3.show(3, "A-123") and led4.show(4, None)
    assert opener.calls == 1
    assert drain(opener) == LED_ADDRESS_3_A123 + led4.frame("----")


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "lcd", "port": "loop://"},
        {"kind": "vfd"},
        {"kind": "led", "port": "loop://"},
    ],
)
def test_build_driver_rejects_bad_specs(spec: dict) -> None:
    with pytest.raises(ValueError):
        build_driver(spec, {})


def test_build_driver_rejects_two_speeds_on_one_bus() -> None:
    ports: dict[str, ReconnectingPort] = {}
    build_driver({"kind": "led", "port": "loop://", "address": 1}, ports)
    with pytest.raises(ValueError, match="baudrate"):
        build_driver({"kind": "led", "port": "loop://", "address": 2, "baudrate": 19200}, ports)


# --- bank ----------------------------------------------------------------------


class Recorder:
    def __init__(self, ok: bool = True) -> None:
        self.ok = ok
        self.shown: list[tuple[int, str | None]] = []

    def show(self, counter_number: int, ticket_code: str | None) -> bool:
        self.shown.append((counter_number, ticket_code))
        return self.ok


def test_bank_writes_only_changes_and_idles_missing_counters() -> None:
    one, two = Recorder(), Recorder()
    bank = CounterDisplayBank({1: one, 2: two})
    bank.apply({1: "A-001", 2: "B-001", 9: "C-001"})  # counter 9 has no display
    bank.apply({1: "A-001", 2: "B-001"})
    bank.apply({1: "A-002"})
    assert one.shown == [(1, "A-001"), (1, "A-002")]
    assert two.shown == [(2, "B-001"), (2, None)]
    assert bank.pending == frozenset()
    bank.refresh(force=True)
    assert one.shown[-1] == (1, "A-002") and two.shown[-1] == (2, None)


def test_bank_resends_after_unplug_once_port_returns(caplog: pytest.LogCaptureFixture) -> None:
    clock = ManualClock()
    opener = FlakyOpener(url="loop://")
    port = ReconnectingPort("/dev/ttyUSB2", retry_interval=2.0, opener=opener, clock=clock)
    led = LedCounterDisplay(port, address=3)
    bank = CounterDisplayBank({2: led})
    bank.apply({2: "A-122"})
    assert drain(opener) == led.frame("A122")

    opener.handles[-1].close()  # unplugged: the next write fails inside pyserial
    opener.failures = 2  # and the device stays away for two more attempts
    with caplog.at_level(logging.WARNING, logger="antrian.counterdisplay"):
        bank.apply({2: "A-123"})
    assert bank.pending == {2}
    assert "Tampilan loket 2 tidak menerima data" in caplog.text
    for _ in range(2):
        clock.advance(2.0)
        bank.refresh()
        assert bank.pending == {2}
    assert opener.calls == 3

    clock.advance(2.0)
    bank.refresh()
    assert bank.pending == frozenset()
    assert bank.acknowledged == {2: "A-123"}
    assert drain(opener) == LED_ADDRESS_3_A123
    bank.refresh()  # in sync: nothing re-sent
    assert drain(opener) == b""


def test_bank_resends_to_replugged_pty(device: PtyDevice) -> None:
    port = ReconnectingPort(device.url, timeout=0.05, retry_interval=0.02)
    vfd = VfdPoleDisplay(port)
    bank = CounterDisplayBank({2: vfd})
    bank.apply({2: "A-122"})
    assert device.receive(len(VFD_LOKET_2_A123)) == vfd.render(2, "A-122")

    device.unplug()
    bank.apply({2: "A-123"})
    assert bank.pending == {2}
    device.plug()
    bank.start(interval=0.01)  # the refresh thread notices without another apply
    try:
        assert wait_until(lambda: not bank.pending)
    finally:
        bank.stop()
    assert device.receive(len(VFD_LOKET_2_A123)) == VFD_LOKET_2_A123


def test_an_idle_display_that_was_power_cycled_shows_its_number_again(device: PtyDevice) -> None:
    # The USB adapter stayed plugged in: no write fails, the display is just blank.
    port = ReconnectingPort(device.url, timeout=0.05, retry_interval=0.02)
    vfd = VfdPoleDisplay(port)
    bank = CounterDisplayBank({2: vfd})
    bank.apply({2: "A-123"})
    assert device.receive(len(VFD_LOKET_2_A123)) == VFD_LOKET_2_A123
    bank.start(interval=0.01, resend_seconds=0.2)  # no call, no apply from here on
    try:
        assert device.receive(len(VFD_LOKET_2_A123), timeout=2.0) == VFD_LOKET_2_A123
    finally:
        bank.stop()


def test_faulty_driver_does_not_starve_the_others() -> None:
    class Broken:
        def show(self, counter_number: int, ticket_code: str | None) -> bool:
            raise RuntimeError("driver bug")

    good = Recorder()
    bank = CounterDisplayBank({1: Broken(), 2: good, 3: Recorder(ok=False)})
    bank.apply({1: "A-001", 2: "A-002", 3: "A-003"})
    assert good.shown == [(2, "A-002")]
    assert bank.pending == {1, 3}


def test_build_bank_and_close() -> None:
    ports: dict[str, ReconnectingPort] = {}
    opener = FlakyOpener(url="loop://")
    bank = build_bank(
        {
            1: {"kind": "led", "port": "/dev/ttyUSB2", "address": 1},
            2: {"kind": "led", "port": "/dev/ttyUSB2", "address": 2},
            3: {"kind": "vfd", "port": "/dev/ttyUSB1"},
        },
        ports,
        opener=opener,
    )
    bank.apply({1: "A-001", 3: "A-003"})
    assert bank.pending == frozenset()
    assert sorted(ports) == ["/dev/ttyUSB1", "/dev/ttyUSB2"]
    bank.close()
    assert all(port.closed for port in ports.values())
