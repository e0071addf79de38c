"""Call-button boxes: a small serial keypad on each counter desk.

A key press sends one ASCII line, ``<ACTION> <counter>``::

    NEXT 2      call the next ticket to counter 2
    RECALL 2    call the current ticket again
    SKIP 2      the visitor did not come; skip the ticket
    START 2     start serving the current ticket
    FINISH 2    finished serving

Case-insensitive, ended by LF or CRLF, surrounding whitespace ignored. The box
gets one line back, shown on its 1-line LCD when it has one::

    OK A-123        done; the text is what the handler returned ("OK" alone for None)
    ERR <text>      refused; the text says why (CallBoxError), or bare "ERR"
                    when the handler crashed

The listener never touches the queue itself: the application passes a handler
(``CallBoxCommand -> str | None``) that runs the queue operation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .port import ReconnectingPort
from .text import to_ascii

logger = logging.getLogger("antrian.callbox")

ACTIONS = frozenset({"next", "recall", "skip", "start", "finish"})
UNKNOWN_COMMAND_REPLY = "PERINTAH TIDAK DIKENAL"
WRONG_COUNTER_REPLY = "LOKET TIDAK SESUAI"


@dataclass(frozen=True, slots=True)
class CallBoxCommand:
    """One key press: ``action`` (lower case, one of ``ACTIONS``) for ``counter``."""

    action: str
    counter: int


class CallBoxError(Exception):
    """Raised by a handler to refuse a command; the message goes to the LCD.

    E.g. ``raise CallBoxError("ANTREAN KOSONG")`` -> ``ERR ANTREAN KOSONG``.
    """


def parse_command(line: bytes) -> CallBoxCommand | None:
    """Parse one line from a box; ``None`` when it is not a valid command."""
    try:
        text = line.decode("ascii")
    except (UnicodeDecodeError, AttributeError):
        return None
    # NUL counts as whitespace: some USB-serial boxes emit one on power-up.
    parts = text.replace("\x00", " ").split()
    if len(parts) != 2:
        return None
    action, counter = parts[0].lower(), parts[1]
    # isascii() guards int(): it would happily read Arabic-Indic digits.
    if action not in ACTIONS or not (counter.isascii() and counter.isdigit()):
        return None
    number = int(counter)
    if number <= 0:
        return None
    return CallBoxCommand(action, number)


def format_reply(ok: bool, text: str | None = None) -> bytes:
    """``OK <text>\\r\\n`` or ``ERR <text>\\r\\n``, ASCII only."""
    head = "OK" if ok else "ERR"
    body = " ".join(to_ascii(text or "").split())
    return f"{head} {body}\r\n".encode("ascii") if body else f"{head}\r\n".encode("ascii")


class CallBoxListener:
    """Reads commands from one box in a daemon thread and answers each one.

    ``expected_counter``: the counter the box sits on; commands naming another
    counter (a box moved to the wrong desk, a misconfigured keypad) are refused
    instead of calling a ticket to a counter nobody is at.
    """

    def __init__(
        self,
        port: ReconnectingPort,
        handler: Callable[[CallBoxCommand], str | None],
        expected_counter: int | None = None,
    ) -> None:
        self.port = port
        self.handler = handler
        self.expected_counter = expected_counter
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.alive:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"callbox {self.port.url}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float | None = 5.0) -> None:
        """Ask the thread to stop; it notices within the port's timeout."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def handle_line(self, line: bytes) -> bytes | None:
        """Process one raw line and return the reply (``None``: blank line)."""
        if not line.strip():
            return None  # a bare CR/LF from a box is keep-alive noise, not a command
        command = parse_command(line)
        if command is None:
            logger.warning("Perintah tidak dikenal dari kotak panggil %s: %r", self.port.url, line)
            return format_reply(False, UNKNOWN_COMMAND_REPLY)
        if self.expected_counter is not None and command.counter != self.expected_counter:
            logger.warning(
                "Perintah %s untuk loket %d ditolak: kotak panggil %s milik loket %d",
                command.action,
                command.counter,
                self.port.url,
                self.expected_counter,
            )
            return format_reply(False, WRONG_COUNTER_REPLY)
        try:
            result = self.handler(command)
        except CallBoxError as exc:
            logger.info("Perintah %s loket %d ditolak: %s", command.action, command.counter, exc)
            return format_reply(False, str(exc))
        except Exception:
            logger.exception(
                "Gagal menjalankan perintah %s loket %d", command.action, command.counter
            )
            return format_reply(False)
        return format_reply(True, result)

    def _run(self) -> None:
        while not self._stop.is_set():
            line = self.port.readline()
            if line is None:
                # Disconnected: readline returns at once until the next retry,
                # so wait here instead of spinning.
                self._stop.wait(self.port.timeout)
                continue
            if not line:
                continue
            try:
                reply = self.handle_line(line)
            except Exception:  # last line of defence: the box must keep working
                logger.exception("Kesalahan tak terduga pada kotak panggil %s", self.port.url)
                reply = format_reply(False)
            if reply is not None and not self.port.write(reply):
                logger.warning("Balasan ke kotak panggil %s tidak terkirim", self.port.url)
