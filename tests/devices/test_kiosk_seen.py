"""A registered kiosk notes when it last printed (the admin page shows it). That note is a
write to the kiosk's row; on PostgreSQL it must come after the lock every writer takes first
(antrian/events.py), or an admin editing that kiosk while it issues a ticket deadlocks with it:
the admin holds the lock and wants the row, the kiosk holds the row and wants the lock."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import text, update

from antrian.clock import utcnow
from antrian.devices.registry import update_kiosk
from antrian.events import hold_event_order
from antrian.models import KioskDevice
from hardware.serial_devices.testing import wait_until
from tests.conftest import make_database, someone_waits_for_an_advisory_lock
from tests.devices.conftest import csrf_of
from tests.devices.test_kiosk_devices import register


@pytest.mark.postgres
def test_an_admin_editing_a_kiosk_while_it_issues_waits_and_neither_fails(tmp_path, login):
    from antrian import create_app
    from antrian.config import load_settings

    db = make_database("postgres", tmp_path)
    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
        database_url=db.url, issue_rate_limit="off", start_background=False
    )
    app = create_app(settings, TESTING=True)
    try:
        admin = app.test_client()
        csrf = login(app, admin, "kepala", "admin")
        url = register(admin, csrf, "Kios lobi", "")
        kiosk = app.test_client()
        assert kiosk.get(url.removeprefix("http://localhost")).status_code == 303
        with db.write() as s:  # not seen for a while: its next ticket notes it
            s.execute(update(KioskDevice).values(last_seen_dt=None))
            device_id = s.scalar(text("SELECT id FROM kiosk_devices"))
        html = kiosk.get("/kiosk/layanan/C").get_data(as_text=True)
        key = re.search(r'name="request_key" value="([^"]+)"', html).group(1)
        form = {"csrf_token": csrf_of(html), "service": "C", "request_key": key}

        answers = []
        with db.write() as s:
            hold_event_order(s)  # the admin's edit has begun
            walk_in = threading.Thread(
                target=lambda: answers.append(kiosk.post("/kiosk/tiket", data=form))
            )
            walk_in.start()
            assert wait_until(lambda: someone_waits_for_an_advisory_lock(db), timeout=10)
            update_kiosk(s, device_id, "Kios lobi kiri", "", None, settings, utcnow())
        walk_in.join(timeout=20)

        assert [answer.status_code for answer in answers] == [303]
        with db.read() as s:
            device = s.get(KioskDevice, device_id)
            assert device.name == "Kios lobi kiri"
            assert device.last_seen_dt is not None
            assert s.scalar(text("SELECT count(*) FROM tickets")) == 1
    finally:
        app.extensions["antrian.db"].dispose()
        db.dispose()
