"""/api/v1/cases: the case desk for other programs, with the console's rules (operations)."""

from __future__ import annotations

from flask import jsonify, request

from antrian.api.routes import api, json_body
from antrian.auth import api_role_required, current_staff
from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.cases.models import Case
from antrian.input_guard import json_id
from antrian.operations import OperationError
from antrian.operations.tickets import status_url
from antrian.roles import CASE_WORKERS, READERS
from antrian.web import db_session, public_base, request_now


@api.errorhandler(cases.FieldErrors)
def _field_errors(err: cases.FieldErrors):
    return jsonify(error=err.code, message=err.message, fields=err.errors), err.status


def _iso(dt) -> str | None:
    return dt.isoformat() if dt else None


def case_json(case: Case) -> dict:
    now = request_now()
    return {
        "id": case.id,
        "ticket": case.ticket.code if case.ticket else None,
        "status": case.status,
        "team": case.team,
        "applicant_name": case.applicant_name,
        "personal_data": cases.masked(case),
        "legal_form": case.legal_form,
        "business_name": case.business_name,
        "business_address": case.business_address,
        "kbli": case.kbli,
        "notes": case.notes,
        "receipt_number": case.receipt_number,
        "nib": case.nib,
        "opened_at": _iso(case.opened_dt),
        "closed_at": _iso(case.closed_dt),
        "status_url": status_url(public_base(), case.token),
        "steps": [
            {
                "step": row.step,
                "title": steps.STEPS[row.step].title,
                "standard_minutes": steps.STEPS[row.step].standard_minutes,
                "started_at": _iso(row.started_dt),
                "ended_at": _iso(row.ended_dt),
                "minutes": round(steps.step_clock(row, now).minutes, 1),
                "clock": steps.step_clock(row, now).state,
                "staff": row.staff.username if row.staff else None,
                "outputs": row.outputs,
            }
            for row in case.steps
        ],
        "total": {
            "minutes": round(steps.total_clock(case, now).minutes, 1),
            "standard_minutes": steps.TOTAL_STANDARD_MINUTES,
            "clock": steps.total_clock(case, now).state,
        },
        "assignments": [
            {"team": a.team, "note": a.note, "at": _iso(a.assigned_dt)} for a in case.assignments
        ],
    }


def _fresh(case_id: int, status: int = 200):
    session = db_session()
    session.flush()
    return jsonify(case_json(cases.find_case(session, case_id, fresh=True))), status


@api.get("/cases")
@api_role_required(*READERS)
def list_cases():
    team = request.args.get("team", "front_office")
    if team not in cases.TEAMS:
        raise OperationError("Tim tidak dikenal.", code="unknown_team")
    return jsonify([case_json(c) for c in cases.cases_of_team(db_session(), team)])


@api.post("/cases")
@api_role_required(*CASE_WORKERS)
def create_case():
    body = json_body()
    ticket_id = body.get("ticket_id")
    if ticket_id is not None:
        ticket_id = json_id(ticket_id)
        if ticket_id is None:
            raise OperationError(
                "Kolom 'ticket_id' harus nomor tiket (bilangan bulat) atau null.", code="bad_ticket"
            )
    session, who, now = db_session(), current_staff(), request_now()
    case = cases.open_case(session, who, now, ticket_id=ticket_id)
    if body.get("applicant"):
        cases.update_applicant(session, case.id, _fields(body["applicant"]), who, now)
    return _fresh(case.id, 201)


@api.get("/cases/<int:case_id>")
@api_role_required(*READERS)
def get_case(case_id: int):
    return jsonify(case_json(cases.find_case(db_session(), case_id)))


@api.patch("/cases/<int:case_id>")
@api_role_required(*CASE_WORKERS)
def update_case(case_id: int):
    cases.update_applicant(
        db_session(), case_id, _fields(json_body()), current_staff(), request_now()
    )
    return _fresh(case_id)


@api.post("/cases/<int:case_id>/steps/<int:step>/start")
@api_role_required(*CASE_WORKERS)
def start_step(case_id: int, step: int):
    steps.start_step(db_session(), case_id, step, current_staff(), request_now())
    return _fresh(case_id)


@api.post("/cases/<int:case_id>/steps/<int:step>/finish")
@api_role_required(*CASE_WORKERS)
def finish_step(case_id: int, step: int):
    body = json_body()
    outputs = body.get("outputs") or {}
    counter = body.get("counter")  # the desk that prints the slip; else the case's counter
    steps.finish_step(
        db_session(),
        case_id,
        step,
        outputs,
        current_staff(),
        request_now(),
        public_base=public_base(),
        counter=counter if type(counter) is int and 0 < counter < 2**31 else None,
    )
    return _fresh(case_id)


@api.post("/cases/<int:case_id>/steps/<int:step>/correct")
@api_role_required(*CASE_WORKERS)
def correct_step(case_id: int, step: int):
    body = json_body()
    steps.correct_step(
        db_session(),
        case_id,
        step,
        body.get("outputs") or {},
        str(body.get("reason") or ""),
        current_staff(),
        request_now(),
    )
    return _fresh(case_id)


@api.post("/cases/<int:case_id>/assign")
@api_role_required(*CASE_WORKERS)
def assign_case(case_id: int):
    body = json_body()
    cases.assign(
        db_session(),
        case_id,
        str(body.get("team") or ""),
        str(body.get("note") or ""),
        current_staff(),
        request_now(),
    )
    return _fresh(case_id)


@api.post("/cases/<int:case_id>/reveal")
@api_role_required(*CASE_WORKERS)
def reveal_case(case_id: int):
    """The clear personal data; the event log records who asked, when, for which case."""
    clear = cases.reveal_personal_data(db_session(), case_id, current_staff(), request_now())
    return jsonify(clear)


def _fields(given) -> dict[str, str]:
    if not isinstance(given, dict):
        raise OperationError("Data pemohon harus objek JSON.", code="bad_json")
    return {k: "" if v is None else str(v) for k, v in given.items()}
