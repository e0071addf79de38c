"""The touch kiosk (/kiosk) and the phone status page (/t/<token>). Every route is here."""

from __future__ import annotations

import json
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from antrian import settings_store
from antrian.cases.operations import (
    PICKUP_SERVICE,
    case_by_token,
    case_for_ticket,
    pickup_checklist,
)
from antrian.cases.steps import case_progress
from antrian.catalogue import PRIORITY_REASONS
from antrian.clock import local
from antrian.devices.browser import note_kiosk_seen, printer_for_slip, remember_device
from antrian.devices.registry import kiosk_of_token
from antrian.feedback.surveys import survey_state
from antrian.i18n import current_language, use_page_language
from antrian.models import Event, Service, Ticket
from antrian.operations import (
    OperationError,
    find_service,
    find_ticket_by_token,
    issue_ticket,
    queue_place,
)
from antrian.operations.queries import waiting_counts
from antrian.operations.rate_limits import TooManyRequests
from antrian.operations.tickets import status_url
from antrian.queue.checklist import answers_of, checklist_of, missing_items
from antrian.queue.opening import refuse_if_closed
from antrian.ratelimit import client_address, issue_rate
from antrian.streaming import sse_response
from antrian.web import db_session, public_base, render, request_now
from kiosk.qr import qr_svg
from kiosk.refusals import refusal_page

kiosk = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
phone = Blueprint("phone", __name__, template_folder="templates")
COMPLAINT_SERVICE = "D"  # its page also offers the written complaint (kiosk/feedback.py)

MAX_REQUEST_KEY = 80  # the page makes 16 characters; the column holds 80


def missing_keys(missing: list) -> str:
    return ",".join(item.key for item in missing)


@kiosk.get("/")
def home():
    session = db_session()
    services = session.scalars(
        select(Service).where(Service.active).order_by(Service.sort_order)
    ).all()
    # The start screen waits for nobody, except to give a chosen language back.
    idle = _settings().kiosk_idle_seconds if current_language() != "id" else 0
    return _kiosk_page(
        "kiosk/home.html",
        idle,
        services=services,
        waiting=waiting_counts(session, request_now()),
    )


@kiosk.get("/layanan/<code>")
def choose(code: str):
    service = _service_or_404(code)
    _refuse_if_closed()  # before anyone fills in a form in vain
    return _choose_page(service, form={})


@kiosk.post("/tiket")
def take_ticket():
    form = request.form
    service = _service_or_404(form.get("service", ""))
    _refuse_if_closed()
    priority = form.get("priority") or None
    request_key = form.get("request_key") or None
    if request_key is not None and len(request_key) > MAX_REQUEST_KEY:
        error = "Formulir tidak valid. Silakan pilih lagi lalu tekan Ambil nomor."
        return _choose_page(service, form, error=error), 400
    checklist = None
    items = checklist_of(db_session(), service) if service.needs_checklist else []
    if items:
        applicant_type = "badan" if form.get("applicant_type") == "badan" else "perorangan"
        missing = missing_items(items, form, applicant_type)
        checklist = answers_of(items, missing, applicant_type)
        # Tell them what is missing before they queue, their answers kept on the form; again
        # whenever what is missing is not what they were last told (an answer changed).
        if missing and form.get("confirm_missing") != missing_keys(missing):
            return _choose_page(service, form, request_key=request_key, missing=missing)
    if service.code == PICKUP_SERVICE:
        try:
            checklist = pickup_checklist(
                db_session(), form.get("receipt_number", ""), request_now()
            )
        except OperationError as err:
            page = _choose_page(service, form, request_key=request_key, error=err.message)
            return page, err.status
    try:
        ticket = issue_ticket(
            db_session(),
            service.code,
            priority,
            checklist,
            request_now(),
            actor="kiosk",
            public_base=public_base(),
            idempotency_key=request_key,
            lang=current_language(),
            client=client_address(),
            rate=issue_rate(),
            print_on=printer_for_slip(),
        )
    except TooManyRequests as err:
        # Not the form again: a kiosk issuing too fast gets the refusal page, and a way home.
        page, status = refusal_page(429, err.message, err.status, _kiosk_page)
        return page, status, {"Retry-After": str(err.retry_after)}
    except OperationError as err:
        return (
            _choose_page(service, form, request_key=request_key, error=err.message),
            err.status,
        )
    note_kiosk_seen()
    return redirect(url_for("kiosk.ticket", token=ticket.token), code=303)


