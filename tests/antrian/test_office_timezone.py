"""ANTRIAN_TIMEZONE is the office's time everywhere it is shown or printed: the board's clock
and its label, the slips (printed by the spooler in the server's process)."""

from __future__ import annotations

import pytest

from antrian import clock
from antrian import operations as ops
from antrian.models import PrintJob
from antrian.printing.slips import slip_from_payload
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.layouts import OfficeInfo, render_bytes
from tests.conftest import make_app


@pytest.fixture
def makassar(db, tmp_path):
    app = make_app(db, tmp_path, timezone="Asia/Makassar")
    yield app
    clock.set_office_timezone("Asia/Jakarta")  # the zone is the process's, as in the server
    app.extensions["antrian.db"].dispose()


def test_the_board_runs_its_clock_in_the_office_zone_with_its_label(makassar):
    page = makassar.test_client().get("/display/").get_data(as_text=True)
    assert 'data-timezone="Asia/Makassar"' in page
    assert "WITA" in page and "WIB" not in page


def test_a_ticket_slip_shows_the_office_time_and_zone(makassar, db, now):
    with db.write() as s:
        ops.issue_ticket(s, "A", None, None, now, public_base="http://kantor")
    with db.read() as s:
        job = s.query(PrintJob).one()
        slip = slip_from_payload(job.kind, job.payload)
    paper = read_escpos(render_bytes(slip, OfficeInfo(name="Kantor", address="Jl. Kantor 1")))
    # 02:00 UTC is 10:00 in Makassar (WITA, UTC+8), not 09:00 WIB.
    assert "10:00 WITA" in paper.text and "WIB" not in paper.text
