"""Every route in one table; handlers call operations, the request commits at its end."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from antrian.api.openapi import openapi_document
from antrian.auth import api_staff_required, current_staff
from antrian.models import Ticket
from antrian.operations import (
    OperationError,
    call_next,
    estimated_wait_minutes,
    find_service,
    find_ticket_by_token,
    finish,
    issue_ticket,
    people_ahead,
    recall,
    skip,
    start_service,
    transfer,
)
from antrian.operations.calls import reactivate
from antrian.operations.queries import queue_state
from antrian.operations.tickets import status_url
from antrian.ratelimit import issue_limit, limiter
from antrian.web import database, db_session, public_base, request_now

api = Blueprint("api", __name__, url_prefix="/api/v1")


def error(code: str, message: str, status: int):
    return jsonify(error=code, message=message), status


@api.errorhandler(OperationError)
def _operation_error(err: OperationError):
    return error(err.code, err.message, err.status)


@api.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    messages = {404: "Alamat tidak ditemukan.", 405: "Metode tidak diizinkan."}
    return error(
        err.name.lower().replace(" ", "_"), messages.get(err.code, err.description), err.code or 500
    )


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise OperationError("Isi permintaan harus JSON berupa objek.", code="bad_json")
    return body


def ticket_json(ticket: Ticket, session=None) -> dict:
    session = session or db_session()
    ahead = getattr(ticket, "ahead_at_issue", None)
    if ahead is None:
        ahead = people_ahead(session, ticket)
    waiting = ticket.status == "waiting"
    return {
        "id": ticket.id,
        "code": ticket.code,
        "number": ticket.number,
        "service": ticket.service.code,
        "status": ticket.status,
        "priority": ticket.priority,
        "issued_at": ticket.issued_dt.isoformat(),
        "position": ahead + 1 if waiting else 0,
        "estimated_wait_minutes": estimated_wait_minutes(session, ticket, ahead) if waiting else 0,
        "counter": ticket.counter.number if ticket.counter else None,
        "token": ticket.token,
        "status_url": status_url(public_base(), ticket.token),
    }


@api.post("/tickets")
@limiter.limit(issue_limit)
def create_ticket():
    body = json_body()
    service, priority = body.get("service"), body.get("priority")
    if not isinstance(service, str) or not service:
        raise OperationError("Kolom 'service' wajib diisi, misalnya \"A\".", code="bad_service")
    if priority is not None and not isinstance(priority, str):
        raise OperationError("Kolom 'priority' harus teks atau null.", code="bad_priority")
    # The lookup reads outside the write transaction, and the commit comes before the
    # response is built: the SQLite write lock is held only for the writes themselves.
    with database().read() as lookup:
        found = find_service(lookup, service)
    session = db_session()
    ticket = issue_ticket(
        session,
        found,
        priority,
        None,
        request_now(),
        actor="api",
        public_base=public_base(),
        idempotency_key=request.headers.get("Idempotency-Key"),
        print_on="kiosk" if body.get("print", True) else None,
    )
    session.commit()
    status = 200 if getattr(ticket, "replayed", False) else 201
    with database().read() as reading:
        return jsonify(ticket_json(ticket, reading)), status


@api.get("/tickets/<token>")
def get_ticket(token: str):
    return jsonify(ticket_json(find_ticket_by_token(db_session(), token)))


@api.get("/queue")
def get_queue():
    return jsonify(queue_state(db_session(), request_now()))


@api.post("/counters/<int:number>/call-next")
@api_staff_required
def counter_call_next(number: int):
    ticket = call_next(db_session(), number, current_staff(), request_now())
    return jsonify(ticket_json(ticket))


def _ticket_action(operation):
    def view(ticket_id: int):
        ticket = operation(db_session(), ticket_id, current_staff(), request_now())
        return jsonify(ticket_json(ticket))

    view.__name__ = f"ticket_{operation.__name__}"
    return api_staff_required(view)


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
@api_staff_required
def ticket_transfer(ticket_id: int):
    target = json_body().get("service")
    if not isinstance(target, str) or not target:
        raise OperationError("Kolom 'service' tujuan wajib diisi.", code="bad_service")
    ticket = transfer(db_session(), ticket_id, target, current_staff(), request_now())
    return jsonify(ticket_json(ticket))


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
