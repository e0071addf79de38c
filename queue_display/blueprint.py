"""The lobby display (/display): board, SSE stream, state for the polling fallback, speech."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file
from sqlalchemy import select

from antrian.i18n import DEFAULT_LANGUAGE
from antrian.input_guard import int_arg
from antrian.models import Call, Event
from antrian.operations.queries import queue_state
from antrian.settings_store import current_office
from antrian.streaming import sse_response
from antrian.web import db_session, request_now
from queue_display.announce.phrase import call_phrase
from queue_display.announce.speech import SpeechCache

display = Blueprint(
    "display",
    __name__,
    url_prefix="/display",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
phrase_api = Blueprint("phrase_api", __name__, url_prefix="/api/v1")

CALL_KINDS = {"ticket.called": "call", "ticket.recalled": "recall"}
POLL_PAGE = 50


def speech_cache() -> SpeechCache:
    cache = current_app.extensions.get("antrian.speech")
    if cache is None:
        cache = SpeechCache(Path(current_app.instance_path) / "speech")
        current_app.extensions["antrian.speech"] = cache
    return cache


def speech_url(code: str, counter: int, text: str, lang: str) -> str | None:
    """Where the display fetches the spoken phrase. Nothing is synthesized here: this runs in
    every display's stream, and espeak-ng runs once per phrase, in the background."""
    cache = speech_cache()
    if not cache.available:
        return None
    key = cache.key(text, lang)
    warming = _message_cache().warming
    if key not in warming:
        warming.add(key)
        threading.Thread(target=cache.synthesize, args=(text, lang), daemon=True).start()
    query = urlencode({"code": code, "counter": counter, "lang": lang})
    return f"/display/speech/{key}.wav?{query}"


class BoardFilter:
    """`?services=A,B&counters=1,2`: a display that shows only part of the office."""

    def __init__(self, args):
        self.services = {
            s.strip().upper() for s in args.get("services", "").split(",") if s.strip()
        }
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        self.counters = {
            int(c) for c in args.get("counters", "").split(",") if c.strip().isdecimal()
        }
        self.lang = "en" if args.get("lang") == "en" else "id"

    def allows(self, service: str | None, counter: int | None) -> bool:
        if self.services and service not in self.services:
            return False
        return not (self.counters and counter is not None and counter not in self.counters)

    def apply(self, state: dict) -> dict:
        state["services"] = [s for s in state["services"] if self.allows(s["code"], None)]
        state["counters"] = [
            c for c in state["counters"] if not self.counters or c["number"] in self.counters
        ]
        state["last_calls"] = [
            c for c in state["last_calls"] if not self.counters or c["counter"] in self.counters
        ]
        return state


class MessageCache:
    """Call messages built once per event and language, however many displays stream them."""

    def __init__(self, size: int = 1024):
        self.size = size
        self.items: OrderedDict[tuple[int, str], dict] = OrderedDict()
        self.lock = threading.Lock()
        self.warming: set[str] = set()  # speech keys already being synthesized


def _message_cache() -> MessageCache:
    cache = current_app.extensions.get("antrian.call_messages")
    if cache is None:
        cache = current_app.extensions.setdefault("antrian.call_messages", MessageCache())
    return cache


def call_message(event_id: int, data: dict, kind: str, board_lang: str) -> dict:
    """The call as a display announces it: in the board's language (`?lang=`), except that a
    ticket taken in another language than Indonesian is called in that one (a visitor who
    chose English hears English on the Indonesian board)."""
    ticket_lang = data.get("lang") or DEFAULT_LANGUAGE
    lang = board_lang if ticket_lang == DEFAULT_LANGUAGE else ticket_lang
    cache = _message_cache()
    with cache.lock:
        cached = cache.items.get((event_id, lang))
    if cached is not None:
        return cached
    message = _build_call_message(event_id, data, kind, lang)
    with cache.lock:
        cache.items[(event_id, lang)] = message
        while len(cache.items) > cache.size:
            cache.items.popitem(last=False)
    return message


