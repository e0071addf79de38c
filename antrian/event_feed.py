"""One reader of the event log per process, shared by every open stream.

Fifty displays woken by one call used to run fifty (twice: a hundred) identical queries; the
feed reads the new rows once and hands them to every stream from memory. Streams that resume
from further back than the feed remembers read the database themselves.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from antrian.db import Database
from antrian.events import Notifier, events_after, latest_event_id
from antrian.models import Event

# A stream that saw nothing for this long rereads the log even without a wake-up, in case a
# notification from another process was lost (the rows are the truth, not the notifications).
STALE_AFTER_SECONDS = 5.0


class EventFeed:
    def __init__(self, db: Database, notifier: Notifier, size: int = 2000):
        self.db = db
        self.notifier = notifier
        self._events: deque[Event] = deque(maxlen=size)
        self._lock = threading.Lock()  # guards the deque and the bookkeeping below
        self._read_lock = threading.Lock()  # one database read at a time
        self._complete_after: int | None = None  # every event with a larger id is in memory
        self._read_seq = -1
        self._read_at = 0.0

    def after(self, cursor: int) -> list[Event] | None:
        """Events with id > cursor, oldest first; None when the caller must read the database."""
        self._refresh()
        with self._lock:
            if self._complete_after is None or cursor < self._complete_after:
                return None
            # From the newest back: a stream that is up to date looks at the new rows only, not
            # at the whole morning the feed remembers.
            fresh = []
            for ev in reversed(self._events):
                if ev.id <= cursor:
                    break
                fresh.append(ev)
            fresh.reverse()
            return fresh

    def _refresh(self) -> None:
        seq = self.notifier.seq
        if seq == self._read_seq and time.monotonic() - self._read_at < STALE_AFTER_SECONDS:
            return
        with self._read_lock:
            if seq == self._read_seq and time.monotonic() - self._read_at < STALE_AFTER_SECONDS:
                return  # another stream read while this one waited
            with self.db.read() as session:
                if self._complete_after is None:
                    self._complete_after = latest_event_id(session)
                    fresh: list[Event] = []
                else:
                    fresh = self._read_new(session)
            with self._lock:
                for ev in fresh:
                    if len(self._events) == self._events.maxlen:
                        self._complete_after = self._events[0].id
                    self._events.append(ev)
            self._read_seq, self._read_at = seq, time.monotonic()

    def _read_new(self, session) -> list[Event]:
        last = self._events[-1].id if self._events else self._complete_after
        fresh: list[Event] = []
        while batch := events_after(session, last):
            fresh.extend(batch)
            last = batch[-1].id
            if len(batch) < 500:
                break
        return fresh
