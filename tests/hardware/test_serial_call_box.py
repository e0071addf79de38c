"""Call-button boxes: parsing, and the listener on a real pty."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hardware.serial_devices.call_box import (
    CallBoxCommand,
    CallBoxError,
    CallBoxListener,
    format_reply,
    parse_command,
)
from hardware.serial_devices.port import ReconnectingPort
from hardware.serial_devices.testing import PtyDevice, wait_until

UNKNOWN = b"ERR PERINTAH TIDAK DIKENAL\r\n"


@pytest.mark.parametrize(
    ("line", "command"),
    [
        (b"NEXT 2\r\n", CallBoxCommand("next", 2)),
        (b"next 2\n", CallBoxCommand("next", 2)),
        (b"  Recall\t12  \r\n", CallBoxCommand("recall", 12)),
        (b"SKIP 2", CallBoxCommand("skip", 2)),
        (b"START 02\n", CallBoxCommand("start", 2)),
        (b"\x00FINISH 3\r\n", CallBoxCommand("finish", 3)),
    ],
)
def test_parse_valid(line: bytes, command: CallBoxCommand) -> None:
    assert parse_command(line) == command


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"\r\n",
        b"\xff\xfeZZZ\n",
        "NEXT 2 é".encode(),
        b"FOO 2\n",
        b"NEXT\n",
        b"NEXT two\n",
        b"NEXT 2 3\n",
        b"NEXT 0\n",
        b"NEXT -1\n",
        b"NEXT2\n",
        "NEXT \u0662".encode(),  # Arabic-Indic two: int() would accept it
    ],
)
def test_parse_invalid(line: bytes) -> None:
    assert parse_command(line) is None


def test_format_reply_is_ascii_single_line() -> None:
    assert format_reply(True, "A-001") == b"OK A-001\r\n"
    assert format_reply(True, None) == b"OK\r\n"
    assert format_reply(False, "Antrean\r\nkosong é") == b"ERR Antrean kosong e\r\n"


class Box:
    """A listener on a pty whose handler the test controls."""

    def __init__(
        self,
        device: PtyDevice,
        respond: Callable[[CallBoxCommand], str | None],
        expected_counter: int | None = None,
    ) -> None:
        self.device = device
        self.commands: list[CallBoxCommand] = []
        self.respond = respond
        self.port = ReconnectingPort(device.url, timeout=0.05, retry_interval=0.02)
        self.listener = CallBoxListener(self.port, self.handle, expected_counter)

    def handle(self, command: CallBoxCommand) -> str | None:
        self.commands.append(command)
        return self.respond(command)

    def press(self, line: bytes) -> bytes:
        """Send a line as the box would and return the reply it gets."""
        # pyserial flushes input on open: wait for the listener to hold the port.
        assert wait_until(lambda: self.port.connected)
        self.device.send(line)
        return self.device.receive(until=b"\r\n")


@pytest.fixture
def device(tmp_path: Path) -> Iterator[PtyDevice]:
    with PtyDevice(tmp_path / "ttyUSB-callbox") as pty_device:
        yield pty_device


@pytest.fixture
def box(device: PtyDevice) -> Iterator[Box]:
    box = Box(device, lambda command: "A-001")
    box.listener.start()
    yield box
    box.listener.stop()
    assert not box.listener.alive


def test_next_is_handled_and_answered(box: Box) -> None:
    assert box.press(b"NEXT 2\r\n") == b"OK A-001\r\n"
    assert box.commands == [CallBoxCommand("next", 2)]


def test_garbage_is_logged_and_refused(box: Box, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="antrian.callbox"):
        assert box.press(b"\xff\xfeZZZ\n") == UNKNOWN
        assert box.press(b"FOO 2\r\n") == UNKNOWN
    messages = [r.getMessage() for r in caplog.records if r.name == "antrian.callbox"]
    assert len(messages) == 2
    assert all(m.startswith("Perintah tidak dikenal dari kotak panggil") for m in messages)
    assert box.listener.alive
    assert box.press(b"recall 2\n") == b"OK A-001\r\n"
    assert box.commands == [CallBoxCommand("recall", 2)]


def test_blank_lines_are_ignored(box: Box) -> None:
    assert box.press(b"\r\n\r\nSKIP 2\r\n") == b"OK A-001\r\n"


def test_handler_crash_answers_err_and_keeps_listening(
    device: PtyDevice, caplog: pytest.LogCaptureFixture
) -> None:
    def respond(command: CallBoxCommand) -> str | None:
        if command.action == "next":
            raise RuntimeError("database is locked")
        if command.action == "skip":
            raise CallBoxError("ANTREAN KOSONG")
        return None

    box = Box(device, respond)
    box.listener.start()
    try:
        with caplog.at_level(logging.ERROR, logger="antrian.callbox"):
            assert box.press(b"NEXT 2\r\n") == b"ERR\r\n"
        assert "Gagal menjalankan perintah next loket 2" in caplog.text
        assert box.listener.alive
        assert box.press(b"SKIP 2\r\n") == b"ERR ANTREAN KOSONG\r\n"
        assert box.press(b"FINISH 2\r\n") == b"OK\r\n"
    finally:
        box.listener.stop()


def test_command_for_another_counter_is_refused(device: PtyDevice) -> None:
    box = Box(device, lambda command: "A-001", expected_counter=2)
    box.listener.start()
    try:
        assert box.press(b"NEXT 3\r\n") == b"ERR LOKET TIDAK SESUAI\r\n"
        assert box.commands == []
        assert box.press(b"NEXT 2\r\n") == b"OK A-001\r\n"
    finally:
        box.listener.stop()


def test_listener_survives_unplug_and_replug(box: Box, device: PtyDevice) -> None:
    assert box.press(b"NEXT 2\r\n") == b"OK A-001\r\n"
    device.unplug()
    assert wait_until(lambda: not box.port.connected)
    device.plug()
    assert box.press(b"START 2\r\n") == b"OK A-001\r\n"
    assert box.commands == [CallBoxCommand("next", 2), CallBoxCommand("start", 2)]
