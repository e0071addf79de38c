"""The staff console (/staff): login, counter desk, the queue operations. Routes in one table."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import select

from antrian import operations as ops
from antrian import staff_sessions
from antrian.auth import StaffUser, check_login, current_staff, role_required
from antrian.catalogue import PAUSE_REASONS
from antrian.models import Counter, Event, PrintJob, Service
from antrian.operations.queries import no_shows, waiting_at
from antrian.roles import ALL_ROLES
from antrian.streaming import sse_response
from antrian.web import db_session, is_htmx, render, request_now
from staff_console.cases import desk_case

staff = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

ACTIONS = {
    "recall": ops.recall,
    "skip": ops.skip,
    "start": ops.start_service,
    "finish": ops.finish,
    "reactivate": ops.reactivate,
}
DONE_MESSAGES = {
    "recall": "{code} dipanggil ulang.",
    "skip": "{code} dilewati (tidak hadir).",
    "start": "Mulai melayani {code}.",
    "finish": "{code} selesai.",
    "reactivate": "{code} kembali ke antrean.",
}


@staff.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("staff/login.html", error=None)
    username, password = request.form.get("username", ""), request.form.get("password", "")
    db, now, address = db_session(), request_now(), request.remote_addr or "-"
    try:
        staff_sessions.count_login_attempt(db, username, address, now)
    except ops.OperationError as refused:
        db.commit()  # the count outlives the refusal
        page = render_template("staff/login.html", error=refused.message)
        return page, 429, {"Retry-After": str(refused.retry_after)}
    who = check_login(db, username, password)
    if who is None:
        db.commit()
        return render_template(
            "staff/login.html", error="Nama pengguna atau kata sandi salah."
        ), 401
    staff_sessions.login_succeeded(db, username, address, now)
    login_user(StaffUser(who))
    staff_sessions.mark_seen()
    return redirect(_safe_next(request.args.get("next")), code=303)


@staff.app_template_filter("waited")
def waited(minutes: int) -> str:
    """How long a ticket has waited, as a desk reads it: '< 1 mnt', '12 mnt', '1 j 05 mnt'."""
    if minutes < 1:
        return "< 1 mnt"
    hours, rest = divmod(minutes, 60)
    return f"{hours} j {rest:02d} mnt" if hours else f"{rest} mnt"


def _safe_next(target: str | None) -> str:
    """Back to the page that asked for a login, but only a page of this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.home")


@staff.post("/logout")
def logout():
    """Ends the session on the server too: a copy of the cookie opens nothing afterwards."""
    who = current_staff()
    if who is not None:
        staff_sessions.end_sessions(db_session().merge(who))
    logout_user()
    session.pop("counter", None)
    return redirect(url_for("staff.login"), code=303)


@staff.get("/")
@role_required(*ALL_ROLES)
def home():
    counters = db_session().scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    return render_template("staff/home.html", counters=list(counters))


@staff.get("/loket/<int:number>")
@role_required("front_office")
def desk(number: int):
    session["counter"] = number
    return render("staff/desk.html", "staff/_desk.html", **desk_context(number))


@staff.post("/loket/<int:number>/panggil")
@role_required("front_office")
def call_next(number: int):
    return _desk_action(
        number,
        lambda: ops.call_next(
            db_session(), number, current_staff(), request_now(), expected_current=_seen()
        ),
        lambda ticket: f"Memanggil {ticket.code}.",
    )


@staff.post("/loket/<int:number>/panggil/<int:ticket_id>")
@role_required("front_office")
def call_out_of_order(number: int, ticket_id: int):
    reason = request.form.get("reason", "")
    try:
        ticket = ops.call_ticket(
            db_session(),
            number,
            ticket_id,
            reason,
            current_staff(),
            request_now(),
            expected_current=_seen(),
        )
    except ops.OperationError as err:
        flash(err.message, "error")
        # The form stays open with what was typed.
        return _back_to_desk(
            number, failed=True, call_form={"ticket_id": ticket_id, "reason": reason}
        )
    flash(f"Memanggil {ticket.code} di luar urutan.", "ok")
    return _back_to_desk(number)


