"""Admission control: at most a few requests run the application at once, first come first in.

Every request thread of a gunicorn worker competes for one interpreter lock (the GIL). With 16
kiosks posting at once, 16 threads took turns in no particular order and each SQLite call or
socket write could hand the interpreter to any of them: the answers spread from 30 to 120 ms
(bench.issue_tickets). A few slots given out strictly in arrival order keep the others asleep
in a queue, where they cost nothing, and serve them in turn.

The slot covers the view only: the request body is read off the socket before queueing (up to
2 MB), and the answer is sent after the slot is given back, so a slow client never holds one;
a display's event stream returns its generator at once and gives the slot back before it
starts streaming.
"""

from __future__ import annotations

import io
import threading
from collections import deque


class FairSemaphore:
    """`slots` holders at most; release hands a slot to the longest waiter (no barging)."""

    def __init__(self, slots: int) -> None:
        self._mutex = threading.Lock()
        self._free = slots
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if self._free and not self._waiters:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by release(), which passed its slot to us

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1


PREREAD_LIMIT = 2_000_000  # bytes; the largest form is a logo upload (1 MB)


class AdmissionMiddleware:
    def __init__(self, app, slots: int) -> None:
        self.app = app
        self.gate = FairSemaphore(slots)

    def __call__(self, environ, start_response):
        _read_body_first(environ)
        self.gate.acquire()
        try:
            return self.app(environ, start_response)
        finally:
            self.gate.release()


def _read_body_first(environ) -> None:
    """Take the request body off the socket before queueing for a slot: a client that sends it
    slowly must not hold a slot (and the server) while it does."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if 0 < length <= PREREAD_LIMIT:
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
