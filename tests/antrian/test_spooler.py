"""The print spooler against a real TCP socket standing in for the network printer."""

from __future__ import annotations

import socket
import time
from datetime import timedelta
from unittest.mock import patch

import pytest
from sqlalchemy import select

from antrian import operations as ops
from antrian.models import Event, PrintJob
from antrian.printing.spooler import BATCH, MAX_ATTEMPTS, MAX_BATCH, Spooler, reprint
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.layouts import OfficeInfo
from hardware.printing.testing import FakeNetworkPrinter
from hardware.printing.transports import PrinterError

OFFICE = OfficeInfo("DPMPTSP Kabupaten Pelalawan", "Pangkalan Kerinci", "0761-95991")


@pytest.fixture
def printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def dead_url():
    with socket.socket() as s:  # a port nobody listens on: an unplugged network printer
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def spooler_for(db, url, clock) -> Spooler:
    return Spooler(db, {"kiosk": url}, "TM-T20II", OFFICE, clock=clock)


def issue(db, now, service="A"):
    with db.write() as s:
        return ops.issue_ticket(s, service, None, None, now, public_base="http://kantor").code


def jobs(db):
    with db.read() as s:
        return list(s.scalars(select(PrintJob).order_by(PrintJob.id)))


def test_a_ticket_prints_whole_on_the_network_printer(db, now, printer):
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is True
    paper = read_escpos(printer.wait_jobs(1)[0])
    assert "A-001" in paper.text and paper.cuts == 1
    assert paper.qr_payloads[0].startswith("http://kantor/t/")
    assert jobs(db)[0].status == "done"
    assert spooler.run_once("kiosk") is False  # nothing printed twice


def test_dead_printer_keeps_the_job_and_prints_it_once_when_it_returns(db, now, dead_url, printer):
    clock = Clock(now)
    issue(db, now)
    spooler = spooler_for(db, dead_url, clock)
    assert spooler.run_once("kiosk") is False
    job = jobs(db)[0]
    assert job.status == "pending" and job.attempts == 1 and "tidak dapat" in job.last_error.lower()
    with db.read() as s:
        alert = s.scalar(select(Event).where(Event.kind == "printer.error"))
    assert alert is not None and alert.data["printer"] == "kiosk"
    # Issuing goes on while the printer is dead.
    assert issue(db, now) == "A-002"
    # The printer is plugged back in; after the backoff both jobs print, once each.
    spooler.printers["kiosk"] = printer.url
    assert spooler.run_once("kiosk") is True  # A-002 was due at once
    clock.now = now + timedelta(seconds=5)
    assert spooler.run_once("kiosk") is True
    assert spooler.run_once("kiosk") is False
    printed = [read_escpos(b).text for b in printer.wait_jobs(2)]
    assert sorted("A-001" in t for t in printed) == [False, True]
    assert [j.status for j in jobs(db)] == ["done", "done"]
    with db.read() as s:
        assert s.scalar(select(Event).where(Event.kind == "printer.ok")) is not None


def test_a_job_that_keeps_failing_is_marked_failed_with_its_reason(db, now, dead_url):
    clock = Clock(now)
    issue(db, now)
    spooler = spooler_for(db, dead_url, clock)
    for _attempt in range(MAX_ATTEMPTS):
        clock.now += timedelta(minutes=2)
        spooler.run_once("kiosk")
    job = jobs(db)[0]
    assert job.status == "failed" and job.attempts == MAX_ATTEMPTS and job.last_error
    with db.read() as s:
        assert s.scalar(select(Event).where(Event.kind == "printer.failed")) is not None


def test_jobs_survive_a_restart_and_print_once(db, now, printer):
    issue(db, now)
    issue(db, now)
    with db.write() as s:  # the server died while printing the first job
        s.scalars(select(PrintJob)).first().status = "printing"
    restarted = spooler_for(db, printer.url, Clock(now))
    restarted.recover()
    while restarted.run_once("kiosk"):
        pass
    assert len(printer.wait_jobs(2)) == 2
    assert [j.status for j in jobs(db)] == ["done", "done"]


def test_a_rush_prints_in_batches_each_slip_once_in_order(db, now, printer):
    for _ in range(25):
        issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    assert spooler.run_once("kiosk") is True  # the first BATCH slips
    assert [j.status for j in jobs(db)].count("done") == BATCH
    while spooler.run_once("kiosk"):
        pass
    printed = [read_escpos(b).text for b in printer.wait_jobs(25)]
    assert [next(c for c in (f"A-{n:03d}" for n in range(1, 26)) if c in t) for t in printed] == [
        f"A-{n:03d}" for n in range(1, 26)
    ]
    assert {j.status for j in jobs(db)} == {"done"}