@staff.post("/loket/<int:number>/tutup")
@role_required("front_office")
def pause(number: int):
    return _desk_action(
        number,
        lambda: ops.pause_counter(
            db_session(), number, request.form.get("reason", ""), current_staff(), request_now()
        ),
        lambda counter: f"{counter.name} ditutup: {PAUSE_REASONS[counter.paused_reason]}.",
    )


@staff.post("/loket/<int:number>/buka")
@role_required("front_office")
def resume(number: int):
    return _desk_action(
        number,
        lambda: ops.resume_counter(db_session(), number, current_staff(), request_now()),
        lambda counter: f"{counter.name} dibuka kembali.",
    )


def _desk_action(number: int, operation, done):
    """Run a desk operation; its outcome (done(result) or the error) is the desk's message."""
    try:
        flash(done(operation()), "ok")
    except ops.OperationError as err:
        _undo(err)
    return _back_to_desk(number)


def _seen() -> int | None | object:
    """The ticket the desk showed at the counter (absent: no expectation), so a second click of
    a call button calls nobody."""
    seen = request.form.get("current")
    return ops.ANY if seen is None else int(seen) if seen.isdecimal() else None


@staff.post("/loket/<int:number>/tiket/<int:ticket_id>/<action>")
@role_required("front_office")
def ticket_action(number: int, ticket_id: int, action: str):
    operation = ACTIONS.get(action)
    try:
        if operation is None and action == "transfer":
            ticket = ops.transfer(
                db_session(),
                ticket_id,
                request.form.get("service", ""),
                current_staff(),
                request_now(),
                at_counter=number,
            )
            flash(f"{ticket.code} dialihkan ke layanan {ticket.service.name_id}.", "ok")
        elif operation is None:
            flash("Tindakan tidak dikenal.", "error")
        else:
            ticket = operation(
                db_session(), ticket_id, current_staff(), request_now(), at_counter=number
            )
            flash(DONE_MESSAGES[action].format(code=ticket.code), "ok")
    except ops.OperationError as err:
        _undo(err)
    return _back_to_desk(number)


@staff.get("/events")
@role_required("front_office")
def events():
    """Tells an open desk that the queue changed; the desk refetches its own fragment."""

    def format_event(ev: Event):
        return "changed", json.dumps({"kind": ev.kind, "code": ev.data.get("code")})

    return sse_response(format_event, lambda _session: "{}", kind="staff")


def _undo(err: ops.OperationError) -> None:
    """An action that failed half-way leaves nothing behind: "Panggil berikutnya" finishes the
    counter's ticket before it finds the queue empty, and that finish must not be committed
    (the desk answers 200 or 303, which the request's end would commit)."""
    db_session().rollback()
    flash(err.message, "error")


def _back_to_desk(number: int, failed: bool = False, **form):
    """htmx swaps the returned desk fragment; a plain form post follows the redirect, unless
    what was typed must be shown again (`form`): then the page itself, 422."""
    if is_htmx():
        return render("staff/desk.html", "staff/_desk.html", **desk_context(number, **form))
    if failed and form:
        return render("staff/desk.html", "staff/_desk.html", **desk_context(number, **form)), 422
    return redirect(url_for("staff.desk", number=number), code=303)


def desk_context(number: int, call_form: dict | None = None) -> dict:
    s = db_session()
    now = request_now()
    try:
        counter = ops.calls.find_counter(s, number)
    except ops.OperationError:
        abort(404, "Loket tidak ada atau tidak aktif.")
    current = ops.current_ticket(s, counter, now)
    failed_jobs = s.scalar(select(PrintJob.id).where(PrintJob.status == "failed").limit(1))
    return {
        "counter": counter,
        "current": current,
        "waiting": waiting_at(s, counter, now),
        "call_form": call_form or {},
        "pause_reasons": PAUSE_REASONS,
        "no_shows": no_shows(s, now)[:10],
        "services": s.scalars(select(Service).where(Service.active).order_by(Service.sort_order)),
        "failed_jobs": failed_jobs,
        "desk_case": desk_case(current),
    }
