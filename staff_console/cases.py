"""The IUMK case at the desk (/staff/berkas): open, record the applicant, the four steps,
hand-overs, reveal. Every route of the case room is here; operations do the work."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.cases.kbli import kbli_title
from antrian.cases.models import TEAMS, Case
from antrian.cases.validators import validate
from antrian.catalogue import IUMK_CHECKLIST, PRIORITY_REASONS
from antrian.clock import local
from antrian.models import Ticket
from antrian.operations import OperationError
from antrian.roles import CASE_WORKERS, READERS
from antrian.web import db_session, is_htmx, public_base, render, request_now

case_desk = Blueprint("cases", __name__, url_prefix="/staff/berkas", template_folder="templates")


@case_desk.get("/")
@role_required(*READERS)
def team_list():
    team = request.args.get("tim", "front_office")
    if team not in TEAMS:
        abort(404)
    return render_template(
        "staff/cases.html", team=team, teams=TEAMS, cases=cases.cases_of_team(db_session(), team)
    )


@case_desk.post("/buka")
@role_required(*CASE_WORKERS)
def open_case():
    ticket_id = request.form.get("ticket_id", type=int)
    try:
        case = cases.open_case(db_session(), current_staff(), request_now(), ticket_id=ticket_id)
    except OperationError as err:
        flash(err.message, "error")
        return redirect(request.referrer or url_for("cases.team_list"), code=303)
    return redirect(url_for("cases.show", case_id=case.id), code=303)


@case_desk.get("/<int:case_id>")
@role_required(*READERS)
def show(case_id: int):
    return render("staff/case.html", "staff/_case.html", **case_context(case_id))


@case_desk.post("/<int:case_id>/pemohon")
@role_required(*CASE_WORKERS)
def save_applicant(case_id: int):
    # An empty personal field means "keep what is stored": the form never holds it in clear.
    typed = {k: v for k, v in request.form.items() if k in cases.APPLICANT_FIELDS}
    fields = {k: v for k, v in typed.items() if k not in cases.PERSONAL_FIELDS or v.strip()}
    return _act(
        case_id,
        lambda s, who, now: cases.update_applicant(s, case_id, fields, who, now),
        "Data pemohon disimpan.",
        typed=typed,
    )


@case_desk.post("/<int:case_id>/periksa/<field>")
@role_required(*CASE_WORKERS)
def check_field(case_id: int, field: str):
    """As the officer types: the one field's message, in Indonesian, next to it."""
    if field not in cases.APPLICANT_FIELDS:
        abort(404)
    value = request.form.get(field, "")
    error, warnings, hint = None, [], ""
    if field in cases.PERSONAL_FIELDS and value.strip():
        result = validate(field, value, today=local(request_now()).date())
        error = " ".join(result.errors) or None
        warnings, hint = result.warnings, _hint(field, result.details)
    elif field not in cases.PERSONAL_FIELDS:
        _, errors = cases.check_applicant({field: value}, local(request_now()).date())
        error = errors.get(field)
    return render_template(
        "staff/_field_message.html",
        field=field,
        error=error,
        warnings=warnings,
        hint=hint,
        value=value,
    )


def _hint(field: str, details: dict) -> str:
    """What the number says, so the officer can compare it with the card."""
    if field == "nik" and details.get("region"):
        sex = {"male": "laki-laki", "female": "perempuan"}.get(details.get("sex"), "")
        return f"{details['region']} · lahir {details.get('birth_date', '')} · {sex}"
    return details.get("national") or details.get("formatted") or ""


def _outputs(form) -> dict:
    return {**form.to_dict(), "documents": form.getlist("documents")}


# action: (operation, message when done)
STEP_ACTIONS = {
    "mulai": (
        lambda s, case_id, step, form, who, now: steps.start_step(s, case_id, step, who, now),
        "Langkah {step} dimulai.",
    ),
    "selesai": (
        lambda s, case_id, step, form, who, now: steps.finish_step(
            s,
            case_id,
            step,
            _outputs(form),
            who,
            now,
            public_base=public_base(),
            counter=browser_session.get("counter"),  # the desk this officer last opened
        ),
        "Langkah {step} selesai.",
    ),
    "koreksi": (
        lambda s, case_id, step, form, who, now: steps.correct_step(
            s, case_id, step, _outputs(form), form.get("reason", ""), who, now
        ),
        "Koreksi langkah {step} dicatat.",
    ),
}
PRINTED = {2: " Tanda Terima Berkas dicetak di printer loket.", 4: " Tanda serah terima dicetak."}


