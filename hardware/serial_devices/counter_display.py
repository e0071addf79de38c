"""Counter displays: which ticket each counter (loket) is serving.

Two kinds of hardware are driven, both write-only:

**VFD pole display** (:class:`VfdPoleDisplay`): a 2x20 customer display in
CD5220 command mode, one per serial port. Every update is self-contained::

    ESC @                       1B 40        initialize (recovers a display that
                                             was power-cycled or got noise)
    CLR                         0C           clear screen, leave string mode
    ESC Q A <20 chars> CR       1B 51 41 .. 0D   upper line: "LOKET 2" centered
    ESC Q B <20 chars> CR       1B 51 42 .. 0D   lower line: "A-123" or "-" centered

**LED counter display** (:class:`LedCounterDisplay`): 4-character LED boards on
a shared RS-485 bus, each answering to the address set on its DIP switches.
One frame per update, all ASCII between STX and ETX::

    STX   addr   cmd   text          checksum   ETX
    02    "03"   "D"   "A123"        "36"       03

- ``addr``: the display address as two decimal digits, ``00``-``99``;
- ``cmd``: ``D`` (show text);
- ``text``: exactly 4 characters, right-aligned, space padded: the ticket code
  without its dash and upper-cased ("A-123" -> "A123", "B-7" -> "  B7"),
  ``----`` when the counter is idle;
- ``checksum``: XOR of every byte from the first address digit to the last
  text character, as two upper-case hex digits;
- the displays never answer (one master on a half-duplex bus), so "sent" is
  the best acknowledgement there is.

Example: address 3 showing "A123" is ``b"\\x0203DA12336\\x03"``.

:class:`CounterDisplayBank`, which keeps every counter's display up to date,
lives in :mod:`hardware.serial_devices.display_bank` and is re-exported here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol, runtime_checkable

import serial

from .display_bank import CounterDisplayBank
from .port import ReconnectingPort
from .text import center, to_ascii

logger = logging.getLogger("antrian.counterdisplay")

ESC = b"\x1b"
CLR = b"\x0c"
CR = b"\r"
STX = b"\x02"
ETX = b"\x03"


@runtime_checkable
class CounterDisplayDriver(Protocol):
    """Anything that can show a counter's current ticket."""

    def show(self, counter_number: int, ticket_code: str | None) -> bool:
        """Show ``ticket_code`` (``None`` = idle); ``True`` if the device took it."""
        ...


class VfdPoleDisplay:
    """A 2x20 VFD customer display pole speaking the CD5220 command set."""

    width = 20

    def __init__(self, port: ReconnectingPort, *, title: str = "LOKET") -> None:
        self.port = port
        self.title = title

    def render(self, counter_number: int, ticket_code: str | None) -> bytes:
        """The exact bytes sent for one update (see the module docstring)."""
        upper = center(to_ascii(f"{self.title} {counter_number}").strip(), self.width)
        lower = center(to_ascii(ticket_code or "").strip() or "-", self.width)
        return b"".join(
            (
                ESC + b"@",
                CLR,
                ESC + b"QA" + upper.encode("ascii") + CR,
                ESC + b"QB" + lower.encode("ascii") + CR,
            )
        )

    def show(self, counter_number: int, ticket_code: str | None) -> bool:
        return self.port.write(self.render(counter_number, ticket_code))


class LedCounterDisplay:
    """A 4-character LED counter display at ``address`` on an RS-485 bus."""

    width = 4
    idle_text = "----"

    def __init__(self, port: ReconnectingPort, address: int) -> None:
        if not 0 <= address <= 99:
            raise ValueError(f"Alamat tampilan LED harus 0-99, bukan {address}")
        self.port = port
        self.address = address

    def text_for(self, ticket_code: str | None) -> str:
        """The 4 characters shown for ``ticket_code``."""
        if not ticket_code:
            return self.idle_text
        text = "".join(to_ascii(ticket_code).upper().replace("-", "").split())
        if len(text) > self.width:
            # Keep the right end: the number tells the visitor more than the letter.
            logger.warning(
                "Kode %r terlalu panjang untuk tampilan LED alamat %02d; ditampilkan %r",
                ticket_code,
                self.address,
                text[-self.width :],
            )
            text = text[-self.width :]
        return text.rjust(self.width)

    def frame(self, text: str) -> bytes:
        """A complete frame showing ``text`` (already 4 ASCII characters)."""
        body = f"{self.address:02d}D{text}".encode("ascii")
        checksum = 0
        for byte in body:
            checksum ^= byte
        return STX + body + f"{checksum:02X}".encode("ascii") + ETX

    def render(self, counter_number: int, ticket_code: str | None) -> bytes:
        return self.frame(self.text_for(ticket_code))

    def show(self, counter_number: int, ticket_code: str | None) -> bool:
        return self.port.write(self.render(counter_number, ticket_code))


