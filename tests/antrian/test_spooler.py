"""The print spooler against a fake TCP printer that answers DLE EOT like a TM-T20II and can be
switched off, run out of paper and die with a slip in it (hardware/printing/testing.py)."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.models import Event, PrintJob
from antrian.printing.jobs import reprint_job
from antrian.printing.spooler import Spooler
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.layouts import REPRINT_MARK, OfficeInfo
from hardware.printing.testing import READY, FakeNetworkPrinter

OFFICE = OfficeInfo("DPMPTSP Kabupaten Pelalawan", "Pangkalan Kerinci", "0761-95991")


@pytest.fixture
def printer():
    """A TM-T20II on the network: answers status, paper in, cover closed."""
    with FakeNetworkPrinter(READY) as fake:
        yield fake


@pytest.fixture
def silent_printer():
    """A print server without a back channel: takes slips, never answers status."""
    with FakeNetworkPrinter() as fake:
        yield fake


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def spooler_for(db, url, clock, **kwargs) -> Spooler:
    return Spooler(db, {"kiosk": url}, "TM-T20II", OFFICE, clock=clock, **kwargs)


def issue(db, now, service="A"):
    with db.write() as s:
        return ops.issue_ticket(s, service, None, None, now, public_base="http://kantor").code


def jobs(db):
    with db.read() as s:
        return list(s.scalars(select(PrintJob).order_by(PrintJob.id)))


def events(db, kind):
    with db.read() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def print_all(spooler, clock, rounds=50):
    """Run the spooler's loop by hand: print, or wait out the backoff (the clock moves)."""
    for _ in range(rounds):
        if not spooler.run_once("kiosk"):
            if not any(j.status in ("pending", "printing") for j in jobs(spooler.db)):
                return
            clock.now += timedelta(seconds=30)


def test_a_ticket_prints_whole_and_only_once(db, now, printer):
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is True
    slip = read_escpos(printer.wait_jobs(1)[0])
    assert "A-001" in slip.text and slip.cuts == 1 and REPRINT_MARK not in slip.text
    assert slip.qr_payloads[0].startswith("http://kantor/t/")
    assert jobs(db)[0].status == "done"
    assert spooler.run_once("kiosk") is False  # nothing printed twice


def test_a_printer_that_cannot_answer_status_still_prints(db, now, silent_printer):
    issue(db, now)
    issue(db, now)
    spooler = spooler_for(db, silent_printer.url, Clock(now))
    assert spooler.run_once("kiosk") and spooler.run_once("kiosk")
    assert silent_printer.slips() == [("A-001", False), ("A-002", False)]


def test_each_slip_is_marked_done_as_soon_as_it_printed(db, now, printer):
    for _ in range(3):
        issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is True
    # One slip on paper, one job done; the rest were never claimed.
    assert [(j.status, j.attempts) for j in jobs(db)] == [
        ("done", 1),
        ("pending", 0),
        ("pending", 0),
    ]
    assert printer.slips() == [("A-001", False)]


def test_paper_out_is_not_sent_to_and_the_slips_wait_in_order(db, now, printer):
    clock = Clock(now)
    printer.paper_out()
    for _ in range(3):
        issue(db, now)
    spooler = spooler_for(db, printer.url, clock)
    for _ in range(5):
        assert spooler.run_once("kiosk") is False
        clock.now += timedelta(seconds=30)
    assert printer.slips() == []  # asked for its status, never sent a slip
    assert {j.status for j in jobs(db)} == {"pending"}
    assert "kertas habis" in jobs(db)[0].last_error
    printer.ready()
    print_all(spooler, clock)
    assert printer.slips() == [("A-001", False), ("A-002", False), ("A-003", False)]
    assert {j.status for j in jobs(db)} == {"done"}


def test_cover_open_is_not_sent_to_either(db, now, printer):
    printer.cover_open()
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is False
    assert printer.slips() == [] and "tutup printer terbuka" in jobs(db)[0].last_error


def test_a_printer_off_for_a_long_time_is_never_given_up_on_that_day(db, now, printer):
    clock = Clock(now)
    printer.stop()
    issue(db, now)
    spooler = spooler_for(db, printer.url, clock)
    for _ in range(40):  # 40 minutes of retries (it was 8 attempts, then 'failed')
        spooler.run_once("kiosk")
        clock.now += timedelta(minutes=1)
    assert jobs(db)[0].status == "pending" and jobs(db)[0].attempts >= 30
    issue(db, clock.now)
    printer.start()
    print_all(spooler, clock)
    assert printer.slips() == [("A-001", False), ("A-002", False)]


def test_slips_of_a_past_day_are_not_printed_the_next_morning(db, now, printer):
    clock = Clock(now)
    printer.stop()
    issue(db, now)
    spooler = spooler_for(db, printer.url, clock)
    spooler.run_once("kiosk")
    printer.start()
    clock.now = now + timedelta(days=1)
    issue(db, clock.now)
    print_all(spooler, clock)
    assert printer.slips() == [("A-001", False)]  # today's A-001, not yesterday's
    old, new = jobs(db)
    assert old.status == "failed" and "Hari layanan" in old.last_error
    assert new.status == "done"
    assert events(db, "print.expired")[0].data["job_ids"] == [old.id]


def test_a_printer_dying_with_a_slip_in_it_prints_it_again_marked_and_in_order(db, now, printer):
    clock = Clock(now)
    for _ in range(3):
        issue(db, now)
    printer.die_during_next_slip()
    spooler = spooler_for(db, printer.url, clock)
    assert spooler.run_once("kiosk") is False
    first = jobs(db)[0]
    assert first.status == "pending" and first.reprint is True  # not recorded as printed
    assert len(printer.lost) == 1 and not printer.running
    printer.start()
    print_all(spooler, clock)
    # The slip that may be on paper says so; the others come after it, in issue order.
    assert printer.slips() == [("A-001", True), ("A-002", False), ("A-003", False)]


