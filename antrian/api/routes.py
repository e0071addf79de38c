"""Every route in one table; handlers call operations, the request commits at its end."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from antrian.api.openapi import openapi_document
from antrian.auth import api_role_required, current_staff
from antrian.input_guard import json_id, json_object
from antrian.models import Counter, Ticket
from antrian.operations import (
    OperationError,
    call_next,
    call_ticket,
    find_ticket_by_token,
    finish,
    issue_ticket,
    pause_counter,
    recall,
    resume_counter,
    skip,
    start_service,
    transfer,
)
from antrian.operations.calls import find_counter, reactivate
from antrian.operations.queries import queue_state, waiting_at
from antrian.operations.rate_limits import TooManyRequests
from antrian.operations.tickets import TicketSummary, status_url
from antrian.queue.opening import Closed, refuse_if_closed
from antrian.ratelimit import client_address, issue_rate
from antrian.web import db_session, public_base, request_now

api = Blueprint("api", __name__, url_prefix="/api/v1")


def error(code: str, message: str, status: int):
    return jsonify(error=code, message=message), status


@api.errorhandler(OperationError)
def _operation_error(err: OperationError):
    if isinstance(err, Closed):  # closed or past the quota: say when numbers are given again
        resumes = err.resumes_at.isoformat() if err.resumes_at else None
        return jsonify(error=err.code, message=err.message, resumes_at=resumes), err.status
    response = error(err.code, err.message, err.status)
    if isinstance(err, TooManyRequests):
        response[0].headers["Retry-After"] = str(err.retry_after)
    return response


def json_body() -> dict:
    """The request's JSON object (antrian/input_guard.py: size, depth and NUL checked)."""
    return json_object()


def ticket_json(ticket: Ticket | TicketSummary) -> dict:
    summary = (
        ticket if isinstance(ticket, TicketSummary) else TicketSummary.of(db_session(), ticket)
    )
    return {
        "id": summary.id,
        "code": summary.code,
        "number": summary.number,
        "service": summary.service,
        "status": summary.status,
        "priority": summary.priority,
        "issued_at": summary.issued_dt.isoformat(),
        "position": summary.position,
        "estimated_wait_minutes": summary.estimated_wait_minutes,
        "counter": summary.counter,
        "token": summary.token,
        "lang": summary.lang,
        "status_url": status_url(public_base(), summary.token),
    }


@api.post("/tickets")
def create_ticket():
    body = json_object()
    service, priority = body.get("service"), body.get("priority")
    if not isinstance(service, str) or not service:
        raise OperationError("Kolom 'service' wajib diisi, misalnya \"A\".", code="bad_service")
    if priority is not None and not isinstance(priority, str):
        raise OperationError("Kolom 'priority' harus teks atau null.", code="bad_priority")
    session = db_session()
    if current_app.config["ANTRIAN"].opening_hours:
        refuse_if_closed(session, request_now())
    issued = issue_ticket(
        session,
        service,
        priority,
        None,
        request_now(),
        actor="api",
        public_base=public_base(),
        idempotency_key=request.headers.get("Idempotency-Key"),
        print_on="kiosk" if body.get("print", True) else None,
        lang=body.get("lang") or "id",
        client=client_address(),
        rate=issue_rate(),
    )
    # Commit before building the answer: the SQLite write lock is held for the writes only.
    session.commit()
    return jsonify(ticket_json(issued)), 200 if issued.replayed else 201


@api.get("/tickets/<token>")
def get_ticket(token: str):
    return jsonify(ticket_json(find_ticket_by_token(db_session(), token)))


@api.get("/queue")
def get_queue():
    return jsonify(queue_state(db_session(), request_now()))


@api.post("/counters/<int:number>/call-next")
@api_role_required("front_office")
def counter_call_next(number: int):
    ticket = call_next(db_session(), number, current_staff(), request_now())
    return jsonify(ticket_json(ticket))


