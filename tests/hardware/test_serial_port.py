"""ReconnectingPort against loop://, a real pty and an opener that fails."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.serial_devices.port import MAX_LINE, ReconnectingPort
from hardware.serial_devices.testing import FlakyOpener, ManualClock, PtyDevice, wait_until


@pytest.fixture
def device(tmp_path: Path) -> Iterator[PtyDevice]:
    with PtyDevice(tmp_path / "ttyUSB-display") as pty_device:
        yield pty_device


def test_loop_round_trip() -> None:
    port = ReconnectingPort("loop://", timeout=0.05)
    assert not port.connected  # opened lazily, on first use
    assert port.write(b"NEXT 2\r\n") is True
    assert port.connected
    assert port.readline() == b"NEXT 2\r\n"
    assert port.readline() == b""


def read_lines(port: ReconnectingPort, count: int) -> list[bytes]:
    lines: list[bytes] = []

    def got_enough() -> bool:
        line = port.readline()
        if line:
            lines.append(line)
        return len(lines) >= count

    wait_until(got_enough)
    return lines


def test_pty_lines_are_reassembled_and_split(device: PtyDevice) -> None:
    port = ReconnectingPort(device.url, timeout=0.05)
    assert port.ensure_open()
    device.send(b"NEX")
    assert port.readline() == b""  # half a line stays buffered
    device.send(b"T 2\r\nSKIP 2\nREC")
    assert read_lines(port, 2) == [b"NEXT 2\r\n", b"SKIP 2\n"]
    device.send(b"ALL 2\n")
    assert read_lines(port, 1) == [b"RECALL 2\n"]


def test_overlong_garbage_is_cut_not_hoarded() -> None:
    # 115200 baud: loop:// simulates transmission time against write_timeout.
    port = ReconnectingPort("loop://", baudrate=115200, timeout=0.05)
    assert port.write(b"Z" * (MAX_LINE + 10) + b"\n")
    assert read_lines(port, 2) == [b"Z" * MAX_LINE, b"Z" * 10 + b"\n"]


def test_idle_readline_returns_within_timeout(device: PtyDevice) -> None:
    port = ReconnectingPort(device.url, timeout=0.05)
    assert port.ensure_open()
    started = time.monotonic()
    assert port.readline() == b""
    assert time.monotonic() - started < 0.05 + 0.1


def test_absent_device_is_retried_no_more_often_than_retry_interval() -> None:
    clock = ManualClock()
    opener = FlakyOpener(failures=3, url="loop://")
    port = ReconnectingPort("/dev/ttyUSB9", retry_interval=2.0, opener=opener, clock=clock)

    assert port.write(b"x") is False
    assert port.readline() is None
    assert opener.calls == 1  # the second call was inside retry_interval
    clock.advance(1.9)
    assert port.write(b"x") is False
    assert opener.calls == 1
    for expected_calls in (2, 3):
        clock.advance(2.0)
        assert port.write(b"x") is False
        assert opener.calls == expected_calls
    clock.advance(2.0)
    assert port.write(b"x") is True
    assert port.connected
    assert opener.calls == 4


def test_write_failure_closes_and_reopens_lazily() -> None:
    clock = ManualClock()
    opener = FlakyOpener(url="loop://")
    events: list[bool] = []
    port = ReconnectingPort(
        "/dev/ttyUSB1", retry_interval=2.0, opener=opener, clock=clock, on_change=events.append
    )
    assert port.write(b"a") is True
    opener.handles[-1].close()  # the adapter is pulled: the next I/O raises inside pyserial

    assert port.write(b"b") is False
    assert not port.connected
    assert port.write(b"c") is False  # no reopen before retry_interval
    assert opener.calls == 1
    clock.advance(2.0)
    assert port.write(b"d") is True
    assert opener.calls == 2
    assert events == [True, False, True]


def test_read_failure_returns_none_and_recovers() -> None:
    clock = ManualClock()
    opener = FlakyOpener(url="loop://")
    port = ReconnectingPort("/dev/ttyUSB1", timeout=0.05, opener=opener, clock=clock)
    assert port.readline() == b""
    opener.handles[-1].close()
    assert port.readline() is None
    assert not port.connected
    clock.advance(2.0)
    assert port.readline() == b""
    assert port.connected


def test_pty_unplug_and_replug(device: PtyDevice) -> None:
    # A long timeout, to show the failures below do not wait for it.
    port = ReconnectingPort(device.url, timeout=1.0, retry_interval=0.05)
    assert port.write(b"one\n")
    assert device.receive(until=b"\n") == b"one\n"

    device.unplug()
    started = time.monotonic()
    assert port.write(b"lost\n") is False
    assert port.readline() is None
    assert port.write(b"lost\n") is False
    assert time.monotonic() - started < 0.5  # a dead device never stalls the caller
    assert not port.connected

    device.plug()  # the symlink now points at a brand new /dev/pts/N
    assert wait_until(lambda: port.write(b"two\n"))
    assert device.receive(until=b"\n") == b"two\n"


def test_raising_callback_does_not_break_io() -> None:
    def broken(connected: bool) -> None:
        raise RuntimeError("boom")

    port = ReconnectingPort("loop://", on_change=broken)
    assert port.write(b"x") is True


def test_close_is_final() -> None:
    opener = FlakyOpener(url="loop://")
    port = ReconnectingPort("/dev/ttyUSB1", retry_interval=0.0, opener=opener)
    assert port.write(b"x")
    port.close()
    assert port.closed
    assert port.write(b"x") is False
    assert port.readline() is None
    assert opener.calls == 1
