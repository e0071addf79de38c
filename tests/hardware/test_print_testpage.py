"""The installer's test page: printed whole, ruler as wide as the paper, then the status."""

from __future__ import annotations

from datetime import datetime

import pytest

from hardware.printing import PrinterError, print_test_page
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.testpage import render_test_page

# Fixtures tcp_printer and refused_url: see conftest.py.


def test_test_page_prints_and_reports_status(tcp_printer) -> None:
    tcp_printer.answers.update({1: 0x16, 2: 0x12, 3: 0x12, 4: 0x1E})
    now = datetime(2026, 11, 26, 8, 15)
    status = print_test_page(tcp_printer.url, "TM-T20II", now=now)
    # One connection: status asked, the page, status asked again (the page was taken).
    [job] = tcp_printer.wait_jobs(1)
    page = render_test_page(tcp_printer.url, "TM-T20II", now)
    assert job.startswith(b"\x10\x04\x01") and page in job
    assert job.endswith(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04")
    paper = read_escpos(job)
    title = paper.lines_with("Uji cetak Antrian")[0]
    assert title.bold and title.width_mult == 2 and paper.cuts == 1
    assert "123456789012345678901234567890123456789012345678" in paper.text.splitlines()
    assert "Kamis, 26 November 2026 08:15 WIB" in paper.text
    assert status.describe() == "kertas hampir habis"


@pytest.mark.parametrize(("profile", "columns"), [("POS-5890", 32), ("TM-T88V", 48)])
def test_ruler_matches_the_paper(profile: str, columns: int) -> None:
    paper = read_escpos(render_test_page("dummy://", profile))
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    assert ruler in paper.text.splitlines()
    assert all(line.columns_used <= columns for line in paper.lines)


def test_a_printer_out_of_paper_is_not_sent_the_page(tcp_printer) -> None:
    tcp_printer.paper_out()
    with pytest.raises(PrinterError) as err:
        print_test_page(tcp_printer.url, "TM-T20II")
    assert err.value.message == "kertas habis"
    [asked] = tcp_printer.wait_jobs(1)
    assert asked == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


def test_dead_printer_raises_in_indonesian(refused_url: str) -> None:
    with pytest.raises(PrinterError) as err:
        print_test_page(refused_url, "TM-T20II")
    assert "Printer tidak dapat dihubungi" in err.value.message
