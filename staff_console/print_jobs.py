"""The printers page of the staff console (/staff/cetakan): each printer's state, the slips
waiting for it in print order, the latest slips, and "Cetak ulang" for any printed or failed
one (a person whose ticket did not come out, a torn receipt). One URL, two renderings."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from antrian.auth import current_staff, role_required
from antrian.operations.calls import actor_name
from antrian.operations.errors import OperationError
from antrian.printing import jobs
from antrian.printing.directory import printer_label
from antrian.web import db_session, render, request_now

print_jobs = Blueprint(
    "print_jobs", __name__, url_prefix="/staff/cetakan", template_folder="templates"
)


@print_jobs.get("/")
@role_required("front_office")
def home():
    session = db_session()
    return render(
        "staff/print_jobs.html",
        "staff/_print_jobs.html",
        printers=jobs.printer_states(session, current_app.config["ANTRIAN"], request_now()),
        recent_jobs=jobs.recent_jobs(session),
    )


@print_jobs.post("/<int:job_id>/cetak-ulang")
@role_required("front_office")
def reprint(job_id: int):
    try:
        copy = jobs.reprint_job(db_session(), job_id, actor_name(current_staff()), request_now())
    except OperationError as err:
        flash(err.message, "error")
    else:
        label = printer_label(db_session(), copy.printer)
        flash(f"{jobs.slip_label(copy)} dikirim ulang ke {label}.", "ok")
    if request.headers.get("HX-Request"):
        # The lists for #print-jobs, and the message swapped out of band beside them.
        message = render_template("staff/_print_messages.html", oob=True)
        return home().get_data(as_text=True) + message
    return redirect(url_for("print_jobs.home"), code=303)
