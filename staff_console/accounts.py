"""Accounts on the web (/staff/admin/akun, role admin): create, roles, disable, reset a
password; and every officer's own password (/staff/sandi). Bad input re-renders the page with
what was typed and the message next to its field (422); passwords are never put in a flash
(the session cookie is signed, not encrypted): a reset one is shown once on the page itself."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from antrian import accounts
from antrian.auth import current_staff, role_required
from antrian.operations import OperationError
from antrian.roles import ALL_ROLES, ROLES
from antrian.web import db_session, request_now

accounts_pages = Blueprint("accounts", __name__, url_prefix="/staff", template_folder="templates")


def _page(status: int = 200, form: dict | None = None, errors: dict | None = None, **extra):
    html = render_template(
        "staff/accounts.html",
        accounts=accounts.list_accounts(db_session()),
        roles=ROLES,
        form=form or {"roles": ["front_office"]},
        errors=errors or {},
        **extra,
    )
    return html, status


@accounts_pages.get("/admin/akun")
@role_required("admin")
def index():
    return _page()


@accounts_pages.post("/admin/akun")
@role_required("admin")
def create():
    form = {
        "username": request.form.get("username", ""),
        "full_name": request.form.get("full_name", ""),
        "roles": request.form.getlist("roles"),
    }
    try:
        staff = accounts.create_account(
            db_session(),
            current_staff(),
            form["username"],
            form["full_name"],
            form["roles"],
            request.form.get("password", ""),
            request_now(),
        )
    except accounts.AccountInvalid as err:
        return _page(422, form=form, errors=err.errors)
    flash(f"Akun '{staff.username}' dibuat.", "ok")
    return redirect(url_for("accounts.index"), code=303)


@accounts_pages.post("/admin/akun/<int:staff_id>/peran")
@role_required("admin")
def save_roles(staff_id: int):
    try:
        staff = accounts.set_roles(
            db_session(), current_staff(), staff_id, request.form.getlist("roles"), request_now()
        )
    except OperationError as err:
        return _page(err.status, row_error={"id": staff_id, "message": err.message})
    flash(f"Peran '{staff.username}' disimpan.", "ok")
    return redirect(url_for("accounts.index"), code=303)


@accounts_pages.post("/admin/akun/<int:staff_id>/aktif")
@role_required("admin")
def save_active(staff_id: int):
    active = request.form.get("active") == "1"
    try:
        staff = accounts.set_active(db_session(), current_staff(), staff_id, active, request_now())
    except OperationError as err:
        return _page(err.status, row_error={"id": staff_id, "message": err.message})
    flash(f"Akun '{staff.username}' {'diaktifkan' if active else 'dinonaktifkan'}.", "ok")
    return redirect(url_for("accounts.index"), code=303)


@accounts_pages.post("/admin/akun/<int:staff_id>/sandi")
@role_required("admin")
def reset_password(staff_id: int):
    try:
        session = db_session()
        password = accounts.reset_password(session, current_staff(), staff_id, request_now())
    except OperationError as err:
        return _page(err.status, row_error={"id": staff_id, "message": err.message})
    username = accounts.find_account(session, staff_id).username
    return _page(new_password={"username": username, "password": password})


@accounts_pages.route("/sandi", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def own_password():
    errors = {}
    if request.method == "POST":
        try:
            accounts.change_own_password(
                db_session(),
                current_staff(),
                request.form.get("current", ""),
                request.form.get("new", ""),
                request.form.get("repeat", ""),
                request_now(),
            )
        except accounts.AccountInvalid as err:
            errors = err.errors
        else:
            flash("Kata sandi Anda diganti.", "ok")
            return redirect(url_for("staff.home"), code=303)
    return render_template("staff/password.html", errors=errors), 422 if errors else 200
