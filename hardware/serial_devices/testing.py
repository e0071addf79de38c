"""Stand-ins for real serial hardware, for tests and bench experiments.

Like pyserial's ``loop://``, these let the real code run unchanged: the code
under test opens a real tty path through pyserial, the test plays the device.
"""

from __future__ import annotations

import os
import select
import time
import tty
from collections.abc import Callable
from pathlib import Path
from typing import Any

import serial


class PtyDevice:
    """The device end of a pseudo-terminal (a display, a call box).

    The code under test opens :attr:`url` through pyserial exactly as it would
    open ``/dev/ttyUSB0``; the test reads what the device received
    (:meth:`receive`) and sends what the device would send (:meth:`send`).

    With ``link``, :attr:`url` is a symlink that follows the pty across
    :meth:`unplug` / :meth:`plug`, as ``/dev/serial/by-id/...`` follows a USB
    adapter; without it every :meth:`plug` yields a new ``/dev/pts/N``.
    """

    def __init__(self, link: str | os.PathLike[str] | None = None) -> None:
        self._link = Path(link) if link is not None else None
        self._buffer = bytearray()
        self.master = -1
        self.slave = -1
        self.plug()

    def __enter__(self) -> PtyDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.unplug()

    @property
    def plugged(self) -> bool:
        return self.master >= 0

    @property
    def url(self) -> str:
        if self._link is not None:
            return str(self._link)
        return os.ttyname(self.slave)

    def plug(self) -> None:
        if self.plugged:
            return
        master, slave = os.openpty()
        # Raw before the code under test opens it: a fresh pty echoes and edits
        # lines, which would bounce our test bytes back at us.
        tty.setraw(slave)
        os.set_blocking(master, False)
        # Holding the slave open keeps the master readable (no EIO) while the
        # code under test closes and reopens its side.
        self.master, self.slave = master, slave
        self._buffer.clear()
        if self._link is not None:
            temporary = self._link.with_name(self._link.name + ".new")
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(os.ttyname(slave))
            os.replace(temporary, self._link)

    def unplug(self) -> None:
        """Vanish like a pulled USB adapter: the other side gets EIO, the path goes."""
        if not self.plugged:
            return
        if self._link is not None:
            self._link.unlink(missing_ok=True)
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = -1

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def receive(
        self, size: int | None = None, *, until: bytes | None = None, timeout: float = 2.0
    ) -> bytes:
        """Bytes received: ``size`` of them, or up to and including ``until``.

        With neither, whatever arrives within ``timeout``. Returns what it has
        when the deadline passes; extra bytes wait for the next call.
        """
        deadline = time.monotonic() + timeout
        while True:
            if size is not None and len(self._buffer) >= size:
                cut = size
                break
            if until is not None and until in self._buffer:
                cut = self._buffer.index(until) + len(until)
                break
            left = deadline - time.monotonic()
            if left <= 0:
                cut = len(self._buffer)
                break
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                self._buffer += os.read(self.master, 4096)
        data = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        return data


class FlakyOpener:
    """An opener that fails ``failures`` times (device absent), then opens ``url``.

    ``url`` defaults to the one asked for; ``handles`` keeps every opened
    handle so a test can read a ``loop://`` port or break it (``close()``) to
    simulate an unplug in the middle of operation.
    """

    def __init__(
        self,
        failures: int = 0,
        url: str | None = None,
        opener: Callable[..., Any] = serial.serial_for_url,
    ) -> None:
        self.failures = failures
        self.url = url
        self.calls = 0
        self.handles: list[Any] = []
        self._opener = opener

    def __call__(self, url: str, **kwargs: Any) -> Any:
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            raise serial.SerialException(
                f"could not open port {url}: [Errno 2] No such file or directory"
            )
        handle = self._opener(self.url or url, **kwargs)
        self.handles.append(handle)
        return handle


class ManualClock:
    """A monotonic clock that moves only when told to (for ``retry_interval``)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wait_until(condition: Callable[[], object], timeout: float = 2.0) -> bool:
    """Poll ``condition`` until it is truthy or ``timeout`` passes (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.002)