#: Ports built from configuration, shared so that every LED display on one
#: bus (same URL) writes through one handle and one lock.
_default_ports: dict[str, ReconnectingPort] = {}
_default_ports_lock = threading.Lock()


def build_driver(
    spec: dict[str, Any],
    ports: MutableMapping[str, ReconnectingPort] | None = None,
    *,
    opener: Callable[..., Any] = serial.serial_for_url,
) -> CounterDisplayDriver:
    """Build a driver from configuration.

    ``{"kind": "vfd", "port": "/dev/ttyUSB1", "baudrate": 9600}`` or
    ``{"kind": "led", "port": "/dev/ttyUSB2", "address": 3}``; optional keys
    ``baudrate``, ``timeout``, ``retry_interval``. Specs naming the same port
    get the same :class:`ReconnectingPort` from ``ports`` (a process-wide
    registry when omitted).
    """
    kind = str(spec.get("kind", "")).lower()
    if kind not in ("vfd", "led"):
        raise ValueError(f"Jenis tampilan loket tidak dikenal: {spec.get('kind')!r}")
    url = spec.get("port")
    if not url:
        raise ValueError(f"Tampilan loket tanpa 'port': {spec!r}")
    if ports is None:
        with _default_ports_lock:
            port = _shared_port(_default_ports, str(url), spec, opener)
    else:
        port = _shared_port(ports, str(url), spec, opener)
    if kind == "vfd":
        return VfdPoleDisplay(port)
    if "address" not in spec:
        raise ValueError(f"Tampilan LED tanpa 'address': {spec!r}")
    return LedCounterDisplay(port, int(spec["address"]))


def _shared_port(
    ports: MutableMapping[str, ReconnectingPort],
    url: str,
    spec: dict[str, Any],
    opener: Callable[..., Any],
) -> ReconnectingPort:
    baudrate = int(spec.get("baudrate", 9600))
    port = ports.get(url)
    if port is None or port.closed:
        port = ReconnectingPort(
            url,
            baudrate=baudrate,
            timeout=float(spec.get("timeout", 0.2)),
            retry_interval=float(spec.get("retry_interval", 2.0)),
            opener=opener,
        )
        ports[url] = port
    elif port.baudrate != baudrate:
        # One bus has one speed; silently picking one would leave some
        # displays showing garbage.
        raise ValueError(
            f"Port {url} dipakai dengan baudrate {port.baudrate} dan {baudrate} sekaligus"
        )
    return port


def build_bank(
    specs: dict[int, dict[str, Any]],
    ports: MutableMapping[str, ReconnectingPort] | None = None,
    *,
    opener: Callable[..., Any] = serial.serial_for_url,
) -> CounterDisplayBank:
    """A bank from ``{counter_number: spec}`` (see :func:`build_driver`)."""
    # Without an explicit registry the bank gets its own, so that closing one
    # bank's ports (bank.close()) cannot pull a port from under another bank.
    registry: MutableMapping[str, ReconnectingPort] = {} if ports is None else ports
    return CounterDisplayBank(
        {counter: build_driver(spec, registry, opener=opener) for counter, spec in specs.items()}
    )


__all__ = [
    "CounterDisplayBank",
    "CounterDisplayDriver",
    "LedCounterDisplay",
    "VfdPoleDisplay",
    "build_bank",
    "build_driver",
]
