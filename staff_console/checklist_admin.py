"""/staff/admin/persyaratan: the kiosk's requirement checklist per service, in both languages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.models import Service
from antrian.operations.calls import actor_name
from antrian.operations.errors import OperationError
from antrian.queue.checklist import checklist_of, remove_item, save_item
from antrian.web import db_session, request_now

checklist_admin = Blueprint(
    "checklist_admin", __name__, url_prefix="/staff/admin/persyaratan", template_folder="templates"
)


@checklist_admin.get("/")
@role_required("admin")
def page(error: str | None = None, status: int = 200, failed: str | None = None):
    session = db_session()
    services = session.scalars(select(Service).order_by(Service.sort_order)).all()
    html = render_template(
        "staff/checklist.html",
        services=[(s, checklist_of(session, s)) for s in services],
        error=error,
        failed=failed,  # which form the error belongs to: it shows what was typed
        form=request.form,
    )
    return html, status


@checklist_admin.post("/<code>")
@checklist_admin.post("/<code>/<int:item_id>")
@role_required("admin")
def save(code: str, item_id: int | None = None):
    values = request.form
    return _apply(
        lambda s, who, now: save_item(s, code, values, who, now, item_id),
        "Persyaratan disimpan.",
        f"{code}-{item_id or 'baru'}",
    )


@checklist_admin.post("/hapus/<int:item_id>")
@role_required("admin")
def remove(item_id: int):
    return _apply(
        lambda s, who, now: remove_item(s, item_id, who, now), "Persyaratan dihapus.", None
    )


def _apply(change, done: str, which: str | None):
    try:
        change(db_session(), actor_name(current_staff()), request_now())
    except OperationError as err:
        db_session().rollback()
        return page(err.message, err.status, which)
    flash(done, "ok")
    return redirect(url_for("checklist_admin.page"), code=303)
