"""What the case form asks as the officer types: a field's check, the KBLI chooser; and the
admin's list of KBLI codes (/staff/kbli/kelola). Routes in one table.

The per-field check answers with the field's message block only (htmx swaps it in next to the
input); the input itself is never replaced, so nothing typed is lost. Without htmx the same URL
is a small page to check a number by hand.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.cases.kbli import (
    CHOOSER_LIMIT,
    KbliCode,
    KbliError,
    save_kbli,
    search_kbli,
    set_kbli_active,
)
from antrian.cases.validators import KINDS, LABELS, validate
from antrian.clock import local
from antrian.roles import CASE_WORKERS
from antrian.web import db_session, render, request_now

fields = Blueprint("fields", __name__, url_prefix="/staff", template_folder="templates")

# Who works a case uses the case form's checks.


@fields.route("/validasi/<kind>", methods=["GET", "POST"])
@role_required(*CASE_WORKERS)
def check_field(kind: str):
    if kind not in KINDS:
        abort(404)
    # The case form posts itself: the field is named after the kind (name="nik") or in "field";
    # the page's own form sends "value".
    # Only from a posted form: a value in the query string would be in the access log.
    field = request.form.get("field", kind)
    value = request.form.get(field, request.form.get("value", ""))
    result = validate(kind, value, today=local(request_now()).date()) if value.strip() else None
    return render(
        "staff/field_check.html",
        "staff/_field_check.html",
        kind=kind,
        label=LABELS[kind],
        value=value,
        result=result,
        kinds=KINDS,
        labels=LABELS,
    )


@fields.get("/kbli")
@role_required(*CASE_WORKERS)
def kbli_chooser():
    # The case form's search box is `kbli_cari`; its current choice (`kbli`) rides along.
    query = request.args.get("q") or request.args.get("kbli_cari") or request.args.get("kbli", "")
    codes = search_kbli(db_session(), query) if query.strip() else []
    return render(
        "staff/kbli.html", "staff/_kbli_options.html", query=query, codes=codes, limit=CHOOSER_LIMIT
    )


@fields.get("/kbli/kelola")
@role_required("admin")
def kbli_admin():
    return _kbli_admin_page()


def _kbli_admin_page(status: int = 200, form: dict | None = None, error: str | None = None):
    codes = db_session().scalars(select(KbliCode).order_by(KbliCode.code)).all()
    html = render_template("staff/kbli_admin.html", codes=codes, form=form or {}, error=error)
    return html, status


@fields.post("/kbli/kelola")
@role_required("admin")
def kbli_save():
    form = {"code": request.form.get("code", ""), "title": request.form.get("title", "")}
    try:
        row = save_kbli(
            db_session(), form["code"], form["title"], actor=_actor(), now=request_now()
        )
    except KbliError as err:
        return _kbli_admin_page(422, form, str(err))
    flash(f"KBLI {row.code} disimpan: {row.title}.", "ok")
    return redirect(url_for("fields.kbli_admin", _anchor=f"kbli-{row.code}"), 303)


@fields.post("/kbli/kelola/<code>/aktif")
@role_required("admin")
def kbli_toggle(code: str):
    active = request.form.get("active") == "1"
    try:
        set_kbli_active(db_session(), code, active, actor=_actor(), now=request_now())
    except KbliError as err:
        flash(str(err), "error")
    else:
        state = "ditampilkan lagi" if active else "disembunyikan dari pilihan"
        flash(f"KBLI {code} {state}.", "ok")
    return redirect(url_for("fields.kbli_admin", _anchor=f"kbli-{code}"), 303)


def _actor() -> str:
    return current_staff().username
