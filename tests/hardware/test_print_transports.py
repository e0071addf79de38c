"""Printers chosen by URL: the bytes arrive whole, and failures speak Indonesian."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from escpos.printer import Dummy

from hardware.printing import OfficeInfo, PrinterError, TicketSlip, render_bytes, transports
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.transports import open_printer, safe_url, send_bytes

# Fixtures tcp_printer, pty_printer, refused_url, office and ticket_slip: see conftest.py.


@pytest.fixture
def ticket_bytes(ticket_slip: TicketSlip, office: OfficeInfo) -> bytes:
    return render_bytes(ticket_slip, office, "TM-T20II")


def test_dummy_keeps_the_bytes() -> None:
    printer = open_printer("dummy://")
    printer.textln("halo")
    assert isinstance(printer, Dummy) and printer.output.endswith(b"halo\n")
    assert printer.profile.profile_data["name"] == "TM-T20II"  # the default profile


def test_file_appends_jobs_and_creates_the_folder(tmp_path: Path, ticket_bytes: bytes) -> None:
    target = tmp_path / "spool" / "kiosk-1.bin"
    send_bytes(f"file://{target}", ticket_bytes)
    send_bytes(f"file://{target}", ticket_bytes)
    assert target.read_bytes() == ticket_bytes + ticket_bytes
    assert read_escpos(target.read_bytes()).cuts == 2


def test_file_never_creates_a_missing_device_node() -> None:
    with pytest.raises(PrinterError) as err:
        send_bytes("file:///dev/usb/antrian-tidak-ada-lp9", b"x")
    assert "Printer tidak dapat dihubungi" in err.value.message
    assert "perangkat tidak ditemukan" in err.value.message
    assert not Path("/dev/usb/antrian-tidak-ada-lp9").exists()


def test_tcp_printer_receives_the_whole_ticket(tcp_printer, ticket_bytes: bytes) -> None:
    send_bytes(tcp_printer.url, ticket_bytes)
    (job,) = tcp_printer.wait_jobs(1)
    assert job == ticket_bytes
    paper = read_escpos(job)
    assert paper.lines_with("A-001")[0].width_mult == 4 and paper.cuts == 1


def test_tcp_printer_receives_a_large_image_job_whole(
    tcp_printer, ticket_slip: TicketSlip, office: OfficeInfo
) -> None:
    data = render_bytes(ticket_slip, office, "POS-5890") * 20  # ~200 KB: many TCP segments
    send_bytes(tcp_printer.url, data, "POS-5890")
    assert tcp_printer.wait_jobs(1)[0] == data


def test_refused_connection_is_a_printer_error_in_indonesian(refused_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(PrinterError) as err:
        send_bytes(refused_url, b"\x1b@")
    assert err.value.message.startswith("Printer tidak dapat dihubungi: tcp://127.0.0.1:")
    assert "koneksi ditolak" in err.value.message
    assert time.monotonic() - started < 2


def test_serial_pty_receives_the_whole_ticket(pty_printer, ticket_bytes: bytes) -> None:
    send_bytes(f"serial://{pty_printer.path}?baudrate=19200&timeout=1", ticket_bytes)
    assert pty_printer.wait_bytes(len(ticket_bytes)) == ticket_bytes  # no CR added, no byte lost


def test_serial_settings_come_from_the_url(pty_printer) -> None:
    url = f"serial://{pty_printer.path}?baudrate=38400&stopbits=2&timeout=0.5&write_timeout=9"
    printer = open_printer(url)
    try:
        port = printer.device
        assert (port.baudrate, port.bytesize, port.parity, port.stopbits) == (38400, 8, "N", 2)
        assert (port.timeout, port.write_timeout) == (0.5, 9)
    finally:
        printer.close()


def test_serial_framing_and_flow_control_are_parsed() -> None:
    # Linux ptys refuse 7-bit/parity framing, so this one is checked before opening.
    printer = transports._serial(
        "serial:///dev/ttyS0?bytesize=7&parity=even&stopbits=1.5&rtscts=1&xonxoff=yes",
        "TM-T20II",
    )
    assert (printer.bytesize, printer.parity, printer.stopbits) == (7, "E", 1.5)
    assert printer.rtscts and printer.xonxoff and printer.baudrate == 9600


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("serial:///dev/ttyANTRIAN-TIDAK-ADA", "perangkat tidak ditemukan"),
        ("serial:///dev/ttyUSB0?baudrate=cepat", "baudrate='cepat'"),
        ("serial:///dev/ttyUSB0?parity=X", "parity='X'"),
        ("tcp://:9100", "nama host"),
        ("usb://epson", "usb://VVVV:PPPP"),
    ],
)
def test_bad_urls_are_explained(url: str, fragment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usb.core", sys.modules.get("serial"))  # pretend pyusb
    with pytest.raises(PrinterError) as err:
        open_printer(url)
    assert fragment in err.value.message


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(PrinterError) as err:
        open_printer("lpt://1")
    assert "Jenis alamat printer tidak dikenal" in err.value.message
    assert "tcp://" in err.value.message and "serial://" in err.value.message


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(PrinterError) as err:
        open_printer("dummy://", "TM-X999")
    assert "Profil printer tidak dikenal" in err.value.message and "POS-5890" in err.value.message


@pytest.mark.parametrize(
    ("url", "module", "package"),
    [("usb://04b8:0202", "usb.core", "pyusb"), ("cups://kasir", "cups", "pycups")],
)
def test_missing_optional_library_is_explained(
    url: str, module: str, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed, even where it is
    with pytest.raises(PrinterError) as err:
        open_printer(url)
    assert f"membutuhkan paket Python '{package}'" in err.value.message
    assert f"pip install {package}" in err.value.message


def test_credentials_never_appear_in_messages() -> None:
    assert safe_url("cups://admin:rahasia@10.0.0.5:631/kasir") == "cups://10.0.0.5:631/kasir"
