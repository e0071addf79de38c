"""Who prints and owns the serial ports: one process of the server, chosen on PostgreSQL by an
advisory lock; a spooler whose thread died is started again."""

from __future__ import annotations

import ctypes
import json
import time

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.background import Background
from antrian.clock import utcnow
from antrian.config import load_settings
from antrian.db import attach_commit_hooks
from antrian.models import PrintJob
from antrian.printing.jobs import reprint_job
from hardware.printing.escpos_reader import read_escpos
from hardware.serial_devices.testing import PtyDevice, wait_until
from tests.conftest import make_database


def printed(paper) -> str:
    return read_escpos(paper.read_bytes()).text if paper.exists() else ""


def settings_for(db, tmp_path, **overrides):
    return load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")}).with_(
        database_url=db.url,
        kiosk_printer_url=f"file://{tmp_path / 'kiosk.bin'}",
        counter_printer_url=f"file://{tmp_path / 'loket.bin'}",
        **overrides,
    )


def started(db, settings, **options) -> Background:
    background = Background(db, settings, None, {}, **options)
    attach_commit_hooks(db, lambda: None, background.wake_printers)
    background.start()
    return background


def issue(db):
    # The background spooler runs on the wall clock: a slip of another day would not print.
    with db.write() as s:
        return ops.issue_ticket(s, "A", None, None, utcnow(), public_base="http://kantor")


def job_status(db, ticket_id: int) -> str | None:
    with db.read() as s:
        return s.scalar(select(PrintJob.status).where(PrintJob.ticket_id == ticket_id))


def kill_thread(thread) -> None:
    """End a thread as a crash in a driver would: an exception the spooler does not catch."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit)
    )


# The killed threads end in the SystemExit raised into them: that is the test, not a fault.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_spooler_whose_thread_died_is_started_again_and_prints(db, tmp_path):
    paper = tmp_path / "kiosk.bin"
    background = started(db, settings_for(db, tmp_path), watch_seconds=0.1)
    try:
        first = issue(db)
        assert wait_until(lambda: first.code in printed(paper), timeout=5)
        # Killed once it has recorded the slip and waits for the next: an exception raised into
        # it in mid-transaction could stop it before it gives the write lock back.
        assert wait_until(lambda: job_status(db, first.id) == "done", timeout=5)
        time.sleep(0.2)
        dead = background.spooler
        for thread in dead._threads.values():
            kill_thread(thread)
        assert wait_until(lambda: not dead.alive, timeout=5)
        assert wait_until(lambda: background.spooler is not dead, timeout=5)
        second = issue(db)
        assert wait_until(lambda: second.code in printed(paper), timeout=5)
    finally:
        background.stop()


@pytest.mark.postgres
def test_one_process_owns_the_printers_and_ports_and_another_takes_over(tmp_path):
    first_db = make_database("postgres", tmp_path)
    second_db = make_database("postgres", tmp_path)
    paper = tmp_path / "kiosk.bin"
    with PtyDevice(tmp_path / "ttyUSB-box1") as device:
        settings = settings_for(first_db, tmp_path, call_boxes=json.dumps({"1": device.url}))
        first = started(first_db, settings, owner_retry_seconds=0.1)
        assert first.owned.wait(10)
        second = started(second_db, settings, owner_retry_seconds=0.1)
        try:
            time.sleep(0.5)
            assert not second.owned.is_set() and second.spooler is None
            assert second.hardware is None
            ticket = issue(first_db)
            assert wait_until(lambda: printed(paper).count(ticket.code) == 1, timeout=5)

            first.stop()  # the owning worker is gone: its lock goes with its connection
            assert second.owned.wait(5)
            assert wait_until(lambda: second.hardware.call_boxes[0].port.connected, timeout=5)
            later = issue(first_db)  # written by another process: NOTIFY wakes the owner
            assert wait_until(lambda: printed(paper).count(later.code) == 1, timeout=5)
            assert printed(paper).count(ticket.code) == 1
        finally:
            first.stop()
            second.stop()
            first_db.dispose()
            second_db.dispose()


@pytest.mark.postgres
def test_a_reprint_alone_wakes_the_owner_at_once(tmp_path):
    """A reprint's print job wakes the owner through the print channel's NOTIFY at once."""
    db = make_database("postgres", tmp_path)
    writer = make_database("postgres", tmp_path)
    attach_commit_hooks(writer, lambda: None, lambda _printers: None)  # another process
    paper = tmp_path / "kiosk.bin"
    background = started(db, settings_for(db, tmp_path))
    try:
        assert background.owned.wait(10)
        ticket = issue(writer)
        assert wait_until(lambda: printed(paper).count(ticket.code) == 1, timeout=5)
        time.sleep(0.5)  # idle again: on its own it looks only every few seconds
        with writer.write() as s:
            job = s.query(PrintJob).filter_by(ticket_id=ticket.id).one()
            reprint_job(s, job.id, "Dewi", utcnow())
        assert wait_until(lambda: printed(paper).count(ticket.code) == 2, timeout=1.0)
    finally:
        background.stop()
        db.dispose()
        writer.dispose()
