"""Real-time printer status (ESC/POS ``DLE EOT n``) over transports that can answer.

``DLE EOT`` is executed by the printer even while it is offline or its buffer is full, so it
tells staff *why* tickets stop coming out. Each answer is one byte whose bits 0/1/4/7 are
fixed (``b & 0x93 == 0x12``); anything else (e.g. an automatic status block) is ignored.
Bits per the Epson ESC/POS reference, "DLE EOT":

* n=1 printer status: bit 3 offline
* n=2 offline cause: bit 2 cover open, bit 3 paper fed by button, bit 5 stopped by paper end,
  bit 6 error
* n=3 error cause: bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable error
* n=4 roll paper sensor: bits 2-3 near end, bits 5-6 paper end
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import PrinterError
from .transports import describe_os_error

DLE_EOT = b"\x10\x04"
OFFLINE_TEXT = "printer offline / tidak dapat dihubungi"


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    error: str | None = None  # Indonesian: a printer error, or why it could not be reached
    known: bool = True  # False: the transport cannot report status (dummy, file, usb, cups)

    @property
    def ready(self) -> bool:
        """True when the printer is known to be able to print now."""
        return self.known and self.online and not (self.paper_out or self.cover_open or self.error)

    def describe(self) -> str:
        """One Indonesian line for staff, e.g. ``kertas habis, tutup printer terbuka``."""
        if not self.known:
            return "status tidak tersedia"
        problems = []
        if self.paper_out:
            problems.append("kertas habis")
        elif self.paper_near_end:
            problems.append("kertas hampir habis")
        if self.cover_open:
            problems.append("tutup printer terbuka")
        if self.error:
            problems.append(self.error)
        unreachable = (self.error or "").startswith(OFFLINE_TEXT)
        if not self.online and not (self.paper_out or self.cover_open or unreachable):
            problems.insert(0, OFFLINE_TEXT)
        return ", ".join(dict.fromkeys(problems)) or "siap"


def decode_status(answers: dict[int, int | None]) -> PrinterStatus:
    """Turn the ``DLE EOT 1..4`` answer bytes into a :class:`PrinterStatus`."""
    valid = {n: b for n, b in answers.items() if b is not None and b & 0x93 == 0x12}
    if 1 not in valid:
        # Reachable but silent: a one-way interface or a print server without back channel.
        return PrinterStatus(online=True, known=False)
    n2, n3, n4 = valid.get(2, 0x12), valid.get(3, 0x12), valid.get(4, 0x12)
    errors = []
    if n3 & 0x08:
        errors.append("pemotong kertas bermasalah")
    if n3 & 0x20:
        errors.append("kesalahan printer yang tidak dapat dipulihkan")
    if n3 & 0x40:
        errors.append("kepala cetak terlalu panas atau tegangan tidak normal")
    return PrinterStatus(
        online=not valid[1] & 0x08,
        paper_out=bool(n4 & 0x60 or n2 & 0x20),
        paper_near_end=bool(n4 & 0x0C),
        cover_open=bool(n2 & 0x04),
        error=", ".join(errors) or None,
    )


def ask_socket(sock: socket.socket, n: int, deadline: float) -> int | None:
    sock.sendall(DLE_EOT + bytes([n]))
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data = sock.recv(1)
        except TimeoutError:
            return None
        if not data:
            return None
        if data[0] & 0x93 == 0x12:
            return data[0]
    return None


def _query_tcp(url: str, timeout: float) -> dict[int, int | None]:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 9100), timeout=timeout) as s:
        answers = {}
        for n in (1, 2, 3, 4):
            answers[n] = ask_socket(s, n, time.monotonic() + timeout)
            if answers[n] is None:
                break  # a printer that ignored one question will ignore the rest
        return answers


def _query_serial(url: str, timeout: float) -> dict[int, int | None]:
    import serial

    parts = urlsplit(url)
    q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    with serial.Serial(
        unquote(parts.netloc + parts.path),
        baudrate=int(q.get("baudrate", 9600)),
        bytesize=int(q.get("bytesize", 8)),
        parity=q.get("parity", "N").upper()[:1],
        stopbits=float(q.get("stopbits", 1)),
        timeout=timeout,
        write_timeout=timeout,
    ) as port:
        port.reset_input_buffer()
        answers: dict[int, int | None] = {}
        for n in (1, 2, 3, 4):
            port.write(DLE_EOT + bytes([n]))
            data = port.read(1)
            answers[n] = data[0] if data else None
            if not data:
                break
        return answers


def query_status(url: str, timeout: float = 2.0) -> PrinterStatus:
    """Ask the printer at ``url`` for its real-time status. Never raises for a dead printer."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("tcp", "serial"):
        if scheme not in ("dummy", "file", "usb", "cups"):
            raise PrinterError(f"Jenis alamat printer tidak dikenal: {url!r}")
        return PrinterStatus(online=True, known=False)
    try:
        answers = _query_tcp(url, timeout) if scheme == "tcp" else _query_serial(url, timeout)
    except (OSError, ValueError) as exc:  # serial.SerialException is an OSError
        return PrinterStatus(online=False, error=f"{OFFLINE_TEXT}: {describe_os_error(exc)}")
    return decode_status(answers)
