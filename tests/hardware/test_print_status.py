"""Real-time status (DLE EOT) from a printer that answers, described in Indonesian."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hardware.printing import PrinterError, PrinterStatus, query_status
from hardware.printing.status import decode_status
from hardware.printing.testing import PAPER_OUT, READY

# Fixtures tcp_printer, pty_printer and refused_url: see conftest.py.


def test_paper_out_says_kertas_habis(tcp_printer) -> None:
    tcp_printer.answers.update(PAPER_OUT)
    status = query_status(tcp_printer.url, timeout=1)
    assert status.known and status.paper_out and not status.online and not status.ready
    assert status.describe() == "kertas habis"
    # what the printer was asked: DLE EOT 1, 2, 3, 4, nothing that would print
    assert tcp_printer.wait_jobs(1)[0] == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


def test_ready_printer_says_siap(tcp_printer) -> None:
    tcp_printer.answers.update(READY)
    status = query_status(tcp_printer.url, timeout=1)
    assert status == PrinterStatus(online=True)
    assert status.ready and status.describe() == "siap"


def test_near_end_and_cover_open(tcp_printer) -> None:
    tcp_printer.answers.update({1: 0x1E, 2: 0x16, 3: 0x12, 4: 0x1E})
    status = query_status(tcp_printer.url, timeout=1)
    assert status.cover_open and status.paper_near_end and not status.paper_out
    assert status.describe() == "kertas hampir habis, tutup printer terbuka"


def test_silent_printer_is_reachable_but_status_unknown(tcp_printer) -> None:
    started = time.monotonic()
    status = query_status(tcp_printer.url, timeout=0.2)
    assert time.monotonic() - started < 1
    assert (status.online, status.known, status.describe()) == (
        True,
        False,
        "status tidak tersedia",
    )


def test_unreachable_printer_is_offline(refused_url: str) -> None:
    status = query_status(refused_url, timeout=1)
    assert not status.online and status.known and not status.ready
    assert status.describe() == "printer offline / tidak dapat dihubungi: koneksi ditolak"


def test_serial_printer_answers_over_a_pty(pty_printer) -> None:
    pty_printer.answers.update(PAPER_OUT)
    status = query_status(f"serial://{pty_printer.path}?baudrate=9600", timeout=1)
    assert status.paper_out and status.describe() == "kertas habis"


@pytest.mark.parametrize("url", ["dummy://", "usb://04b8:0202", "cups://kasir"])
def test_transports_that_cannot_answer(url: str, tmp_path: Path) -> None:
    for target in (url, f"file://{tmp_path / 'out.bin'}"):
        status = query_status(target)
        assert status.online and not status.known
        assert status.describe() == "status tidak tersedia"


def test_unknown_scheme() -> None:
    with pytest.raises(PrinterError):
        query_status("lpt://1")


@pytest.mark.parametrize(
    ("answers", "described"),
    [
        ({1: 0x16, 2: 0x12, 3: 0x1A, 4: 0x12}, "pemotong kertas bermasalah"),
        ({1: 0x1E, 2: 0x12, 3: 0x12, 4: 0x12}, "printer offline / tidak dapat dihubungi"),
        ({1: 0x1E, 2: 0x52, 3: 0x52, 4: 0x12}, "kepala cetak terlalu panas"),
        ({1: 0x16, 2: 0x12, 3: 0x12, 4: 0x72}, "kertas habis"),  # sensor alone suffices
        ({1: 0xFF}, "status tidak tersedia"),  # not a status byte (fixed bits wrong)
        ({1: None}, "status tidak tersedia"),
    ],
)
def test_decode_bits(answers: dict[int, int | None], described: str) -> None:
    assert described in decode_status(answers).describe()
