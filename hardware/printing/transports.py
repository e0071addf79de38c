"""Printer transports chosen by URL, and raw byte delivery for the spooler.

Supported URLs::

    dummy://                                   keep the bytes in memory (tests, demos)
    file:///var/spool/antrian/kiosk-1.bin       append each job to a file
    file:///dev/usb/lp0                         an existing device node (never created)
    tcp://192.168.1.50:9100?timeout=5           raw TCP (JetDirect / Epson port 9100)
    serial:///dev/ttyUSB0?baudrate=9600         pyserial; also bytesize, parity, stopbits,
                                                timeout, xonxoff, rtscts query parameters
    usb://04b8:0202                             pyusb (optional: ?in_ep=0x82&out_ep=0x01)
    cups://printer-name  or  cups://host:631/printer-name   pycups, raw job
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from escpos.escpos import Escpos
from escpos.printer import Dummy, File, Network

from .errors import PrinterError
from .profiles import get_profile

log = logging.getLogger(__name__)

TCP_TIMEOUT = 5.0  # seconds: a dead printer must not hold a spooler thread for a minute
TCP_LINGER = 1.0  # seconds to wait for the printer to close after our last byte

__all__ = ["PrinterError", "describe_os_error", "open_printer", "safe_url", "send_bytes"]


def describe_os_error(exc: BaseException) -> str:
    """Short Indonesian reason for a connection/IO failure."""
    if isinstance(exc, socket.gaierror):
        return "nama host tidak dikenal"
    if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        return "waktu tunggu habis"
    reasons = {
        errno.ECONNREFUSED: "koneksi ditolak",
        errno.EHOSTUNREACH: "host tidak terjangkau",
        errno.ENETUNREACH: "jaringan tidak terjangkau",
        errno.ECONNRESET: "koneksi diputus oleh printer",
        errno.EPIPE: "koneksi diputus oleh printer",
        errno.ENOENT: "perangkat tidak ditemukan",
        errno.EACCES: "akses ditolak",
        errno.EBUSY: "perangkat sedang dipakai",
        errno.ENOSPC: "ruang penyimpanan penuh",
    }
    code = getattr(exc, "errno", None)
    if code in reasons:
        return reasons[code]
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc and not isinstance(exc, OSError):
        return describe_os_error(cause)
    return str(exc) or exc.__class__.__name__


class AppendFile(File):
    """File printer that appends, so successive jobs accumulate instead of overwriting."""

    def open(self, raise_not_found: bool = True) -> None:
        path = Path(self.devfile)
        if path.exists() and not path.is_file():
            # A device node (e.g. /dev/usb/lp0): open it as is, never create anything.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        elif str(path).startswith("/dev/"):
            # Creating /dev/usb/lp0 as a plain file would shadow the printer once plugged in.
            raise FileNotFoundError(errno.ENOENT, "perangkat tidak ditemukan", str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.device = os.fdopen(fd, "ab")


class RawTcp(Network):
    """Network printer that closes gracefully: half-close, then wait for the printer's FIN.

    Closing a socket with unread input (some printers send status on their own) makes the
    kernel send RST, which can discard the tail of a job still in flight. ``open`` uses
    ``socket.create_connection``: escpos 3.1 leaks the socket when connecting fails, and
    only speaks IPv4.
    """

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)

    def close(self) -> None:
        sock = self._device
        if not sock:
            return
        self._device = False
        deadline = time.monotonic() + TCP_LINGER
        try:
            sock.shutdown(socket.SHUT_WR)
            # bounded: a printer that keeps sending status must not hold us past the linger
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                if not sock.recv(64):
                    break
        except OSError:
            pass
        finally:
            sock.close()


def _query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def _number(params: dict[str, str], key: str, default: float, kind: type = int) -> float:
    raw = params.get(key)
    if raw is None:
        return default
    try:
        return int(raw, 0) if kind is int else float(raw)  # int base 0 accepts 0x82
    except ValueError:
        raise PrinterError(f"Nilai {key}={raw!r} pada alamat printer tidak valid.") from None


def _require(module: str, package: str, kind: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        raise PrinterError(
            f"Printer {kind} membutuhkan paket Python '{package}' yang belum terpasang. "
            f"Pasang dengan: pip install {package}"
        ) from None


def _dummy(url: str, profile: str) -> Escpos:
    return Dummy(profile=profile)


def _file(url: str, profile: str) -> Escpos:
    parts = urlsplit(url)
    netloc = "" if parts.netloc in ("", "localhost") else parts.netloc
    path = unquote(netloc + parts.path)
    if not path:
        raise PrinterError("Alamat printer file:// tidak berisi nama berkas.")
    return AppendFile(devfile=path, profile=profile)


def _tcp(url: str, profile: str) -> Escpos:
    parts = urlsplit(url)
    if not parts.hostname:
        raise PrinterError(f"Alamat printer tidak berisi nama host: {url}")
    try:
        port = parts.port or 9100
    except ValueError:
        raise PrinterError(f"Nomor port printer tidak valid: {url}") from None
    timeout = _number(_query(url), "timeout", TCP_TIMEOUT, float)
    return RawTcp(host=parts.hostname, port=port, timeout=timeout, profile=profile)


def _serial(url: str, profile: str) -> Escpos:
    _require("serial", "pyserial", "serial")
    from .serial_printer import SerialPrinter

    parts = urlsplit(url)
    device = unquote(parts.netloc + parts.path)
    if not device:
        raise PrinterError("Alamat printer serial:// tidak berisi nama perangkat.")
    q = _query(url)
    parity = q.get("parity", "N").upper()[:1]
    if parity not in "NEOMS":
        raise PrinterError(f"Nilai parity={parity!r} pada alamat printer tidak valid.")
    return SerialPrinter(
        devfile=device,
        baudrate=int(_number(q, "baudrate", 9600)),
        bytesize=int(_number(q, "bytesize", 8)),
        parity=parity,
        stopbits=_number(q, "stopbits", 1, float),
        timeout=_number(q, "timeout", 5.0, float),
        write_timeout=_number(q, "write_timeout", 30.0, float),
        xonxoff=_flag(q, "xonxoff"),
        rtscts=_flag(q, "rtscts"),
        profile=profile,
    )


def _flag(params: dict[str, str], key: str) -> bool:
    return params.get(key, "0").lower() in ("1", "true", "yes", "on")


def _usb(url: str, profile: str) -> Escpos:
    _require("usb.core", "pyusb", "USB")
    from escpos.printer import Usb

    parts = urlsplit(url)
    try:
        vendor, product = (int(x, 16) for x in parts.netloc.split(":"))
    except ValueError:
        raise PrinterError(f"Alamat printer USB harus berbentuk usb://VVVV:PPPP: {url}") from None
    q = _query(url)
    return Usb(
        idVendor=vendor,
        idProduct=product,
        in_ep=int(_number(q, "in_ep", 0x82)),
        out_ep=int(_number(q, "out_ep", 0x01)),
        timeout=int(_number(q, "timeout", 5000)),
        profile=profile,
    )


def _cups(url: str, profile: str) -> Escpos:
    _require("cups", "pycups", "CUPS")
    from escpos.printer import CupsPrinter

    parts = urlsplit(url)
    if parts.path.strip("/"):
        name = unquote(parts.path.strip("/"))
        kwargs = {"host": parts.hostname, "port": parts.port or 631}
    else:
        name, kwargs = unquote(parts.netloc), {}
    return CupsPrinter(printer_name=name, profile=profile, **kwargs)


_OPENERS: dict[str, Callable[[str, str], Escpos]] = {
    "dummy": _dummy,
    "file": _file,
    "tcp": _tcp,
    "serial": _serial,
    "usb": _usb,
    "cups": _cups,
}


def open_printer(url: str, profile: str | None = None) -> Escpos:
    """Open the printer at ``url`` and return the connected python-escpos printer.

    ``profile`` is a name from :mod:`.profiles` (default TM-T20II). The caller closes the
    printer (``printer.close()``). Raises :class:`PrinterError` with an Indonesian message.
    """
    scheme = urlsplit(url).scheme.lower()
    opener = _OPENERS.get(scheme)
    if opener is None:
        choices = ", ".join(f"{s}://" for s in _OPENERS)
        raise PrinterError(
            f"Jenis alamat printer tidak dikenal: {url!r}. Gunakan salah satu: {choices}"
        )
    printer = opener(url, get_profile(profile).escpos_profile)
    try:
        printer.open()
    except Exception as exc:  # escpos, OSError, termios.error, usb.core.USBError...
        printer._device = False  # nothing to close; keeps escpos' __del__ quiet
        reason = describe_os_error(exc)
        raise PrinterError(f"Printer tidak dapat dihubungi: {safe_url(url)} ({reason})") from exc
    return printer


def send_bytes(url: str, data: bytes, profile: str | None = None) -> None:
    """Open ``url``, write ``data`` as is, close. The bytes were rendered once, elsewhere."""
    printer = open_printer(url, profile)
    try:
        printer._raw(data)  # python-escpos' raw write: no re-encoding, no added commands
        printer.close()  # flushes: CUPS submits the job here, serial drains here
    except Exception as exc:
        reason = describe_os_error(exc)
        raise PrinterError(f"Gagal mengirim data ke printer {safe_url(url)} ({reason})") from exc
    finally:
        try:
            printer.close()
        except Exception:  # already reported above; a second close must not mask it
            log.debug("closing %s failed", safe_url(url), exc_info=True)
    # Debug, not info: the job's row records every print (status, printed_dt); a log line per
    # slip cost the printer process ~8% of its CPU in a kiosk rush.
    log.debug("sent %d bytes to %s", len(data), safe_url(url))


def safe_url(url: str) -> str:
    # URLs could one day carry credentials (cups://user:pw@host/...): never show them.
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1])
    return parts.geturl()
