"""Server-Sent Events over the event log.

A stream sends a snapshot (or, for a browser that reconnects with Last-Event-ID, every event it
missed), then each new event with `id:` = the event's id. The notifier only wakes the stream;
rows are read from the log, so a wake-up lost between processes costs at most one heartbeat.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, request, stream_with_context

from antrian.event_feed import EventFeed
from antrian.events import Notifier, events_after, latest_event_id
from antrian.models import Event
from antrian.web import database

Formatter = Callable[[Event], tuple[str, str] | None]
Snapshot = Callable[[object], str]

# Beyond this many missed events a fresh snapshot is cheaper and as correct as a replay.
MAX_REPLAY = 500


def frame(event: str, data: str, event_id: int | None = None) -> str:
    lines = [f"id: {event_id}"] if event_id is not None else []
    lines.append(f"event: {event}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


def _resume_from() -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


class StreamSlots:
    """Each open stream holds a server thread; past its kind's cap, new ones are told to come
    back. Displays and desks have caps of their own (DISPLAY_STREAMS, STAFF_STREAMS): anybody
    can open a display stream, so a crowd of them must never take the desks' places, and the
    server keeps threads beyond both caps for the kiosk and every other request."""

    def __init__(self, limit: int):
        self.limit = limit
        self.open = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.open >= self.limit:
                return False
            self.open += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.open -= 1


def sse_response(format_event: Formatter, snapshot: Snapshot, kind: str = "display") -> Response:
    """`kind` is "display" (anonymous screens) or "staff" (logged-in desks): its own cap."""
    db = database()
    notifier: Notifier = current_app.extensions["antrian.notifier"]
    heartbeat = current_app.config.get("SSE_HEARTBEAT_SECONDS", 15.0)
    # A stream ends after a while and the browser resumes it with Last-Event-ID: a TV switched
    # off without closing its connection frees its thread within this time.
    max_age = current_app.config.get("SSE_MAX_AGE_SECONDS", 900.0)
    cap = current_app.config["STAFF_STREAMS" if kind == "staff" else "DISPLAY_STREAMS"]
    slots: StreamSlots = current_app.extensions.setdefault(
        f"antrian.stream_slots.{kind}", StreamSlots(cap)
    )
    slots.limit = cap  # the setting may change at run time (tests, an admin)
    if not slots.take():
        busy = Response("retry: 5000\n\n", status=503, mimetype="text/event-stream")
        busy.headers["Retry-After"] = "5"
        return busy
    resume = _resume_from()
    feed = current_app.extensions.get("antrian.event_feed")
    if feed is None:
        feed = current_app.extensions.setdefault("antrian.event_feed", EventFeed(db, notifier))

    def generate() -> Iterator[str]:
        try:
            yield from _stream(
                db, feed, notifier, heartbeat, max_age, resume, format_event, snapshot
            )
        finally:
            slots.give_back()

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _stream(db, feed, notifier, heartbeat, max_age, resume, format_event, snapshot):
    yield "retry: 2000\n\n"
    seen = notifier.seq
    with db.read() as session:
        head = latest_event_id(session)
        if resume is None or resume > head or head - resume > MAX_REPLAY:
            yield frame("snapshot", snapshot(session), head)
            cursor = head
        else:
            cursor = resume
    ends_at = time.monotonic() + max_age
    while time.monotonic() < ends_at:
        batch = feed.after(cursor)
        if batch is None:  # resuming from further back than the shared feed remembers
            with db.read() as session:
                batch = events_after(session, cursor)
        frames = []
        for ev in batch:
            cursor = ev.id
            formatted = format_event(ev)
            if formatted is not None:
                frames.append(frame(formatted[0], formatted[1], ev.id))
        if frames:
            # One write for what one wake-up found: fifty streams each sending a call and its
            # board change as one chunk keep the server's writes (and its loop's turns) halved.
            yield "".join(frames)
        if batch:
            continue  # there may be more; read again before sleeping
        latest = notifier.wait(seen, heartbeat)
        if latest == seen:
            # A named event (not a comment) so the page can tell a live stream from a dead one.
            yield "event: heartbeat\ndata: 1\n\n"
        seen = latest
    # Time to end this stream; the id makes the browser's reconnect resume right here.
    yield f"id: {cursor}\nevent: heartbeat\ndata: 1\n\n"
