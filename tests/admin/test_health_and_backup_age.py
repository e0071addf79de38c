"""/healthz tells the parts apart; the admin page shows the last backup's age."""

from __future__ import annotations

import os
from datetime import timedelta

from antrian.backup import backup
from antrian.printer_status import record_status
from hardware.printing.status import PrinterStatus


def test_healthz_names_database_printers_devices_and_backup(app, client, db, now):
    r = client.get("/healthz")
    assert r.status_code == 200
    report = r.get_json()
    assert report["database"] == {"ok": True}
    assert {p["name"] for p in report["printers"]} == {"kiosk", "loket"}
    assert report["serial_devices"] == {"ok": True, "errors": [], "devices": []}
    assert report["backup"]["ok"] is False and report["backup"]["last"] is None
    assert report["status"] == "degraded"  # no backup yet

    settings = app.config["ANTRIAN"]
    made = backup(db.url, settings.backups_path, now) if db.url.startswith("sqlite") else None
    if made is None:  # PostgreSQL: a backup file from the day before is what /healthz reads
        settings.backups_path.mkdir(parents=True, exist_ok=True)
        made = settings.backups_path / "antrian-20261125-173000.pgdump"
        made.write_bytes(b"x")
    report = client.get("/healthz").get_json()
    assert report["backup"]["ok"] is True and report["backup"]["last"] == made.name
    assert report["status"] == "ok"


def test_healthz_reports_a_printer_out_of_paper_without_failing(app, client, db, now):
    # A network printer reports its status; a file printer cannot.
    app.config["ANTRIAN"] = app.config["ANTRIAN"].with_(kiosk_printer_url="tcp://127.0.0.1:9")
    with db.write() as s:
        record_status(s, "kiosk", PrinterStatus(online=True, paper_out=True), now)
    report = client.get("/healthz").get_json()
    kiosk = next(p for p in report["printers"] if p["name"] == "kiosk")
    assert kiosk["ok"] is False and "kertas" in kiosk["status"]
    assert report["database"]["ok"] is True and report["status"] == "degraded"


def test_healthz_is_503_when_the_database_is_gone(app, client):
    from sqlalchemy.orm import sessionmaker

    app.extensions["antrian.db"].ReadSession = sessionmaker(_broken_engine())
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.get_json()["database"]["ok"] is False and r.get_json()["status"] == "down"


def _broken_engine():
    from sqlalchemy import create_engine

    return create_engine("sqlite:////nonexistent-folder/antrian.sqlite3")


def test_the_admin_page_shows_the_backup_age_red_after_two_days(app, client, admin_csrf, now):
    page = client.get("/staff/admin/").get_data(as_text=True)
    assert "Belum ada cadangan" in page
    folder = app.config["ANTRIAN"].backups_path
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / "antrian-20261123-173000.sqlite3"
    old.write_bytes(b"x")
    three_days = (now - timedelta(days=3)).timestamp()
    os.utime(old, (three_days, three_days))
    page = client.get("/staff/admin/").get_data(as_text=True)
    assert "antrian-20261123-173000.sqlite3" in page and "lebih dari 2 hari" in page
