"""Counter displays follow the event log: each shows the code its counter is serving.

The service reads events after the last id it saw, woken by the app's Notifier (in-process
commits, or PostgreSQL NOTIFY from other workers) and otherwise every `poll` seconds (SQLite
with several workers has no cross-process wake-up). On any ticket event it recomputes the
whole picture from `queue_state`, the same truth the lobby board shows, and hands it to the
CounterDisplayBank, which writes only what changed and re-sends to a display that was unplugged
as soon as it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from antrian.clock import utcnow
from antrian.db import Database
from antrian.events import Notifier, events_after, latest_event_id
from antrian.operations.queries import queue_state

log = logging.getLogger("antrian.devices")


def serving_codes(db: Database, now: datetime) -> dict[int, str | None]:
    with db.read() as session:
        state = queue_state(session, now, last_calls=0)
    return {counter["number"]: counter["serving"] for counter in state["counters"]}


class CounterDisplayService:
    def __init__(
        self,
        db: Database,
        bank,
        notifier: Notifier | None = None,
        *,
        stop: threading.Event | None = None,
        poll: float = 2.0,
        refresh_interval: float = 1.0,
        resend_seconds: float = 30.0,
        resync_seconds: float = 60.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.bank = bank
        self.notifier = notifier
        self.stop_event = stop or threading.Event()
        self.poll = poll
        self.refresh_interval = refresh_interval
        self.resend_seconds = resend_seconds  # an idle display that was switched off and on
        # Without events the picture still changes once a day: yesterday's tickets drop off.
        self.resync_seconds = resync_seconds
        self.clock = clock
        self.cursor: int | None = None
        self._synced = 0.0
        self._thread: threading.Thread | None = None

    def sync(self) -> None:
        self.bank.apply(serving_codes(self.db, self.clock()))

    def step(self) -> bool:
        """Read new events once; returns True when there were any (read again at once)."""
        if self.cursor is None:
            with self.db.read() as session:
                self.cursor = latest_event_id(session)
            self.sync()
            self._synced = time.monotonic()
        with self.db.read() as session:
            batch = events_after(session, self.cursor)
        if batch:
            self.cursor = batch[-1].id
            if any(ev.kind.startswith("ticket.") for ev in batch):
                self.sync()
                self._synced = time.monotonic()
            return True
        if time.monotonic() - self._synced >= self.resync_seconds:
            self.sync()
            self._synced = time.monotonic()
        return False

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self.bank.start(self.refresh_interval, self.resend_seconds)
        self._thread = threading.Thread(target=self._run, name="counter-displays", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        if self.notifier is not None:
            self.notifier.wake()  # leave the wait at once instead of after `poll`
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.bank.close()

    def _run(self) -> None:
        while not self.stop_event.is_set():
            # Taken before reading: a commit between the read and the wait is not missed.
            seen = self.notifier.seq if self.notifier is not None else 0
            try:
                if self.step():
                    continue
            except Exception:  # noqa: BLE001 - displays must outlive a database hiccup
                log.exception("Tampilan loket: gagal membaca antrean; mencoba lagi")
                self.cursor = None  # start again from a fresh picture
            if self.notifier is not None:
                self.notifier.wait(seen, self.poll)
            else:
                self.stop_event.wait(self.poll)
