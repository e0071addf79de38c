"""One process owns the office's hardware services.

With several gunicorn workers every worker runs `create_app`, but a serial port can be open in
one process only (a second reader would steal half of a call box's key presses), and one
printer monitor is enough. The first worker to take an flock on `<instance>/hardware.lock`
owns the hardware; the others keep trying in the background, so when the owner dies (gunicorn
replaces a crashed worker) another worker takes over within `retry_seconds`.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("antrian.devices")

LOCK_FILE = "hardware.lock"


class HardwareOwner:
    def __init__(self, instance_path: Path) -> None:
        self.path = Path(instance_path) / LOCK_FILE
        self._fd: int | None = None

    @property
    def owned(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            # Unlockable (read-only folder): run anyway. A port opened twice still fails
            # safely, as ReconnectingPort opens exclusively.
            log.warning("Berkas kunci %s tidak dapat dibuat", self.path, exc_info=True)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        # The owner's pid, for an admin wondering which worker holds the ports.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def run_when_owned(
        self, start: Callable[[], None], stop: threading.Event, retry_seconds: float = 10.0
    ) -> None:
        """Call `start` now if this process gets the lock, else as soon as it does."""
        if self.try_acquire():
            start()
            return
        log.info(
            "Perangkat keras dipegang proses lain (%s); proses %s menunggu", self.path, os.getpid()
        )

        def wait() -> None:
            while not stop.wait(retry_seconds):
                if self.try_acquire():
                    log.info("Proses %s kini memegang perangkat keras", os.getpid())
                    start()
                    return

        threading.Thread(target=wait, name="hardware-owner-wait", daemon=True).start()
