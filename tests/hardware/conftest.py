"""Fixtures for the printer tests: fixed slips, a fake TCP printer and a real pty.

Nothing here needs hardware: the TCP printer is a real socket server on 127.0.0.1 (port 0),
the serial printer is the master side of a real pseudo-terminal.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from hardware.printing import OfficeInfo, TicketSlip
from hardware.printing.testing import DLE_EOT, FakeNetworkPrinter


def wait_for(condition: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def office() -> OfficeInfo:
    return OfficeInfo(
        name="DPMPTSP Kabupaten Pelalawan",
        address="Komplek Perkantoran Bhakti Praja, Pangkalan Kerinci",
        phone="(0761) 494033",
    )


@pytest.fixture
def ticket_slip() -> TicketSlip:
    return TicketSlip(
        code="A-001",
        service_name="Perizinan IUMK / NIB",
        issued_at_local=datetime(2026, 11, 26, 8, 15),
        people_ahead=3,
        status_url="https://antrian.pelalawankab.go.id/t/Xk3pQ9aZ",
        prepare_line="Siapkan KTP, alamat e-mail aktif, NPWP, dan akta pendirian bila badan usaha.",
    )


@pytest.fixture
def tcp_printer() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter() as printer:
        yield printer


@pytest.fixture
def refused_url() -> str:
    """A tcp:// URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}?timeout=1"


@dataclass
class PtyPrinter:
    """The far end of a real pseudo-terminal: what a serial printer would receive."""

    path: str
    master: int
    received: bytearray = field(default_factory=bytearray)
    answers: dict[int, int] = field(default_factory=dict)

    def wait_bytes(self, count: int) -> bytes:
        assert wait_for(lambda: len(self.received) >= count), f"got {len(self.received)} bytes"
        return bytes(self.received)


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    master, slave = os.openpty()
    printer = PtyPrinter(path=os.ttyname(slave), master=master)
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # slave side closed by pyserial; keep listening for reopen
                time.sleep(0.01)
                continue
            printer.received += data
            start = len(printer.received) - len(data) - 2
            for i in range(max(0, start), len(printer.received) - 2):
                chunk = printer.received[i : i + 3]
                if chunk[:2] == DLE_EOT and chunk[2] in printer.answers:
                    os.write(master, bytes([printer.answers[chunk[2]]]))

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    yield printer
    stop.set()
    thread.join(2)
    os.close(master)
    os.close(slave)
