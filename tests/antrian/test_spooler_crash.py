"""kill -9 of the printing process in a rush: at most the one slip in flight prints twice, and
its second copy says CETAK ULANG. A real process, a real TCP printer, a real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.models import PrintJob
from antrian.printing.spooler import Spooler
from hardware.printing.testing import READY, FakeNetworkPrinter
from tests.antrian.test_spooler import OFFICE

PRINTING_PROCESS = """
import sys, time
from antrian.db import Database
from antrian.printing.spooler import Spooler
from hardware.printing.layouts import OfficeInfo
db = Database(sys.argv[1])
Spooler(db, {"kiosk": sys.argv[2]}, "TM-T20II", OfficeInfo("Kantor", "Jalan")).start()
time.sleep(120)
"""


def test_a_killed_printing_process_reprints_at_most_the_slip_in_flight(db):
    with FakeNetworkPrinter(READY) as printer:
        printer.slip_seconds = 0.15  # a thermal printer's pace: the rush is still queued
        with db.write() as s:
            codes = [
                ops.issue_ticket(s, "A", None, None, utcnow(), public_base="http://k").code
                for _ in range(12)
            ]
        child = subprocess.Popen([sys.executable, "-c", PRINTING_PROCESS, db.url, printer.url])
        try:
            deadline = time.monotonic() + 30
            while len(printer.jobs) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(printer.jobs) >= 3, "the printing process printed nothing"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        time.sleep(0.3)  # the printer finishes what reached it
        before = len(printer.slips())
        assert before < len(codes)  # killed in the middle of the rush

        restarted = Spooler(db, {"kiosk": printer.url}, "TM-T20II", OFFICE)
        restarted.recover()
        while restarted.run_once("kiosk"):
            pass
        slips = printer.slips()
        printed = [code for code, _ in slips]
        # Every ticket on paper, in issue order; a repeat only right after its first copy.
        assert list(dict.fromkeys(printed)) == codes
        repeats = [slip for i, slip in enumerate(slips) if slip[0] in printed[:i]]
        assert len(repeats) <= 1 and all(again for _, again in repeats)
        with db.read() as s:
            assert set(s.scalars(select(PrintJob.status))) == {"done"}
