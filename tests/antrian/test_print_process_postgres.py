"""On PostgreSQL the printer process is woken by the print jobs themselves (a NOTIFY per
printer), not by the event log: a reprint writes no event and must still print at once."""

from __future__ import annotations

import threading
import time

import pytest

from antrian import operations as ops
from antrian import print_process
from antrian.config import load_settings
from antrian.db import attach_commit_hooks
from antrian.models import PrintJob
from antrian.printing.spooler import reprint
from hardware.printing.escpos_reader import read_escpos
from tests.conftest import PG_URL, make_database


def printed_codes(paper) -> str:
    return read_escpos(paper.read_bytes()).text if paper.exists() else ""


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.postgres
def test_a_reprint_alone_wakes_the_printer_process_at_once(tmp_path, monkeypatch, now):
    db = make_database("postgres", tmp_path)
    attach_commit_hooks(db, lambda: None, lambda _printers: None)
    paper = tmp_path / "kiosk.bin"
    monkeypatch.setenv("ANTRIAN_DATABASE_URL", PG_URL)
    monkeypatch.setenv("ANTRIAN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("ANTRIAN_KIOSK_PRINTER_URL", f"file://{paper}")
    monkeypatch.setenv("ANTRIAN_COUNTER_PRINTER_URL", f"file://{tmp_path / 'loket.bin'}")
    stop, ready = threading.Event(), threading.Event()
    printer = threading.Thread(target=print_process.run, args=(load_settings(), stop, ready.set))
    printer.start()
    try:
        assert ready.wait(15)
        with db.write() as s:
            ticket = ops.issue_ticket(s, "A", None, None, now, public_base="http://kantor")
        assert wait_for(lambda: printed_codes(paper).count(ticket.code) == 1, timeout=5)
        time.sleep(0.5)  # the printer is idle again: it looks on its own only every 3 s
        with db.write() as s:
            job = s.query(PrintJob).filter_by(ticket_id=ticket.id).one()
            reprint(s, job.id, now)
        assert wait_for(lambda: printed_codes(paper).count(ticket.code) == 2, timeout=1.0)
    finally:
        stop.set()
        printer.join(timeout=15)
        db.dispose()
