"""On PostgreSQL every writer that records an event takes the event-order lock before any row
(antrian/events.py). The spooler's morning clean-up of yesterday's slips records one: were it
to fail the slips first and then wait for the lock, an admin removing that printer (who holds
the lock, then moves the printer's waiting slips) would deadlock with it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.config import load_settings
from antrian.events import hold_event_order
from antrian.models import PrintJob
from antrian.printing.directory import reroute_orphans
from antrian.printing.spooler import Spooler
from hardware.serial_devices.testing import wait_until
from tests.antrian.test_spooler import OFFICE
from tests.conftest import make_database, someone_waits_for_an_advisory_lock


@pytest.mark.postgres
def test_yesterdays_slips_expire_beside_an_admin_removing_their_printer(tmp_path, now):
    db = make_database("postgres", tmp_path)
    try:
        settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path)}).with_(
            database_url=db.url
        )
        with db.write() as s:  # yesterday, on kiosk 9's own printer, never printed
            ops.issue_ticket(
                s, "A", None, None, now - timedelta(days=1), public_base="", print_on="kiosk-9"
            )
        spooler = Spooler(
            db, {"kiosk-9": f"file://{tmp_path / 'k9.bin'}"}, "TM-T20II", OFFICE, clock=lambda: now
        )
        failures = []

        def clean_up():
            try:
                spooler.expire("kiosk-9", now)
            except Exception as exc:  # noqa: BLE001 - the test reports it
                failures.append(exc)

        with db.write() as s:
            hold_event_order(s)  # the admin's removal of kiosk 9 has begun
            morning = threading.Thread(target=clean_up)
            morning.start()
            assert wait_until(lambda: someone_waits_for_an_advisory_lock(db), timeout=10)
            reroute_orphans(s, settings)  # kiosk 9 is gone: its waiting slips go to the default
        morning.join(timeout=20)

        assert failures == []
        with db.read() as s:
            job = s.scalar(select(PrintJob))
        # The admin's move came first; the default printer's spooler expires it in its turn.
        assert (job.printer, job.status) == ("kiosk", "pending")
    finally:
        db.dispose()
