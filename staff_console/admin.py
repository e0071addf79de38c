"""The admin page (/staff/admin): office details, logo, running text, printers, failed prints.

Office values live in the `settings` table (antrian.settings_store) and are read when used, so
the next slip and the next page load show a change. Bad input re-renders the page with what was
typed and an Indonesian message (422); nothing is lost. Routes in one table, role `admin`.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import select

from antrian import settings_store
from antrian.auth import current_staff, role_required
from antrian.config import Settings
from antrian.devices.config import config_errors
from antrian.events import record_event
from antrian.health import backup_health
from antrian.models import PrintJob
from antrian.operations.calls import actor_name
from antrian.operations.errors import OperationError
from antrian.printer_status import monitored, record_status, url_lock
from antrian.printing import jobs
from antrian.printing.directory import printer_entries, printer_label
from antrian.web import db_session, request_now

admin = Blueprint("admin", __name__, url_prefix="/staff/admin", template_folder="templates")

TEST_PAGE_WAIT_SECONDS = 10.0  # a slip being printed finishes well within this
FAILED_JOBS_SHOWN = 50


def _settings() -> Settings:
    return current_app.config["ANTRIAN"]


def _page(status: int = 200, form: dict | None = None, errors: dict | None = None, **extra):
    session = db_session()
    settings = _settings()
    stored = settings_store.load(session, settings)
    failed = session.scalars(
        select(PrintJob)
        .where(PrintJob.status == "failed")
        .order_by(PrintJob.id.desc())
        .limit(FAILED_JOBS_SHOWN)
    ).all()
    hardware = current_app.extensions.get("antrian.hardware")
    device_errors = config_errors(
        settings.counter_displays, settings.call_boxes, settings.call_box_staff
    )
    device_errors += [e for e in (hardware.errors if hardware else []) if e not in device_errors]
    html = render_template(
        "staff/admin.html",
        form=form or stored,
        errors=errors or {},
        logo_version=stored[settings_store.LOGO_KEY],
        limits=settings_store.LIMITS,
        printers=jobs.printer_states(session, settings, request_now()),
        failed_jobs=failed,
        device_errors=device_errors,
        backup=backup_health(settings, request_now()),
        **extra,
    )
    return html, status


@admin.get("/")
@role_required("admin")
def home():
    return _page()


@admin.post("/kantor")
@role_required("admin")
def save_office():
    values, errors = settings_store.clean_text_values(request.form)
    if errors:
        return _page(422, form=values, errors=errors)
    session = db_session()
    before = settings_store.load(session, _settings())
    changed = sorted(key for key, value in values.items() if before[key] != value)
    if changed:
        settings_store.put(session, {key: values[key] for key in changed})
        record_event(session, "settings.changed", request_now(), _actor(), keys=changed)
    flash("Pengaturan kantor disimpan." if changed else "Tidak ada yang berubah.", "ok")
    return redirect(url_for("admin.home"), code=303)


@admin.post("/logo")
@role_required("admin")
def upload_logo():
    upload = request.files.get("logo")
    # Read one byte past the limit: enough to refuse a big file without holding all of it.
    data = upload.stream.read(settings_store.LOGO_MAX_BYTES + 1) if upload else b""
    session = db_session()
    try:
        settings_store.store_logo(session, current_app.instance_path, data)
    except settings_store.SettingError as err:
        return _page(422, errors={"logo": str(err)})
    record_event(session, "settings.changed", request_now(), _actor(), keys=["logo"])
    flash("Logo disimpan; dicetak di bagian atas slip berikutnya.", "ok")
    return redirect(url_for("admin.home"), code=303)


@admin.post("/logo/hapus")
@role_required("admin")
def remove_logo():
    session = db_session()
    settings_store.remove_logo(session, current_app.instance_path)
    record_event(session, "settings.changed", request_now(), _actor(), keys=["logo"])
    flash("Logo dihapus.", "ok")
    return redirect(url_for("admin.home"), code=303)


@admin.get("/logo.png")
@role_required("admin")
def logo():
    path = settings_store.logo_path(current_app.instance_path)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=0)


@admin.post("/cetak-ulang/<int:job_id>")
@role_required("admin")
def reprint_job(job_id: int):
    try:
        copy = jobs.reprint_job(db_session(), job_id, _actor(), request_now())
    except OperationError as err:
        flash(err.message, "error")
    else:
        label = printer_label(db_session(), copy.printer)
        flash(f"{jobs.slip_label(copy)} dikirim ulang ke {label}.", "ok")
    return redirect(url_for("admin.home"), code=303)


@admin.post("/printer/<name>/uji")
@role_required("admin")
def test_page(name: str):
    from hardware.printing.errors import PrinterError
    from hardware.printing.testpage import print_test_page

    settings = _settings()
    entry = next((e for e in printer_entries(db_session(), settings) if e.name == name), None)
    if entry is None:
        flash(f"Printer '{name}' tidak dikenal.", "error")
        return redirect(url_for("admin.home"), code=303)
    url, label = entry.url, entry.label
    # The one print made inside a request: the admin stands at the printer waiting to see it.
    with url_lock(settings.instance_path, url).hold(timeout=TEST_PAGE_WAIT_SECONDS) as free:
        if not free:
            flash(f"{label} sedang mencetak. Coba lagi sebentar lagi.", "error")
            return redirect(url_for("admin.home"), code=303)
        try:
            status = print_test_page(url, settings.printer_profile)
        except PrinterError as err:
            flash(f"Halaman uji gagal dicetak di {label}: {err.message}", "error")
            return redirect(url_for("admin.home"), code=303)
    if monitored(url):
        record_status(db_session(), name, status, request_now())
    flash(f"Halaman uji dikirim ke {label}. Status printer: {status.describe()}.", "ok")
    return redirect(url_for("admin.home"), code=303)


def _actor() -> str:
    return actor_name(current_staff())