def test_a_fast_printer_takes_a_long_rush_in_big_batches(db, now, printer):
    for _ in range(BATCH + MAX_BATCH + 5):
        issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    # Its pace is not known yet: the first batch is the default size.
    assert spooler.print_batch("kiosk").printed == BATCH
    # A network printer on this machine takes slips in well under 10 ms each: one claim for
    # MAX_BATCH slips instead of ten claims of BATCH.
    assert spooler.print_batch("kiosk").printed == MAX_BATCH
    assert spooler.print_batch("kiosk").printed == 5
    assert len(printer.wait_jobs(BATCH + MAX_BATCH + 5)) == BATCH + MAX_BATCH + 5
    assert {j.status for j in jobs(db)} == {"done"}


def test_a_slow_printer_gets_small_batches_that_follow_its_pace(db, now):
    # A thermal printer that took 0.5 s a slip (python-escpos returns once the slip is sent):
    # a batch is about two seconds of its work, 4 slips, not 20 claimed ahead of the paper.
    for _ in range(30):
        issue(db, now)

    def send_in_a_tenth_of_a_second(url, data, profile):
        time.sleep(0.1)

    spooler = spooler_for(db, "dummy://", Clock(now))
    spooler.pace["kiosk"] = 0.5  # learnt from the slips before
    with patch("hardware.printing.transports.send_bytes", send_in_a_tenth_of_a_second):
        first = spooler.print_batch("kiosk")
        # It sped up (0.1 s a slip): the next batch grows with it.
        second = spooler.print_batch("kiosk")
    assert (first.claimed, first.printed) == (4, 4)
    assert second.claimed > 4
    assert [j.status for j in jobs(db)].count("done") == 4 + second.printed


def first_send_then(error: Exception):
    """Sending works once, then raises `error`: a cable pulled (or a bug) between two slips.
    No real socket can time that, so the send fails on cue."""
    sent = []

    def send(url, data, profile):
        if sent:
            raise error
        sent.append(data)

    return patch("hardware.printing.transports.send_bytes", send)


def test_a_printer_dying_mid_batch_keeps_the_rest_queued_without_an_attempt(db, now, printer):
    for _ in range(3):
        issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    with first_send_then(PrinterError("Printer tidak dapat dihubungi")):
        assert spooler.run_once("kiosk") is True
    first, second, third = jobs(db)
    assert first.status == "done"
    assert second.status == "pending" and second.attempts == 1 and second.last_error
    assert third.status == "pending" and third.attempts == 0 and third.last_error is None


def test_a_batch_cut_short_by_a_bug_leaves_no_slip_printing_to_be_printed_twice(db, now, printer):
    for _ in range(3):
        issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    with first_send_then(ValueError("a bug, not a printer error")):
        with pytest.raises(ValueError):
            spooler.run_once("kiosk")
    assert [(j.status, j.attempts) for j in jobs(db)] == [
        ("done", 1),
        ("pending", 0),
        ("pending", 0),
    ]
    assert spooler.run_once("kiosk") is True  # the two unsent ones, once each
    assert len(printer.wait_jobs(2)) == 2


def test_staff_can_reprint(db, now, printer):
    issue(db, now)
    spooler = spooler_for(db, printer.url, Clock(now))
    spooler.run_once("kiosk")
    with db.write() as s:
        reprint(s, jobs(db)[0].id, now)
    assert spooler.run_once("kiosk") is True
    first, second = printer.wait_jobs(2)
    assert first == second


def test_background_threads_print_right_after_the_commit(db, now, printer):
    from antrian.db import attach_commit_hooks

    spooler = spooler_for(db, printer.url, Clock(now))
    attach_commit_hooks(db, lambda: None, spooler.wake)
    spooler.start()
    try:
        issue(db, now, "E")
        assert "E-001" in read_escpos(printer.wait_jobs(1)[0]).text
    finally:
        spooler.stop()


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
    assert spooler.run_once("kiosk") is True  # the good slip behind it still printed
    assert spooler.run_once("kiosk") is False
    broken, good = jobs(db)
    assert broken.status == "failed" and "rusak" in broken.last_error
    assert good.status == "done"
    [paper] = printer.wait_jobs(1)
    assert "A-001" in read_escpos(paper).text


def test_a_booting_worker_leaves_a_job_another_worker_is_printing(db, now, printer):
    issue(db, now)
    busy = spooler_for(db, printer.url, Clock(now))
    [claimed] = busy.claim("kiosk", now)  # worker 1 is sending this slip right now
    booting = spooler_for(db, printer.url, Clock(now + timedelta(seconds=5)))
    booting.recover()
    assert booting.run_once("kiosk") is False
    assert jobs(db)[0].status == "printing" and jobs(db)[0].id == claimed.id
    # Worker 1 died: once the lease has run out the job is printed, once.
    later = spooler_for(db, printer.url, Clock(now + timedelta(minutes=3)))
    later.recover()
    assert later.run_once("kiosk") is True
    assert len(printer.wait_jobs(1)) == 1
