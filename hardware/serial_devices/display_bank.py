"""Keeps every counter display showing the ticket its counter is serving.

The application hands :meth:`CounterDisplayBank.apply` the whole picture
(``{counter_number: ticket_code or None}``) after each queue change. The bank
only writes to displays whose picture changed, remembers what each display
last accepted, and re-sends to those whose write failed: a display unplugged
during a call shows the right number again as soon as it is plugged back in,
at the next ``apply``, ``refresh`` or tick of the optional refresh thread, and a display that
was power-cycled (its port never failed) at the thread's next periodic re-send.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # runtime import would be circular: counter_display re-exports us
    from .counter_display import CounterDisplayDriver

logger = logging.getLogger("antrian.counterdisplay")


class _Unknown:
    """What a display shows when we cannot know (never written, or write failed)."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = _Unknown()


class CounterDisplayBank:
    """The counter displays of the office, one driver per counter number."""

    def __init__(self, drivers: Mapping[int, CounterDisplayDriver]) -> None:
        self._drivers = dict(drivers)
        self._wanted: dict[int, str | None] = {}
        self._acked: dict[int, str | None | _Unknown] = dict.fromkeys(self._drivers, UNKNOWN)
        self._failing: set[int] = set()  # only to log transitions, not every retry
        # apply() from the event thread and refresh() from the timer must not
        # interleave, or an old code could be written after a newer one.
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def drivers(self) -> dict[int, CounterDisplayDriver]:
        return dict(self._drivers)

    @property
    def acknowledged(self) -> dict[int, str | None | _Unknown]:
        """Per counter, the code its display last accepted (``UNKNOWN`` if none)."""
        with self._lock:
            return dict(self._acked)

    @property
    def pending(self) -> frozenset[int]:
        """Counters whose display does not (knowingly) show the wanted code."""
        with self._lock:
            return frozenset(c for c in self._wanted if not self._in_sync(c))

    def apply(self, state: Mapping[int, str | None]) -> None:
        """Show ``state``: the serving code per counter, ``None`` when idle.

        ``state`` is the complete picture: a counter with a display but absent
        from ``state`` is shown idle. Counters without a display are ignored.
        Writes go out synchronously (each bounded by its port's timeout), so
        call this from a background thread, not from a web request.
        """
        with self._lock:
            self._wanted = {counter: state.get(counter) for counter in self._drivers}
            self._push(force=False)

    def refresh(self, force: bool = False) -> None:
        """Re-send to displays whose last write failed (all of them if ``force``).

        ``force`` helps after a display was power-cycled behind a USB adapter
        that stayed plugged in: the port never failed, yet the screen is blank.
        """
        with self._lock:
            self._push(force=force)

    def start(self, interval: float = 1.0, resend_seconds: float | None = 30.0) -> None:
        """Call :meth:`refresh` every ``interval`` seconds in a daemon thread, and
        ``refresh(force=True)`` every ``resend_seconds``: a display that lost power behind an
        adapter that stayed plugged in never fails a write, so only a re-send brings its
        number back (within ``resend_seconds``, not at the counter's next call)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run,
            args=(interval, resend_seconds),
            name="counter-display-refresh",
            daemon=True,
        )
        self._thread.start()

    def stop(self, timeout: float | None = 5.0) -> None:
        """Stop the refresh thread (if started)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        """Stop refreshing and close the ports of the drivers (shutdown)."""
        self.stop()
        seen: set[int] = set()
        for driver in self._drivers.values():
            port = getattr(driver, "port", None)
            if port is not None and id(port) not in seen:
                seen.add(id(port))
                port.close()

    def _run(self, interval: float, resend_seconds: float | None) -> None:
        resent = time.monotonic()
        while not self._stop.wait(interval):
            force = resend_seconds is not None and time.monotonic() - resent >= resend_seconds
            try:
                self.refresh(force=force)
            except Exception:  # keep refreshing whatever one round did
                logger.exception("Penyegaran tampilan loket gagal")
            if force:
                resent = time.monotonic()

    def _in_sync(self, counter: int) -> bool:
        acked = self._acked[counter]
        return acked is not UNKNOWN and acked == self._wanted[counter]

    def _push(self, force: bool) -> None:
        for counter, wanted in self._wanted.items():
            if not force and self._in_sync(counter):
                continue
            was_failing = counter in self._failing
            ok = self._send(counter, wanted)
            self._acked[counter] = wanted if ok else UNKNOWN
            if ok and was_failing:
                self._failing.discard(counter)
                logger.info(
                    "Tampilan loket %d tersambung kembali; menampilkan %s", counter, wanted or "-"
                )
            elif not ok and not was_failing:
                self._failing.add(counter)
                logger.warning(
                    "Tampilan loket %d tidak menerima data; dikirim ulang saat tersambung",
                    counter,
                )

    def _send(self, counter: int, code: str | None) -> bool:
        try:
            return bool(self._drivers[counter].show(counter, code))
        except Exception:  # a faulty driver must not starve the other counters
            logger.exception("Driver tampilan loket %d gagal", counter)
            return False
