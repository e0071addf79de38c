"""Printers of registered devices: the slips of a kiosk that loses its printer go to the
default one, devices sharing a printer share its lock, a printer added while the spooler runs
prints, and every screen that reports a printer names its device."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.config import load_settings
from antrian.devices import registry
from antrian.models import Event, PrintJob
from antrian.printer_status import PrinterMonitor, url_lock
from antrian.printing.directory import printer_urls
from antrian.printing.spooler import Spooler
from hardware.printing.testing import READY, FakeNetworkPrinter


@pytest.fixture
def settings(db, tmp_path):
    return load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path)}).with_(
        database_url=db.url,
        kiosk_printer_url=f"file://{tmp_path / 'kiosk.bin'}",
        counter_printer_url=f"file://{tmp_path / 'loket.bin'}",
    )


def test_slips_waiting_for_a_kiosk_that_loses_its_printer_go_to_the_default(db, now, settings):
    with db.write() as s:
        device, _token = registry.register_kiosk(s, "Kios lobi", "tcp://10.0.0.9:9100", None, now)
        ops.issue_ticket(s, "C", None, None, now, print_on=f"kiosk-{device.id}")
        ops.issue_ticket(s, "C", None, None, now, print_on=f"kiosk-{device.id}")
    with db.read() as s:
        assert [j.printer for j in s.scalars(select(PrintJob))] == ["kiosk-1", "kiosk-1"]
        assert "kiosk-1" in printer_urls(db, settings)
    with db.write() as s:
        registry.set_kiosk_disabled(s, device.id, True, None, settings, now)
    with db.read() as s:
        assert [j.printer for j in s.scalars(select(PrintJob))] == ["kiosk", "kiosk"]
    assert "kiosk-1" not in printer_urls(db, settings)


def test_two_devices_sharing_a_printer_share_its_lock(db, now, settings):
    with db.write() as s:
        registry.register_kiosk(s, "Kios kiri", "tcp://10.0.0.9:9100", None, now)
        registry.set_counter_printer(s, 3, "tcp://10.0.0.9:9100", None, settings, now)
    spooler = Spooler.from_settings(db, settings)
    # One printer between two devices: their slips never interleave on paper.
    assert spooler.locks["kiosk-1"] is spooler.locks["loket-3"]
    assert spooler.locks["kiosk-1"] is url_lock(settings.instance_path, "tcp://10.0.0.9:9100")
    assert spooler.locks["kiosk-1"] is not spooler.locks["kiosk"]


def test_status_api_health_and_alert_name_the_device(db, now, settings, tmp_path):
    from antrian.auth import new_api_token
    from antrian.seed import add_staff
    from tests.conftest import make_app

    with FakeNetworkPrinter(READY) as printer:
        printer.paper_out()
        with db.write() as s:
            registry.register_kiosk(s, "Kios lobi kiri", printer.url, None, now)
        monitor = PrinterMonitor(
            db,
            {},
            {},
            directory=lambda: printer_urls(db, settings),
            lock_for=lambda url: url_lock(tmp_path, url),
        )
        monitor.check_all()
    with db.read() as s:
        event = s.scalar(select(Event).where(Event.kind == "printer.status"))
    assert event.data["message"] == "Printer kios Kios lobi kiri: kertas habis"

    app = make_app(db, tmp_path / "web")
    with db.write() as s:
        add_staff(s, "petugas", "Petugas", "sandi-rahasia-1", "front_office", now)
        token = new_api_token(s, "petugas")
    listed = app.test_client().get("/api/v1/printers", headers={"Authorization": f"Bearer {token}"})
    mine = next(p for p in listed.get_json() if p["name"] == "kiosk-1")
    assert mine["label"] == "Printer kios Kios lobi kiri" and mine["device"] == "Kios lobi kiri"
    assert mine["status"] == "kertas habis"
    health = app.test_client().get("/healthz").get_json()
    mine = next(p for p in health["printers"] if p["name"] == "kiosk-1")
    assert mine["label"] == "Printer kios Kios lobi kiri" and mine["device"] == "Kios lobi kiri"
    assert (mine["ok"], mine["status"]) == (False, "kertas habis")
    assert health["status"] == "degraded"


def test_the_spooler_takes_a_printer_added_while_it_runs(db, settings):
    with FakeNetworkPrinter(READY) as printer:
        spooler = Spooler.from_settings(db, settings)
        spooler.start()
        try:
            with db.write() as s:
                device, _ = registry.register_kiosk(s, "Kios baru", printer.url, None, utcnow())
                ops.issue_ticket(s, "C", None, None, utcnow(), print_on=f"kiosk-{device.id}")
            # What the commit hook does after this commit (antrian/db.py): names the printer.
            spooler.wake({f"kiosk-{device.id}"})
            printer.wait_jobs(1, timeout=10)
            assert [code for code, _ in printer.slips()] == ["C-001"]
        finally:
            spooler.stop()
