"""Devices on the web (/staff/admin/perangkat, role admin): register kiosk PCs and give each
its printer, give counters a printer of their own, disable a kiosk.

A new kiosk's token is shown once, on the page that registered it (never in a flash: the
session cookie is signed, not encrypted), with two ways to put it on the kiosk PC: "Pasang di
PC ini" (this browser keeps it as a cookie) and the kiosk-mode URL for its autostart. Bad input
re-renders the page with what was typed and the message next to its field (422)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from antrian.auth import current_staff, role_required
from antrian.devices import registry
from antrian.devices.browser import remember_device
from antrian.devices.config import parse_call_boxes, parse_counter_displays
from antrian.models import Counter
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
    url = request.form.get("printer_url", "")
    try:
        counter = registry.set_counter_printer(
            db_session(), number, url, current_staff(), _settings(), request_now()
        )
    except registry.DeviceInvalid as err:
        return _page(422, counter_form={"number": number, "printer_url": url}, errors=err.errors)
    except OperationError as err:
        return _page(err.status, counter_form={"number": number, "message": err.message})
    flash(_("Printer %(name)s disimpan.", name=counter.name), "ok")
    return redirect(url_for("devices_admin.page"), code=303)


def _settings():
    return current_app.config["ANTRIAN"]


def _serial_devices() -> dict[int, dict[str, str]]:
    """Each counter's display and call box, as the environment sets them (shown, not edited
    here: a serial port is opened by the server's own process at start)."""
    settings = _settings()
    found: dict[int, dict[str, str]] = {}
    try:
        for number, spec in parse_counter_displays(settings.counter_displays).items():
            found.setdefault(number, {})["display"] = f"{spec['kind']} · {spec['port']}"
    except ValueError:
        pass  # the admin page's device errors say what is wrong
    try:
        for box in parse_call_boxes(settings.call_boxes, settings.call_box_staff):
            found.setdefault(box.counter, {})["call_box"] = f"{box.port} · {box.staff}"
    except ValueError:
        pass
    return found
