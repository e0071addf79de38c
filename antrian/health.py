"""`/healthz`: what a monitoring tool or the office IT person needs to tell apart.

The answer is 200 while tickets can be issued (the database answers), 503 when not; the parts
that degrade the office without stopping it (a printer out of paper, a serial device left out or
unplugged, a backup too old) are named in the JSON with `ok: false`, each device with its counter.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import text

from antrian.backup import last_backup
from antrian.config import Settings
from antrian.devices.serial_plan import SerialPlan, device_states, serial_plan
from antrian.printing.jobs import printer_states

BACKUP_STALE_HOURS = 48


def backup_health(settings: Settings, now: datetime) -> dict:
    latest = last_backup(settings.backups_path)
    if latest is None:
        return {"ok": False, "last": None, "age_hours": None, "message": "belum ada cadangan"}
    age = latest.age_hours(now)
    return {
        "ok": age <= BACKUP_STALE_HOURS,
        "last": latest.path.name,
        "age_hours": round(age, 1),
        "message": "baik" if age <= BACKUP_STALE_HOURS else "cadangan terakhir lebih dari 2 hari",
    }


def health_report(app: Flask, now: datetime) -> tuple[dict, bool]:
    """The report, and whether the office can issue tickets at all."""
    settings: Settings = app.config["ANTRIAN"]
    db = app.extensions["antrian.db"]
    report: dict = {}
    hardware = app.extensions.get("antrian.hardware")
    plan = SerialPlan()
    try:
        with db.read() as session:
            session.execute(text("SELECT 1"))
            printers = printer_states(session, settings, now)
            plan = serial_plan(session, settings)
        report["database"] = {"ok": True}
    except Exception as exc:  # any driver error means the same to a monitor: no database
        report["database"] = {"ok": False, "message": type(exc).__name__}
        printers = []
    report["printers"] = [
        {
            "name": p.name,
            "label": p.label,
            "device": p.device or None,
            "ok": not p.problem,
            "status": p.status or "belum diperiksa",
            "waiting": p.waiting,
        }
        for p in printers
    ]
    # Any worker can tell the plan and its mistakes; only the one running the devices (this
    # process, or another) knows whether their ports are open.
    found_here = hardware.errors if hardware else []
    errors = plan.errors + [e for e in found_here if e not in plan.errors]
    running = hardware.serial.status() if hardware and hardware.serial else None
    devices = device_states(plan, running)
    report["serial_devices"] = {
        "ok": not errors and all(d["connected"] is not False for d in devices),
        "errors": errors,
        "devices": devices,
    }
    report["backup"] = backup_health(settings, now)
    parts = [report["database"], report["serial_devices"], report["backup"], *report["printers"]]
    report["status"] = "ok" if all(p["ok"] for p in parts) else (
        "degraded" if report["database"]["ok"] else "down"
    )  # fmt: skip
    return report, report["database"]["ok"]