@case_desk.post("/<int:case_id>/langkah/<int:step>/<action>")
@role_required(*CASE_WORKERS)
def step_action(case_id: int, step: int, action: str):
    if action not in STEP_ACTIONS:
        abort(404)
    operation, message = STEP_ACTIONS[action]
    done = message.format(step=step) + (PRINTED.get(step, "") if action == "selesai" else "")
    return _act(
        case_id,
        lambda s, who, now: operation(s, case_id, step, request.form, who, now),
        done,
        step_form={
            **request.form.to_dict(),
            "step": step,
            "action": action,
            "documents": request.form.getlist("documents"),
        },
    )


@case_desk.post("/<int:case_id>/alihkan")
@role_required(*CASE_WORKERS)
def hand_over(case_id: int):
    team, note = request.form.get("team", ""), request.form.get("note", "")
    return _act(
        case_id,
        lambda s, who, now: cases.assign(s, case_id, team, note, who, now),
        f"Berkas dialihkan ke {TEAMS.get(team, team)}.",
        hand_over_form={"team": team, "note": note},
    )


@case_desk.post("/<int:case_id>/tampilkan")
@role_required(*CASE_WORKERS)
def reveal(case_id: int):
    try:
        clear = cases.reveal_personal_data(db_session(), case_id, current_staff(), request_now())
    except OperationError as err:
        flash(err.message, "error")
        return _back(case_id)
    context = case_context(case_id)
    context["revealed"] = clear
    return render("staff/case.html", "staff/_case.html", **context)


def _act(case_id: int, work, done: str, **typed):
    """Run an operation; on bad input show the page again with what was typed and why."""
    session = db_session()
    try:
        work(session, current_staff(), request_now())
    except cases.FieldErrors as err:
        session.rollback()
        context = case_context(case_id, errors=err.errors, message=err.message, **typed)
        status = 200 if is_htmx() else 422
        return render("staff/case.html", "staff/_case.html", **context), status
    except OperationError as err:
        session.rollback()
        flash(err.message, "error")
        return _back(case_id)
    flash(done, "ok")
    return _back(case_id)


def _back(case_id: int):
    if is_htmx():
        return render("staff/case.html", "staff/_case.html", **case_context(case_id))
    return redirect(url_for("cases.show", case_id=case_id), code=303)


def case_context(case_id: int, **extra) -> dict:
    session = db_session()
    now = request_now()
    try:
        case = cases.find_case(session, case_id, fresh=True)
    except OperationError:
        abort(404, "Berkas tidak ditemukan.")
    rows = {n: case.step(n) for n in steps.STEPS}
    return {
        "case": case,
        "masked": cases.masked(case),
        "steps": steps.STEPS,
        "rows": rows,
        "clocks": {n: steps.step_clock(r, now) for n, r in rows.items() if r},
        "total": steps.total_clock(case, now),
        "next_step": next((n for n in steps.STEPS if rows[n] is None), None),
        "documents": steps.DOCUMENTS,
        "legal_forms": cases.LEGAL_FORMS,
        "kbli_title": (kbli_title(session, case.kbli) or "") if case.kbli else "",
        "teams": TEAMS,
        "now": now,
        "today": local(now).date().isoformat(),
        "checklist": IUMK_CHECKLIST,
        "priority_label": _priority(case.ticket),
        # The heads of office read a case and never change it: no forms for them.
        "can_work": current_staff().has_role(*CASE_WORKERS),
        "revealed": None,
        "errors": {},
        "typed": {},
        "step_form": {},
        "hand_over_form": {},
        **extra,
    }


def _priority(ticket: Ticket | None) -> str | None:
    return PRIORITY_REASONS[ticket.priority] if ticket and ticket.priority else None


def desk_case(ticket: Ticket | None) -> dict:
    """What the desk shows for its current ticket: checklist answers, priority, its case (an
    IUMK/OSS ticket), or the case a pickup ticket's receipt number names (service E)."""
    if ticket is None:
        return {}
    session = db_session()
    info = {"priority_label": _priority(ticket), "checklist": IUMK_CHECKLIST}
    if ticket.service.code in cases.CASE_SERVICES:
        info["case"] = cases.case_for_ticket(session, ticket.id)
        info["can_open"] = True
    receipt = (ticket.checklist or {}).get("receipt_number")
    if receipt:
        info["receipt_number"] = receipt
        info["case"] = cases.case_by_receipt(session, receipt)
    return info


def recent_cases(limit: int = 8) -> list[Case]:
    return list(
        db_session().scalars(
            select(Case).where(Case.status == "open").order_by(Case.opened_dt.desc()).limit(limit)
        )
    )
