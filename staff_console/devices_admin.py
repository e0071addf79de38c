"""Devices on the web (/staff/admin/perangkat, role admin): register kiosk PCs and give each
its printer, give counters a printer, a serial display, a call box and its account of their own,
disable a kiosk.

A new kiosk's token is shown once, on the page that registered it (never in a flash: the
session cookie is signed, not encrypted), with two ways to put it on the kiosk PC: "Pasang di
PC ini" (this browser keeps it as a cookie) and the kiosk-mode URL for its autostart. Bad input
re-renders the page with what was typed and the message next to its field (422)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from antrian.auth import current_staff, role_required
from antrian.devices import registry
from antrian.devices.browser import remember_device
from antrian.devices.serial_plan import device_states, environment_defaults, serial_plan
from antrian.models import Counter, Staff
from antrian.operations import OperationError
from antrian.web import db_session, public_base, request_now

devices_admin = Blueprint(
    "devices_admin", __name__, url_prefix="/staff/admin/perangkat", template_folder="templates"
)


def _page(status: int = 200, **extra):
    session = db_session()
    html = render_template(
        "staff/devices.html",
        kiosks=registry.list_kiosks(session),
        counters=session.query(Counter).order_by(Counter.number).all(),
        serial=_serial_devices(),
        box_accounts=_box_accounts(),
        this_pc=registry.kiosk_of_token(session, request.cookies.get(registry.COOKIE)),
        form=extra.pop("form", {}),
        errors=extra.pop("errors", {}),
        **extra,
    )
    return html, status


@devices_admin.get("/")
@role_required("admin")
def page():
    return _page()


@devices_admin.post("/kios")
@role_required("admin")
def register_kiosk():
    form = {k: request.form.get(k, "") for k in ("name", "printer_url")}
    try:
        device, token = registry.register_kiosk(
            db_session(), form["name"], form["printer_url"], current_staff(), request_now()
        )
    except registry.DeviceInvalid as err:
        return _page(422, form=form, errors=err.errors)
    kiosk_url = public_base() + url_for("kiosk.use_device", token=token)
    return _page(new_kiosk={"device": device, "token": token, "url": kiosk_url})


@devices_admin.post("/kios/<int:device_id>")
@role_required("admin")
def save_kiosk(device_id: int):
    form = {k: request.form.get(k, "") for k in ("name", "printer_url")}
    try:
        device = registry.update_kiosk(
            db_session(),
            device_id,
            form["name"],
            form["printer_url"],
            current_staff(),
            _settings(),
            request_now(),
        )
    except registry.DeviceInvalid as err:
        return _page(422, row_form={"id": device_id, **form}, errors=err.errors)
    except OperationError as err:
        return _page(err.status, row_error={"id": device_id, "message": err.message})
    flash(_("Kiosk %(name)s disimpan.", name=device.name), "ok")
    return redirect(url_for("devices_admin.page"), code=303)


@devices_admin.post("/kios/<int:device_id>/aktif")
@role_required("admin")
def save_active(device_id: int):
    disabled = request.form.get("active") != "1"
    try:
        device = registry.set_kiosk_disabled(
            db_session(), device_id, disabled, current_staff(), _settings(), request_now()
        )
    except OperationError as err:
        return _page(err.status, row_error={"id": device_id, "message": err.message})
    if disabled:
        message = _("Kiosk %(name)s dinonaktifkan; tiketnya dicetak di printer bawaan.")
    else:
        message = _("Kiosk %(name)s diaktifkan kembali.")
    flash(message % {"name": device.name}, "ok")
    return redirect(url_for("devices_admin.page"), code=303)


@devices_admin.post("/pasang")
@role_required("admin")
def use_here():
    """ "Pasang di PC ini": this browser becomes that kiosk, and opens the kiosk."""
    token = request.form.get("token", "")
    if registry.kiosk_of_token(db_session(), token) is None:
        message = _("Kode perangkat tidak dikenal atau kiosk-nya dinonaktifkan.")
        return _page(422, errors={"token": message})
    return remember_device(redirect(url_for("kiosk.home"), code=303), token)


@devices_admin.post("/loket/<int:number>")
@role_required("admin")
def save_counter(number: int):
    # A field the form does not send stays as it is (a client that only sets the printer).
    form = {k: request.form[k] for k in registry.COUNTER_FIELDS if k in request.form}
    try:
        counter = registry.set_counter_devices(
            db_session(), number, form, current_staff(), _settings(), request_now()
        )
    except registry.DeviceInvalid as err:
        return _page(422, counter_form={"number": number, **form}, errors=err.errors)
    except OperationError as err:
        return _page(err.status, counter_form={"number": number, "message": err.message})
    flash(_("%(name)s disimpan.", name=counter.name), "ok")
    return redirect(url_for("devices_admin.page"), code=303)


def _settings():
    return current_app.config["ANTRIAN"]


def _box_accounts() -> list[str]:
    """The accounts a call box may act as, offered while typing (the field checks anyway)."""
    staff = db_session().scalars(select(Staff).where(Staff.active).order_by(Staff.username))
    return [s.username for s in staff if s.has_role("front_office")]


def _serial_devices() -> dict:
    """Each counter's display and call box: the plan (the page's values over the environment's),
    the environment's defaults (shown as placeholders), and whether each port is open."""
    session, settings = db_session(), _settings()
    plan = serial_plan(session, settings)
    hardware = current_app.extensions.get("antrian.hardware")
    running = hardware.serial.status() if hardware and hardware.serial else None
    found: dict[int, dict] = {}
    for row in device_states(plan, running):
        found.setdefault(row["counter"], {})[row["device"]] = row
    numbers = [c.number for c in session.query(Counter)]
    defaults = environment_defaults(settings, numbers)
    return {"devices": found, "defaults": defaults, "errors": plan.errors}
