"""Complaints (/staff/pengaduan) and the SKM report (/staff/skm) of the staff console.

Routes in one table; the operations are antrian.feedback's. Until the office roles arrive,
the desk role `staff` handles complaints and reads the report."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import format_date, format_datetime
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.clock import local, zone_label
from antrian.feedback.complaints import CATEGORIES, STATUSES, change_complaint, find_complaint
from antrian.feedback.queries import complaint_row, complaint_rows
from antrian.feedback.skm import ikm_csv, ikm_report
from antrian.models import Service
from antrian.operations import OperationError
from antrian.roles import COMPLAINT_WORKERS, READERS
from antrian.web import db_session, render, request_now

staff_feedback = Blueprint(
    "staff_feedback", __name__, url_prefix="/staff", template_folder="templates"
)
DONE = {
    "take": "Pengaduan {code} Anda tangani.",
    "answer": "Jawaban untuk {code} tersimpan dan tampil di halaman pemohon.",
    "close": "Pengaduan {code} selesai.",
}


@staff_feedback.app_template_filter("day_id")
def day_id(day: date) -> str:
    """'3 Desember 2026'."""
    return format_date(day, "d MMMM y")


@staff_feedback.app_template_filter("wib_day")
def wib_day(moment) -> str:
    """'26 November 2026 09.00' in the office's zone."""
    return format_datetime(moment, "d MMMM y HH.mm")


def _target_days() -> int:
    return current_app.config["ANTRIAN"].complaint_target_days


@staff_feedback.get("/pengaduan")
@role_required(*READERS)
def complaints():
    args = request.args
    filters = {
        "status": args.get("status", ""),
        "category": args.get("category", ""),
        "late_only": args.get("late") == "1",
    }
    rows = complaint_rows(db_session(), request_now(), _target_days(), **filters)
    return render(
        "staff/complaints.html",
        "staff/_complaints.html",
        rows=rows,
        filters=filters,
        statuses=STATUSES,
        categories=CATEGORIES,
        target_days=_target_days(),
    )


@staff_feedback.get("/pengaduan/<int:complaint_id>")
@role_required(*READERS)
def complaint(complaint_id: int):
    return render(
        "staff/complaint.html", "staff/_complaint.html", **_complaint_context(complaint_id)
    )


@staff_feedback.post("/pengaduan/<int:complaint_id>/<action>")
@role_required(*COMPLAINT_WORKERS)
def complaint_action(complaint_id: int, action: str):
    answer = request.form.get("answer", "")
    try:
        done = change_complaint(
            db_session(), complaint_id, action, current_staff(), request_now(), answer
        )
        flash(DONE[action].format(code=done.code), "ok")
    except OperationError as err:
        # The typed answer stays in the box: the page is rendered, not redirected to.
        db_session().rollback()
        context = _complaint_context(complaint_id)
        return render(
            "staff/complaint.html",
            "staff/_complaint.html",
            error=err.message,
            answer=answer,
            **context,
        ), err.status
    if request.headers.get("HX-Request"):
        return render(
            "staff/complaint.html", "staff/_complaint.html", **_complaint_context(complaint_id)
        )
    return redirect(url_for("staff_feedback.complaint", complaint_id=complaint_id), code=303)


@staff_feedback.get("/skm")
@role_required(*READERS)
def skm():
    return render("staff/skm.html", "staff/_skm.html", **_skm_context())


@staff_feedback.get("/skm.csv")
@role_required(*READERS)
def skm_csv():
    context = _skm_context()
    report = context["report"]
    name = f"ikm-{report.start.isoformat()}-{report.end.isoformat()}.csv"
    return current_app.response_class(
        "\ufeff" + ikm_csv(report),  # the BOM makes spreadsheet programs read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _complaint_context(complaint_id: int) -> dict:
    try:
        found = find_complaint(db_session(), complaint_id)
    except OperationError:
        abort(404, "Pengaduan tidak ditemukan.")
    return {
        "row": complaint_row(found, request_now(), _target_days()),
        "received": f"{wib_day(found.received_dt)} {zone_label()}",
        "answered": f"{wib_day(found.answered_dt)} {zone_label()}" if found.answered_dt else "",
        "target_days": _target_days(),
    }


def _skm_context() -> dict:
    """The period from ?dari=&sampai= (ISO dates); this month so far by default."""
    today = local(request_now()).date()
    errors = []
    start = _date_arg("dari", today.replace(day=1), errors)
    end = _date_arg("sampai", today, errors)
    if start > end:
        errors.append("Tanggal awal harus sebelum tanggal akhir.")
        start, end = end, start
    services = db_session().scalars(select(Service).order_by(Service.sort_order)).all()
    service = next((s for s in services if s.code == request.args.get("layanan")), None)
    report = ikm_report(db_session(), start, end, service.id if service else None)
    return {
        "report": report,
        "services": services,
        "service": service,
        "errors": errors,
        "periods": _periods(today),
    }


def _periods(today: date) -> list[tuple[str, date, date]]:
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return [
        ("Bulan ini", today.replace(day=1), today),
        ("Bulan lalu", last_month_end.replace(day=1), last_month_end),
        ("Tahun ini", today.replace(month=1, day=1), today),
    ]


def _date_arg(name: str, default: date, errors: list[str]) -> date:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"Tanggal '{text}' tidak dikenal; gunakan format 2026-11-30.")
        return default
