"""Deliver one slip and know whether it reached the printer.

For printers that answer ``DLE EOT`` (tcp://, serial://) one connection does three things:

1. ask the status; a printer that is offline, out of paper or has its cover open is not sent
   anything (:class:`NotReady`: the slip certainly did not print);
2. send the slip;
3. ask again. The answer comes after the printer took the slip's bytes (one ordered stream);
   no answer, a reset connection or a printer that went offline meanwhile means the slip may
   or may not be on paper (:class:`MaybePrinted`): print it again, marked as a possible copy.

A printer that never answers status (a print server without a back channel) is sent to as
before and trusted; file://, dummy://, usb:// and cups:// have no status at all.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from .errors import PrinterError
from .status import DLE_EOT, OFFLINE_TEXT, PrinterStatus, ask_socket, decode_status
from .transports import describe_os_error, open_printer, safe_url, send_bytes

STATUS_SCHEMES = ("tcp", "serial")
UNKNOWN = PrinterStatus(online=True, known=False)


class NotReady(PrinterError):
    """The printer said it cannot print now; nothing was sent."""

    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(status.describe())
        self.status = status


class MaybePrinted(PrinterError):
    """The slip was (partly) sent but the printer did not confirm it: it may be on paper."""

    def __init__(self, message: str, status: PrinterStatus) -> None:
        super().__init__(message)
        self.status = status


def offline(reason: str) -> PrinterStatus:
    return PrinterStatus(online=False, error=f"{OFFLINE_TEXT}: {reason}")


def deliver(
    url: str, data: bytes, profile: str | None = None, *, ask: bool = True, timeout: float = 2.0
) -> PrinterStatus:
    """Send ``data`` to ``url`` once; returns the printer's status after the slip.

    ``ask=False`` skips the status questions (a printer known not to answer them).
    Raises :class:`NotReady`, :class:`MaybePrinted`, or :class:`PrinterError` when the printer
    could not be reached at all (nothing sent).
    """
    if not ask or urlsplit(url).scheme.lower() not in STATUS_SCHEMES:
        send_bytes(url, data, profile)
        return UNKNOWN
    printer = open_printer(url, profile)  # PrinterError: unreachable, nothing sent
    ask_one = _asker(printer.device, timeout)
    try:
        try:
            before = decode_status(_ask_all(ask_one, (1, 2, 3, 4)))
        except OSError as exc:
            raise PrinterError(f"Printer tidak menjawab: {describe_os_error(exc)}") from exc
        if before.known and not before.ready:
            raise NotReady(before)
        try:
            printer._raw(data)  # python-escpos' raw write: the bytes as rendered
            if not before.known:
                printer.close()  # nothing to confirm with: a clean close is all there is
                return UNKNOWN
            after = decode_status(_ask_all(ask_one, (1, 2, 4)))
        except OSError as exc:
            status = offline(describe_os_error(exc))
            raise MaybePrinted(_unconfirmed(url, status), status) from exc
        if not after.known:
            status = offline("tidak menjawab setelah slip dikirim")
            raise MaybePrinted(_unconfirmed(url, status), status)
        if not after.ready:
            raise MaybePrinted(_unconfirmed(url, after), after)
        return after
    finally:
        _close_quietly(printer)


def _unconfirmed(url: str, status: PrinterStatus) -> str:
    return f"Slip tidak dikonfirmasi printer {safe_url(url)} ({status.describe()})"


def _ask_all(ask_one, questions: tuple[int, ...]) -> dict[int, int | None]:
    answers: dict[int, int | None] = {}
    for n in questions:
        answers[n] = ask_one(n)
        if answers[n] is None:
            break  # a printer that ignored one question will ignore the rest
    return answers


def _asker(device, timeout: float):
    """``ask(n)``: one DLE EOT n answer byte from an open socket or serial port, or None."""
    if hasattr(device, "recv"):
        # A closed connection answers nothing: after a slip, that is "not confirmed".
        return lambda n: ask_socket(device, n, time.monotonic() + timeout)

    def ask_serial(n: int) -> int | None:
        device.timeout = timeout
        device.write(DLE_EOT + bytes([n]))
        got = device.read(1)
        return got[0] if got else None

    return ask_serial


def _close_quietly(printer) -> None:
    try:
        printer.close()
    except Exception:  # noqa: BLE001 - the outcome was decided before closing
        pass
