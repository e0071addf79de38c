"""/api/v1/complaints and /api/v1/surveys: the complaint and survey operations for other
programs. Registered on the same blueprint as routes.py (its error handlers apply)."""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, request

from antrian.api.routes import api, json_body
from antrian.auth import api_role_required, current_staff
from antrian.clock import local
from antrian.feedback.complaints import (
    ComplaintForm,
    change_complaint,
    find_complaint_by_token,
    submit_complaint,
)
from antrian.feedback.models import Complaint
from antrian.feedback.queries import ComplaintRow, complaint_row, complaint_rows
from antrian.feedback.skm import ikm_report
from antrian.feedback.surveys import submit_survey
from antrian.operations import Invalid, OperationError, find_service, find_ticket_by_token
from antrian.ratelimit import complaint_limit, limiter
from antrian.roles import COMPLAINT_WORKERS, READERS
from antrian.web import db_session, public_base, request_now


def _target_days() -> int:
    return current_app.config["ANTRIAN"].complaint_target_days


def public_complaint_json(complaint: Complaint) -> dict:
    """What anyone holding the complaint's link may read: no name, no phone."""
    return {
        "code": complaint.code,
        "status": complaint.status,
        "category": complaint.category,
        "received_at": complaint.received_dt.isoformat(),
        "answer": complaint.answer,
        "answered_at": complaint.answered_dt.isoformat() if complaint.answered_dt else None,
        "token": complaint.token,
        "status_url": f"{public_base()}/pengaduan/{complaint.token}",
    }


def staff_complaint_json(row: ComplaintRow) -> dict:
    c = row.complaint
    return public_complaint_json(c) | {
        "id": c.id,
        "channel": c.channel,
        "text": c.text,
        "name": c.name,
        "phone_masked": row.phone_masked or None,
        "handler": c.handler.username if c.handler else None,
        "deadline": row.deadline.isoformat(),
        "late": row.late,
        "working_days_to_answer": row.days_to_answer,
    }


@api.post("/complaints")
@limiter.limit(complaint_limit)
def create_complaint():
    body = json_body()
    texts = {k: body.get(k) for k in ("category", "text", "name", "phone")}
    if any(v is not None and not isinstance(v, str) for v in texts.values()):
        raise Invalid("category, text, name dan phone harus teks.", code="bad_complaint")
    complaint = submit_complaint(
        db_session(),
        ComplaintForm.of(texts),
        request_now(),
        channel="api",
        status_url_base=public_base(),
        print_on="kiosk" if body.get("print") is True else None,
    )
    return jsonify(public_complaint_json(complaint)), 201


@api.get("/complaints/<token>")
def get_complaint(token: str):
    return jsonify(public_complaint_json(find_complaint_by_token(db_session(), token)))


@api.get("/complaints")
@api_role_required(*READERS)
def list_complaints():
    rows = complaint_rows(
        db_session(),
        request_now(),
        _target_days(),
        status=request.args.get("status", ""),
        category=request.args.get("category", ""),
        late_only=request.args.get("late") in ("1", "true"),
    )
    return jsonify(complaints=[staff_complaint_json(r) for r in rows])


def _complaint_action(action: str):
    def view(complaint_id: int):
        answer = json_body().get("answer", "") if action == "answer" else ""
        if not isinstance(answer, str):
            raise Invalid("Kolom 'answer' harus teks.", code="bad_answer")
        changed = change_complaint(
            db_session(), complaint_id, action, current_staff(), request_now(), answer
        )
        return jsonify(staff_complaint_json(complaint_row(changed, request_now(), _target_days())))

    view.__name__ = f"complaint_{action}"
    return api_role_required(*COMPLAINT_WORKERS)(view)


for _action in ("take", "answer", "close"):
    api.add_url_rule(
        f"/complaints/<int:complaint_id>/{_action}",
        view_func=_complaint_action(_action),
        methods=["POST"],
    )


@api.post("/surveys")
@limiter.limit(complaint_limit)
def create_survey():
    body = json_body()
    answers, comment = body.get("answers"), body.get("comment") or ""
    if not isinstance(answers, dict) or not isinstance(comment, str):
        raise Invalid(
            "Kolom 'answers' harus objek {u1..u9: 1-4}, 'comment' teks.", code="bad_survey"
        )
    session = db_session()
    ticket = find_ticket_by_token(session, str(body.get("ticket_token") or ""))
    submit_survey(session, ticket, answers, comment, request_now(), channel="api")
    return jsonify(ok=True, service=ticket.service.code), 201


@api.get("/surveys/ikm")
@api_role_required(*READERS)
def survey_ikm():
    today = local(request_now()).date()
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise OperationError("Tanggal harus berformat 2026-11-30.", code="bad_date") from None
    service = request.args.get("service")
    report = ikm_report(
        db_session(), start, end, find_service(db_session(), service).id if service else None
    )
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "respondents": report.respondents,
            "elements": [
                {"code": e.column.upper(), "name": e.name_id, "nrr": float(value)}
                for e, value in report.nrr
            ],
            "ikm": float(report.ikm) if report.ikm is not None else None,
            "grade": report.grade,
            "performance": report.performance,
        }
    )