@kiosk.get("/tiket/<token>")
def ticket(token: str):
    return _kiosk_page(
        "kiosk/ticket.html", _settings().kiosk_ticket_seconds, **_ticket_context(token)
    )


@kiosk.get("/perangkat/<token>")
def use_device(token: str):
    """The kiosk-mode URL the admin gives a kiosk PC (its autostart opens it): remembers the
    device in this browser, then the start screen. Also after the browser forgot its cookies
    (an --incognito kiosk forgets them at every start)."""
    if kiosk_of_token(db_session(), token) is None:
        abort(404, _("Kode perangkat kiosk tidak dikenal atau sudah dinonaktifkan."))
    return remember_device(redirect(url_for("kiosk.home"), code=303), token)


@kiosk.get("/logo.png")
def logo():
    """The office's logo for the kiosk's header (public: it is on every printed slip)."""
    path = settings_store.logo_path(current_app.instance_path)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=86400)


@kiosk.errorhandler(OperationError)
def _refused_operation(err: OperationError):
    resumes = getattr(err, "resumes_at", None)
    return refusal_page(err.code, err.message, err.status, _kiosk_page, resumes)


# By code: Flask looks for a handler of the status code (the app's included) before any of
# the exception's class, and the app answers 404 and 429 in its own style.
@kiosk.errorhandler(404)
@kiosk.errorhandler(429)
def _refused_request(err: HTTPException):
    return refusal_page(err.code, err.description, err.code or 500, _kiosk_page)


@phone.get("/t/<token>")
def status(token: str):
    """The page behind the ticket's QR code (and the receipt's, for a case): one URL, a full
    page or the refreshed fragment."""
    case = case_by_token(db_session(), token)
    if case is not None:
        return render("kiosk/case_status.html", "kiosk/_case_progress.html", **case_progress(case))
    context = _ticket_context(token)
    case = case_for_ticket(db_session(), context["ticket"].id)
    return render("kiosk/status.html", "kiosk/_status.html", **context, **case_progress(case))


@phone.get("/t/<token>/events")
def status_events(token: str):
    """Server push for the phone page: a bare "changed" whenever its ticket or its queue moves
    (the page then fetches its fragment). Nothing about the ticket travels in the stream."""
    session = db_session()
    try:
        ticket: Ticket = find_ticket_by_token(session, token)
    except OperationError:
        abort(404)
    ticket_id, service = ticket.id, ticket.service.code
    session.close()  # the stream holds no session of the request's

    def changed(ev: Event):
        if ev.ticket_id == ticket_id or ev.data.get("service") == service:
            return "changed", json.dumps({"id": ev.id})
        return None

    return sse_response(changed, lambda _session: "{}")


def _refuse_if_closed() -> None:
    if _settings().opening_hours:
        refuse_if_closed(db_session(), request_now())


def _settings():
    return current_app.config["ANTRIAN"]


def _kiosk_page(template: str, idle_seconds: int, **context) -> str:
    return render_template(
        template, idle_seconds=idle_seconds, now_local=local(request_now()), **context
    )


def _choose_page(service: Service, form, request_key=None, missing=None, error=None) -> str:
    """The checklist-and-priority page; a new request key unless the form's is kept."""
    return _kiosk_page(
        "kiosk/choose.html",
        _settings().kiosk_idle_seconds,
        service=service,
        checklist=checklist_of(db_session(), service) if service.needs_checklist else [],
        priorities=PRIORITY_REASONS,
        request_key=request_key or secrets.token_urlsafe(12),
        missing=missing,
        form=form,
        complaint_service=COMPLAINT_SERVICE,
        error=error,
        pickup_service=PICKUP_SERVICE,
    )


def _service_or_404(code: str) -> Service:
    try:
        return find_service(db_session(), code)
    except OperationError:
        abort(404, _("Layanan tidak dikenal."))


def _ticket_context(token: str) -> dict:
    session = db_session()
    try:
        ticket: Ticket = find_ticket_by_token(session, token)
    except OperationError:
        abort(404, _("Tiket tidak ditemukan."))
    use_page_language(ticket.lang)
    ahead, wait = queue_place(session, ticket)
    url = status_url(public_base(), ticket.token)
    return {
        "ticket": ticket,
        "ahead": ahead,
        "status_url": url,
        "qr": qr_svg(url),
        "wait": wait,
        "priority_label": PRIORITY_REASONS[ticket.priority] if ticket.priority else None,
        "survey_state": survey_state(session, ticket),
    }
