"""/staff/admin/jam-layanan: office hours per weekday, days the office closes, daily quotas."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.clock import local
from antrian.models import ClosedDay, Service
from antrian.operations.calls import actor_name
from antrian.operations.errors import OperationError
from antrian.queue import opening
from antrian.web import db_session, request_now

opening_admin = Blueprint(
    "opening_admin", __name__, url_prefix="/staff/admin/jam-layanan", template_folder="templates"
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@opening_admin.get("/")
@role_required("admin")
def page(error: str | None = None, status: int = 200):
    session = db_session()
    today = local(request_now()).date()
    html = render_template(
        "staff/opening.html",
        weekdays=WEEKDAYS,
        hours=opening.weekly_hours(session),
        services=session.scalars(select(Service).order_by(Service.sort_order)).all(),
        closed=opening.upcoming_closed_days(session, today),
        own_days={d.day for d in session.scalars(select(ClosedDay))},
        form=request.form,
        error=error,
    )
    return html, status


@opening_admin.post("/jam")
@role_required("admin")
def save_hours():
    form = request.form
    hours = {
        day: (form.get(f"opens_{day}", ""), form.get(f"closes_{day}", ""))
        if form.get(f"open_{day}")
        else None
        for day in range(7)
    }
    return _apply(
        lambda s, who, now: opening.set_hours(s, hours, who, now), "Jam layanan disimpan."
    )


@opening_admin.post("/kuota")
@role_required("admin")
def save_quota():
    form = request.form
    code, raw = form.get("service", ""), form.get("quota", "").strip()
    if raw and not raw.isdecimal():
        return page("Kuota ditulis sebagai angka, atau dikosongkan.", 422)
    quota = int(raw) if raw else None
    return _apply(
        lambda s, who, now: opening.set_quota(s, code, quota, who, now), "Kuota disimpan."
    )


@opening_admin.post("/tutup")
@role_required("admin")
def close_day():
    form = request.form
    try:
        day = date.fromisoformat(form.get("day", ""))
    except ValueError:
        return page("Pilih tanggal yang akan ditutup.", 422)
    reason = form.get("reason", "")
    return _apply(
        lambda s, who, now: opening.close_day(s, day, reason, who, now), "Hari tutup ditambahkan."
    )


@opening_admin.post("/buka/<day>")
@role_required("admin")
def reopen_day(day: str):
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return page("Tanggal tidak dikenal.", 404)
    return _apply(lambda s, who, now: opening.reopen_day(s, chosen, who, now), "Hari dibuka lagi.")


def _apply(change, done: str):
    """Run one change; a refusal shows the page again with the message and what was typed."""
    try:
        change(db_session(), actor_name(current_staff()), request_now())
    except OperationError as err:
        return page(err.message, err.status)
    flash(done, "ok")
    return redirect(url_for("opening_admin.page"), code=303)