def test_the_desks_see_the_problem_and_see_it_clear_when_the_printer_is_ready(db, now, printer):
    from antrian.config import load_settings
    from antrian.printing.jobs import printer_states

    settings = load_settings({}).with_(
        database_url=db.url, kiosk_printer_url=printer.url, counter_printer_url=""
    )
    clock = Clock(now)
    printer.stop()
    issue(db, now)
    spooler = spooler_for(db, printer.url, clock, alert_seconds=60)

    def state():
        with db.read() as s:
            return printer_states(s, settings, clock.now)[0]

    spooler.run_once("kiosk")
    assert state().problem and not state().alert  # a printer restarting alarms nobody
    assert state().waiting == 1 and [j.id for j in state().waiting_jobs] == [jobs(db)[0].id]
    clock.now += timedelta(seconds=61)
    spooler.run_once("kiosk")
    assert state().alert
    [alert] = events(db, "printer.alert")  # wakes the desks once, not at every retry
    assert alert.data["waiting"] == 1
    clock.now += timedelta(seconds=61)
    spooler.run_once("kiosk")
    assert len(events(db, "printer.alert")) == 1
    printer.start()
    print_all(spooler, clock)
    assert state().status == "siap" and not state().problem and not state().alert
    assert state().waiting == 0


def test_paper_out_turns_the_alert_red_at_once(db, now, printer):
    from antrian.config import load_settings
    from antrian.printing.jobs import printer_states

    settings = load_settings({}).with_(
        database_url=db.url, kiosk_printer_url=printer.url, counter_printer_url=""
    )
    printer.paper_out()
    issue(db, now)
    spooler_for(db, printer.url, Clock(now)).run_once("kiosk")
    with db.read() as s:
        [state] = printer_states(s, settings, now)
    assert state.alert and state.status == "kertas habis"


def test_staff_reprint_a_printed_slip_once_marked_and_logged(db, now, printer):
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    spooler.run_once("kiosk")
    original = jobs(db)[0].id
    with db.write() as s:
        copy = reprint_job(s, original, "Dewi", now)
    with db.write() as s, pytest.raises(ops.Conflict):
        reprint_job(s, original, "Dewi", now)  # a double click: no third copy
    with db.write() as s, pytest.raises(ops.NotFound):
        reprint_job(s, 999_999, "Dewi", now)
    assert spooler.run_once("kiosk") is True
    assert printer.slips() == [("A-001", False), ("A-001", True)]
    [logged] = events(db, "print.reprinted")
    assert logged.actor == "Dewi" and logged.data["job_id"] == original
    assert logged.data["new_job_id"] == copy.id


def test_a_broken_job_fails_at_once_and_does_not_block_the_next(db, now, printer):
    with db.write() as s:
        s.add(
            PrintJob(
                printer="kiosk",
                kind="ticket",
                payload={"nonsense": 1},
                created_dt=now,
                next_attempt_dt=now,
            )
        )
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is True  # given up on: the loop goes on at once
    assert spooler.run_once("kiosk") is True
    broken, good = jobs(db)
    assert broken.status == "failed" and "rusak" in broken.last_error
    assert good.status == "done"
    assert printer.slips() == [("A-001", False)]


def test_background_threads_print_right_after_the_commit(db, now, printer):
    from antrian.clock import utcnow
    from antrian.db import attach_commit_hooks

    spooler = Spooler(db, {"kiosk": printer.url}, "TM-T20II", OFFICE)
    attach_commit_hooks(db, lambda: None, spooler.wake)
    spooler.start()
    try:
        issue(db, utcnow(), "E")
        assert "E-001" in read_escpos(printer.wait_jobs(1)[0]).text
    finally:
        spooler.stop()


def test_an_unreachable_address_keeps_the_job(db, now):
    with socket.socket() as s:  # a port nobody listens on: an unplugged network printer
        s.bind(("127.0.0.1", 0))
        url = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    issue(db, now)
    spooler = spooler_for(db, url, Clock(now))
    assert spooler.run_once("kiosk") is False
    job = jobs(db)[0]
    assert job.status == "pending" and job.reprint is False  # nothing was sent
    assert "koneksi ditolak" in job.last_error


def test_a_rush_prints_in_order_and_a_stopped_spooler_leaves_no_slip_half_claimed(db, now, printer):
    """The thread claims each slip of a queue with the outcome of the one before it; stopped
    in the middle of the queue (the server shut down), it claims nothing more: the slips left
    print after the restart as first copies, not as CETAK ULANG."""
    import time

    from antrian.clock import utcnow

    printer.slip_seconds = 0.1  # a thermal printer's pace: the queue is still there at the stop
    with db.write() as s:
        codes = [
            ops.issue_ticket(s, "A", None, None, utcnow(), public_base="http://k").code
            for _ in range(8)
        ]
    spooler = Spooler(db, {"kiosk": printer.url}, "TM-T20II", OFFICE)
    spooler.start()
    try:
        printer.wait_jobs(3)
    finally:
        spooler.stop()
    time.sleep(0.3)  # the printer finishes what reached it
    before = printer.slips()
    assert 3 <= len(before) < len(codes)
    assert {j.status for j in jobs(db)} == {"done", "pending"}  # none left 'printing'

    restarted = Spooler(db, {"kiosk": printer.url}, "TM-T20II", OFFICE)
    restarted.recover()
    while restarted.run_once("kiosk"):
        pass
    assert printer.slips() == [(code, False) for code in codes]
    assert {j.status for j in jobs(db)} == {"done"}