@api.post("/counters/<int:number>/call")
@api_role_required("front_office")
def counter_call_ticket(number: int):
    """Call one waiting ticket out of order; the reason is kept in the event log."""
    body = json_body()
    ticket_id, reason = json_id(body.get("ticket_id")), body.get("reason")
    if ticket_id is None:
        raise OperationError("Kolom 'ticket_id' wajib berupa angka.", code="bad_ticket_id")
    if not isinstance(reason, str):
        raise OperationError("Kolom 'reason' (alasan) wajib diisi.", code="reason_required")
    ticket = call_ticket(db_session(), number, ticket_id, reason, current_staff(), request_now())
    return jsonify(ticket_json(ticket))


@api.get("/counters/<int:number>/waiting")
@api_role_required("front_office")
def counter_waiting(number: int):
    """What the desk's waiting list shows: every waiting ticket, how long, its answers."""
    session = db_session()
    counter = find_counter(session, number)
    return jsonify(
        counter=counter_json(counter),
        waiting=[
            {
                "id": w.ticket.id,
                "code": w.ticket.code,
                "service": w.ticket.service.code,
                "priority": w.ticket.priority,
                "issued_at": w.ticket.issued_dt.isoformat(),
                "waited_minutes": w.waited_minutes,
                "checklist": w.ticket.checklist,
            }
            for w in waiting_at(session, counter, request_now())
        ],
    )


@api.post("/counters/<int:number>/pause")
@api_role_required("front_office")
def counter_pause(number: int):
    reason = json_body().get("reason")
    counter = pause_counter(
        db_session(),
        number,
        reason if isinstance(reason, str) else "",
        current_staff(),
        request_now(),
    )
    return jsonify(counter_json(counter))


@api.post("/counters/<int:number>/resume")
@api_role_required("front_office")
def counter_resume(number: int):
    return jsonify(
        counter_json(resume_counter(db_session(), number, current_staff(), request_now()))
    )


def counter_json(counter: Counter) -> dict:
    return {
        "number": counter.number,
        "name": counter.name,
        "paused": counter.paused_reason is not None,
        "pause_reason": counter.paused_reason,
        "paused_at": counter.paused_dt.isoformat() if counter.paused_dt else None,
    }


def acting_counter(body: dict) -> int | None:
    """The desk a ticket action comes from (`"counter": 3`); None when not named (only an
    admin may act so, antrian/operations/calls.py records it)."""
    if body.get("counter") is None:
        return None
    counter = json_id(body["counter"])
    if counter is None:
        raise OperationError("Kolom 'counter' harus nomor loket.", code="bad_counter")
    return counter


def _optional_body() -> dict:
    return json_object() if request.get_data(cache=True).strip() else {}


def _ticket_action(operation):
    def view(ticket_id: int):
        counter = acting_counter(_optional_body())
        ticket = operation(
            db_session(), ticket_id, current_staff(), request_now(), at_counter=counter
        )
        return jsonify(ticket_json(ticket))

    view.__name__ = f"ticket_{operation.__name__}"
    return api_role_required("front_office")(view)


for _path, _op in [
    ("recall", recall),
    ("skip", skip),
    ("start", start_service),
    ("finish", finish),
    ("reactivate", reactivate),
]:
    api.add_url_rule(
        f"/tickets/<int:ticket_id>/{_path}", view_func=_ticket_action(_op), methods=["POST"]
    )


@api.post("/tickets/<int:ticket_id>/transfer")
@api_role_required("front_office")
def ticket_transfer(ticket_id: int):
    body = json_object()
    target, counter = body.get("service"), acting_counter(body)
    if not isinstance(target, str) or not target:
        raise OperationError("Kolom 'service' tujuan wajib diisi.", code="bad_service")
    ticket = transfer(
        db_session(), ticket_id, target, current_staff(), request_now(), at_counter=counter
    )
    return jsonify(ticket_json(ticket))


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@api.get("/")
def index():
    """Where to go from here: every part of the API, with what it does."""
    document = openapi_document()
    base = request.script_root + api.url_prefix
    return jsonify(
        name=document["info"]["title"],
        version=document["info"]["version"],
        openapi=base + "/openapi.json",
        links=[
            {"href": base + path, "method": method.upper(), "summary": operation["summary"]}
            for path, operations in document["paths"].items()
            if path != "/"
            for method, operation in operations.items()
        ],
    )
