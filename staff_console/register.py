"""The Buku Register (/staff/register): search, pages, and the files the office keeps.

One URL, two renderings: the whole page, or (htmx, as the officer types in the search form)
only the results. The exports take the same query string as the page, so they hold exactly
the entries the search shows. Routes in one table.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from antrian import settings_store
from antrian.auth import current_staff, role_required
from antrian.cases.kbli import kbli_title
from antrian.cases.register import RegisterError, number_format, set_number_format
from antrian.cases.register_export import csv_chunks, long_date, xlsx_bytes
from antrian.cases.register_search import RegisterFilter, all_entries, register_page
from antrian.clock import local
from antrian.roles import READERS
from antrian.web import db_session, render, request_now

register = Blueprint(
    "register", __name__, url_prefix="/staff/register", template_folder="templates"
)


def _filter() -> RegisterFilter:
    return RegisterFilter.from_args(request.args)


def _office_name() -> str:
    return settings_store.get(db_session(), "office_name", current_app.config["ANTRIAN"])


def _file_name(found: RegisterFilter, extension: str) -> str:
    today = local(request_now()).date().isoformat()
    return f"buku-register-{today}.{extension}"


@register.get("/")
@role_required(*READERS)
def home():
    found = _filter()
    session = db_session()
    page = register_page(session, found, request.args.get("halaman", 1, type=int) or 1)
    return render(
        "staff/register.html",
        "staff/_register_results.html",
        found=found,
        result=page,
        kbli_name=kbli_title(session, found.kbli) if found.kbli else None,
        fmt=number_format(session),
        long_date=long_date,
    )


@register.get("/buku-register.csv")
@role_required(*READERS)
def export_csv():
    found = _filter()
    chunks = csv_chunks(all_entries(db_session(), found))
    return Response(
        chunks,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={_file_name(found, 'csv')}"},
    )


@register.get("/buku-register.xlsx")
@role_required(*READERS)
def export_xlsx():
    found = _filter()
    title = f"Buku Register IUMK · {_office_name()}"
    data = xlsx_bytes(all_entries(db_session(), found), title)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={_file_name(found, 'xlsx')}"},
    )


@register.get("/cetak")
@role_required(*READERS)
def printable():
    """A4 landscape for the file: office name, the filter, the entries, the head's signature."""
    found = _filter()
    return render_template(
        "staff/register_print.html",
        found=found,
        entries=list(all_entries(db_session(), found)),
        office_name=_office_name(),
        printed_on=long_date(local(request_now()).date()),
        long_date=long_date,
    )


@register.post("/format")
@role_required("admin")
def save_format():
    try:
        set_number_format(
            db_session(),
            request.form.get("format", ""),
            actor=current_staff().username,
            now=request_now(),
        )
    except RegisterError as err:
        flash(f"Format nomor tidak disimpan: {err}", "error")
        return redirect(url_for("register.home", format=request.form.get("format", "")), 303)
    flash("Format nomor register disimpan; berlaku untuk entri berikutnya.", "ok")
    return redirect(url_for("register.home"), 303)
