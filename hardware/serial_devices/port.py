"""A serial port that survives being unplugged.

Counter displays and call boxes hang off USB-serial adapters that staff unplug,
kick loose or power-cycle. pyserial raises on the first I/O after that and stays
dead; the queue must not. :class:`ReconnectingPort` turns every failure into a
``False``/``None`` result, closes the broken handle and reopens the same URL
later, at most once per ``retry_interval``, so a display that returns is picked
up again without anyone restarting the server.

Any URL pyserial's ``serial_for_url`` knows works: ``/dev/ttyUSB0``,
``/dev/serial/by-id/...``, ``/dev/pts/N``, ``loop://``, ``rfc2217://host:port``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

logger = logging.getLogger("antrian.serial")

#: Lines are handed out in pieces of at most this many bytes, so a box spewing
#: garbage without newlines cannot grow the buffer without bound.
MAX_LINE = 256


class ReconnectingPort:
    """A serial port that never raises and reopens itself after a failure.

    ``write`` returns whether the bytes were handed to the port; ``readline``
    returns a complete line (ending in ``b"\\n"``), ``b""`` when no full line
    arrived within ``timeout``, or ``None`` while the port is disconnected.
    Neither blocks longer than ``timeout`` in normal operation (opening an
    ``rfc2217://`` URL is a TCP connect and may take longer).

    Safe to share between threads: one reader and any number of writers (the
    LED displays of one RS-485 bus all write through a single instance).

    ``on_change(connected)`` is called, outside the port's locks, whenever the
    port goes from connected to disconnected or back (and on the first outcome),
    so the application can raise or clear an alert. ``clock`` is injectable so
    tests can step over ``retry_interval`` without sleeping.
    """

    def __init__(
        self,
        url: str,
        baudrate: int = 9600,
        timeout: float = 0.2,
        retry_interval: float = 2.0,
        opener: Callable[..., Any] = serial.serial_for_url,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[bool], None] | None = None,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.timeout = timeout
        self.retry_interval = retry_interval
        self._opener = opener
        self._clock = clock
        self._on_change = on_change
        self._serial: Any = None
        self._last_attempt: float | None = None
        self._closed = False
        self._rx = bytearray()
        self._state: bool | None = None  # last state reported through on_change
        self._events: list[bool] = []
        # Lock order is always read -> write -> state; see _drop for why the
        # failing side releases its own lock before taking both.
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()

    def __repr__(self) -> str:
        state = "connected" if self.connected else "disconnected"
        return f"<ReconnectingPort {self.url!r} {state}>"

    @property
    def connected(self) -> bool:
        """Whether a port handle is currently open."""
        return self._serial is not None

    @property
    def state(self) -> bool | None:
        """Connected or not as last found; ``None`` before the first attempt to open it (a
        status page says "not checked yet" rather than "unplugged")."""
        with self._state_lock:
            return None if self._state is None else self._serial is not None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called; a closed port stays closed."""
        return self._closed

    def ensure_open(self) -> bool:
        """Open now if disconnected and a retry is due; return ``connected``."""
        with self._write_lock:
            port = self._acquire()
        self._notify()
        return port is not None

    def write(self, data: bytes) -> bool:
        """Send ``data``; ``False`` when the port is (or just went) away."""
        failure: BaseException | None = None
        with self._write_lock:
            port = self._acquire()
            if port is not None:
                try:
                    port.write(data)
                # Why so broad: besides SerialException/OSError, a handle torn
                # down under our feet raises TypeError/AttributeError inside
                # pyserial, and callers were promised this never raises.
                except Exception as exc:
                    failure = exc
        if failure is not None:
            self._drop(port, failure)
        self._notify()
        return port is not None and failure is None

    def readline(self) -> bytes | None:
        """Return one line, ``b""`` on timeout, ``None`` when disconnected."""
        failure: BaseException | None = None
        line: bytes | None = None
        with self._read_lock:
            port = self._acquire()
            if port is not None:
                line = self._pop_line()
                if line is None:
                    try:
                        # One read call only, so the wait stays within timeout;
                        # a line split across calls waits in self._rx.
                        self._rx += port.read(max(1, port.in_waiting))
                    except Exception as exc:  # broad for the same reason as write
                        failure = exc
                    else:
                        line = self._pop_line() or b""
        if failure is not None:
            self._drop(port, failure)
            line = None
        self._notify()
        return line

    def close(self) -> None:
        """Close for good (shutdown): later calls return ``False``/``None``."""
        with self._read_lock, self._write_lock, self._state_lock:
            self._closed = True
            port, self._serial = self._serial, None
            self._rx.clear()
        if port is not None:
            _quiet_close(port)

    def _pop_line(self) -> bytes | None:
        end = self._rx.find(b"\n", 0, MAX_LINE)
        if end >= 0:
            cut = end + 1
        elif len(self._rx) >= MAX_LINE:
            cut = MAX_LINE
        else:
            return None
        line = bytes(self._rx[:cut])
        del self._rx[:cut]
        return line

    def _acquire(self) -> Any:
        """The open handle, opening it if a retry is due; ``None`` otherwise."""
        with self._state_lock:
            if self._serial is not None or self._closed:
                return self._serial
            now = self._clock()
            if self._last_attempt is not None and now - self._last_attempt < self.retry_interval:
                return None
            self._last_attempt = now
            try:
                # exclusive: a second process (another gunicorn worker, a stray
                # miniterm) would otherwise steal half of the box's key presses.
                self._serial = self._opener(
                    self.url,
                    baudrate=self.baudrate,
                    timeout=self.timeout,
                    write_timeout=self.timeout,
                    exclusive=True,
                )
            except Exception as exc:  # missing device, bad URL, busy port: all retried
                self._set_state(False, "Port serial %s belum tersedia: %s", exc)
                return None
            self._set_state(True, "Port serial %s tersambung.", None)
            return self._serial

    def _drop(self, port: Any, exc: BaseException) -> None:
        """Close a handle that failed, unless someone already replaced it.

        Closing a posix port while another thread sits in ``select`` on its fd
        could let that thread read a recycled fd, so the close waits for both
        locks; ``cancel_read`` wakes a blocked reader so that wait is short.
        """
        cancel = getattr(port, "cancel_read", None)
        if cancel is not None:
            try:
                cancel()
            except Exception:
                pass  # the handle is broken anyway; closing below is what matters
        with self._read_lock, self._write_lock, self._state_lock:
            if self._serial is not port:
                return
            self._serial = None
            self._rx.clear()
            self._last_attempt = self._clock()
            _quiet_close(port)
            self._set_state(False, "Port serial %s terputus: %s", exc)

    def _set_state(self, connected: bool, message: str, detail: object) -> None:
        """Log and queue an on_change event on transitions only (state lock held)."""
        if self._state is connected:
            if not connected:
                logger.debug(message, self.url, detail)
            return
        self._state = connected
        self._events.append(connected)
        if connected:
            logger.info(message, self.url)
        else:
            logger.warning(
                message + " (dicoba lagi tiap %g detik)", self.url, detail, self.retry_interval
            )

    def _notify(self) -> None:
        with self._state_lock:
            events, self._events = self._events, []
        if self._on_change is None:
            return
        for connected in events:
            try:
                self._on_change(connected)
            except Exception:
                logger.exception("Callback status port serial %s gagal", self.url)


def _quiet_close(port: Any) -> None:
    try:
        port.close()
    except Exception:
        pass  # closing a vanished device may fail; it is gone either way
