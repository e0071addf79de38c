"""A short test page for installing a printer: is it reachable, is the paper width right."""

from __future__ import annotations

from datetime import datetime

from escpos.printer import Dummy

from .composer import Composer
from .delivery import deliver
from .profiles import get_profile
from .status import PrinterStatus
from .text import JAKARTA, format_datetime_id
from .transports import safe_url


def render_test_page(url: str, profile: str | None = None, now: datetime | None = None) -> bytes:
    """The test page as ESC/POS bytes: title, printer details and a full-width ruler."""
    paper = get_profile(profile)
    printer = Dummy(profile=paper.escpos_profile)
    c = Composer(printer, paper)
    c.begin()
    c.style(align="center", bold=True, size=(2, 2))
    c.line("Uji cetak Antrian")
    c.style(bold=False, size=(1, 1))
    c.line(format_datetime_id(now or datetime.now(JAKARTA)))
    c.rule("=")
    c.style(align="left")
    c.pairs(
        [("Printer", safe_url(url)), ("Profil", paper.name), ("Kertas", f"{paper.paper_mm} mm")]
    )
    c.line(f"Lebar baris: {paper.columns} karakter. Penggaris di bawah harus pas satu baris:")
    ruler = "".join(str(i % 10) for i in range(1, paper.columns + 1))
    printer.textln(ruler)
    c.line("Huruf: ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789")
    c.style(bold=True)
    c.line("Cetak tebal")
    c.style(bold=False)
    c.rule("=")
    c.finish()
    return printer.output


def print_test_page(
    url: str, profile: str | None = None, now: datetime | None = None
) -> PrinterStatus:
    """Print the test page on ``url`` the way the spooler prints a slip; the printer's status.

    Raises :class:`~.errors.PrinterError` (Indonesian message) when the page cannot be sent,
    and :class:`~.delivery.NotReady` (a PrinterError) when the printer says it cannot print
    (paper out, cover open, offline): nothing is sent then.
    """
    return deliver(url, render_test_page(url, profile, now), profile)
