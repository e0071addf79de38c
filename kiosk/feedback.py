"""Complaints and the SKM survey, on the kiosk (/kiosk/pengaduan, /kiosk/survei) and on a
phone (/pengaduan, /pengaduan/<token>, /t/<token>/survei). Every route is here; the work is
done by antrian.feedback's operations."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from antrian.clock import zone_label
from antrian.devices.browser import note_kiosk_seen, printer_for_slip
from antrian.feedback.complaints import (
    CATEGORIES,
    STATUSES,
    ComplaintForm,
    find_complaint_by_token,
    submit_complaint,
)
from antrian.feedback.elements import ELEMENTS
from antrian.feedback.surveys import (
    finished_ticket_today,
    submit_survey,
    survey_state,
    unanswered,
)
from antrian.i18n import current_language
from antrian.models import Ticket
from antrian.operations import OperationError, find_ticket_by_token
from antrian.ratelimit import complaint_limit, limiter
from antrian.web import db_session, public_base, render, request_now
from kiosk.qr import qr_svg

feedback = Blueprint("feedback", __name__, template_folder="templates")


@feedback.get("/kiosk/pengaduan")
def kiosk_complaint_form():
    return _complaint_page("kiosk")


@feedback.post("/kiosk/pengaduan")
@limiter.limit(complaint_limit)
def kiosk_complaint_submit():
    answer = _submit_complaint("kiosk", print_on=printer_for_slip())
    note_kiosk_seen()
    return answer


@feedback.get("/kiosk/pengaduan/<token>")
def kiosk_complaint_receipt(token: str):
    return render_template("kiosk/complaint_receipt.html", **_complaint_context(token))


@feedback.get("/pengaduan")
def phone_complaint_form():
    return _complaint_page("phone")


@feedback.post("/pengaduan")
@limiter.limit(complaint_limit)
def phone_complaint_submit():
    return _submit_complaint("phone", print_on=None)


@feedback.get("/pengaduan/<token>")
def complaint_status(token: str):
    """The complaint's own page (its QR code): status and answer; the fragment for htmx."""
    return render(
        "kiosk/complaint_status.html", "kiosk/_complaint_status.html", **_complaint_context(token)
    )


@feedback.route("/kiosk/survei", methods=["GET", "POST"])
def kiosk_survey_start():
    """On the kiosk the ticket is found by the code printed on it."""
    code, error = request.form.get("code", ""), None
    if request.method == "POST":
        try:
            ticket = finished_ticket_today(db_session(), code, request_now())
            return redirect(url_for("feedback.kiosk_survey", token=ticket.token), code=303)
        except OperationError:
            error = _("Nomor antrean itu tidak ditemukan hari ini. Periksa nomor pada tiket Anda.")
    html = render_template("kiosk/survey_start.html", code=code, error=error)
    return html, 404 if error else 200


@feedback.route("/kiosk/survei/<token>", methods=["GET", "POST"])
def kiosk_survey(token: str):
    return _survey("kiosk", token)


@feedback.route("/t/<token>/survei", methods=["GET", "POST"])
def phone_survey(token: str):
    return _survey("phone", token)


def _complaint_page(channel: str, form: ComplaintForm | None = None, errors=None, status=200):
    html = render_template(
        "kiosk/complaint_form.html",
        channel=channel,
        form=form or ComplaintForm(),
        errors=errors or {},
        categories=CATEGORIES,
        retention_days=current_app.config["ANTRIAN"].data_retention_days,
    )
    return html, status


def _submit_complaint(channel: str, print_on: str | None):
    form = ComplaintForm.of(request.form)
    errors = form.errors()
    if errors:  # shown again with everything the person typed
        return _complaint_page(channel, form, errors, 422)
    complaint = submit_complaint(
        db_session(),
        form,
        request_now(),
        channel=channel,
        status_url_base=public_base(),
        print_on=print_on,
    )
    target = (
        "feedback.kiosk_complaint_receipt" if channel == "kiosk" else "feedback.complaint_status"
    )
    return redirect(url_for(target, token=complaint.token), code=303)


def _complaint_context(token: str) -> dict:
    try:
        complaint = find_complaint_by_token(db_session(), token)
    except OperationError:
        abort(404, "Pengaduan tidak ditemukan.")
    url = f"{public_base()}/pengaduan/{complaint.token}"
    return {
        "complaint": complaint,
        "category": CATEGORIES[complaint.category][current_language() == "en"],
        "status_label": STATUSES[complaint.status],
        "target_days": current_app.config["ANTRIAN"].complaint_target_days,
        "received": _moment(complaint.received_dt),
        "answered": _moment(complaint.answered_dt) if complaint.answered_dt else "",
        "status_url": url,
        "qr": qr_svg(url),
    }


def _moment(when) -> str:
    """'26 November 2026, 09.00 WIB' in the visitor's language and the office's zone."""
    return f"{format_datetime(when, 'd MMMM y, HH.mm')} {zone_label()}"


def _survey(channel: str, token: str):
    session = db_session()
    try:
        ticket: Ticket = find_ticket_by_token(session, token)
    except OperationError:
        abort(404, "Tiket tidak ditemukan.")
    answers, comment, error, status = request.form, request.form.get("comment", ""), None, 200
    missing = unanswered(answers) if request.method == "POST" else []
    if missing:  # said in the visitor's language, before the operation says it in Indonesian
        en = current_language() == "en"
        names = ", ".join(e.name_en if en else e.name_id for e in missing)
        error, status = _("Pilih jawaban untuk: %(elements)s.", elements=names), 422
    elif request.method == "POST":
        try:
            submit_survey(session, ticket, answers, comment, request_now(), channel=channel)
            return redirect(request.path, code=303)  # its GET thanks them
        except OperationError as err:
            error, status = err.message, err.status
    html = render_template(
        "kiosk/survey.html",
        ticket=ticket,
        channel=channel,
        state=survey_state(session, ticket),
        elements=ELEMENTS,
        answers=answers,
        comment=comment,
        error=error,
    )
    return html, status