def _build_call_message(event_id: int, data: dict, kind: str, lang: str) -> dict:
    phrase = call_phrase(data["code"], data["counter"], lang)
    return {
        "id": event_id,
        "kind": kind,
        "code": data["code"],
        "counter": data["counter"],
        "counter_name": data.get("counter_name"),
        "service": data.get("service"),
        "phrase": phrase,
        "lang": lang,
        "audio_url": speech_url(data["code"], data["counter"], phrase, lang),
    }


def board_state(session, board: BoardFilter) -> dict:
    state = board.apply(queue_state(session, request_now()))
    office = current_office()  # the admin may have changed the running text since the load
    state["running_text"], state["office_name"] = office.running_text, office.name
    state["last_call_id"] = session.scalar(select(Call.id).order_by(Call.id.desc()).limit(1))
    return state


@display.get("/")
def board():
    board_filter = BoardFilter(request.args)
    return render_template(
        "display/board.html", state=board_state(db_session(), board_filter), board=board_filter
    )


@display.get("/state.json")
def state_json():
    """The polling fallback: the board's state plus the recent call events to announce."""
    board_filter = BoardFilter(request.args)
    session = db_session()
    since = int_arg("after")
    state = board_state(session, board_filter)
    head = session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0
    state["calls"], state["last_event_id"] = [], head
    if since:  # a board that knows nothing yet (0 or absent) shows the state, announces nothing
        # Oldest first, a page at a time: after a long cut every call is announced, in order.
        missed = session.scalars(
            select(Event)
            .where(Event.kind.in_(CALL_KINDS), Event.id > since)
            .order_by(Event.id)
            .limit(POLL_PAGE)
        ).all()
        state["calls"] = [
            call_message(ev.id, ev.data, CALL_KINDS[ev.kind], board_filter.lang)
            for ev in missed
            if board_filter.allows(ev.data.get("service"), ev.data.get("counter"))
        ]
        if len(missed) == POLL_PAGE:
            state["last_event_id"] = missed[-1].id  # the next poll continues from here
    return jsonify(state)


@display.get("/events")
def events():
    board_filter = BoardFilter(request.args)
    now = request_now()

    def snapshot(session) -> str:
        state = board_filter.apply(queue_state(session, now))
        return json.dumps(state, ensure_ascii=False)

    def format_event(ev: Event):
        if ev.kind == "settings.changed":  # the running text or the office's name: refetch
            return "changed", json.dumps({"id": ev.id, "kind": ev.kind})
        if not ev.kind.startswith(("ticket.", "counter.")):
            return None
        if not board_filter.allows(ev.data.get("service"), ev.data.get("counter")):
            return None
        if ev.kind in CALL_KINDS:
            msg = call_message(ev.id, ev.data, CALL_KINDS[ev.kind], board_filter.lang)
            return "call", json.dumps(msg, ensure_ascii=False)
        # Anything else only changes counts or who is served: the board refetches its state.
        return "changed", json.dumps(
            {
                "id": ev.id,
                "kind": ev.kind,
                "code": ev.data.get("code"),
                "counter": ev.data.get("counter"),
                "status": ev.data.get("status"),
            }
        )

    return sse_response(format_event, snapshot)


@display.get("/speech/<key>.wav")
def speech(key: str):
    """The spoken call; made on demand when the background run has not finished yet."""
    cache = speech_cache()
    try:
        path = cache.path_for(key)
    except ValueError:
        abort(404)
    if not path.exists():
        try:
            text = call_phrase(
                request.args.get("code", ""),
                request.args.get("counter", ""),
                request.args.get("lang", "id"),
            )
        except ValueError:
            abort(404)
        # Only the phrase the key names: the URL cannot make the server say anything else.
        if cache.key(text, request.args.get("lang", "id")) != key or not cache.synthesize(
            text, request.args.get("lang", "id")
        ):
            abort(404)
    return send_file(path, mimetype="audio/wav", max_age=86400)


@phrase_api.get("/phrase")
def phrase():
    try:
        text = call_phrase(
            request.args.get("code", ""),
            request.args.get("counter", ""),
            request.args.get("lang", "id"),
        )
    except ValueError as exc:
        return jsonify(error="bad_phrase", message=str(exc)), 400
    return jsonify(text=text)
