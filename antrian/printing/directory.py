"""Which printers the office has and what each is called.

The environment gives the two defaults, `kiosk` (tickets) and `loket` (receipts), enough for a
one-kiosk office. The admin registers kiosk PCs and gives counters a printer of their own
(antrian/devices/registry.py); each becomes a printer named after its device: `kiosk-<id>`,
`loket-<number>`. The list is read from the database whenever it is asked for, so a printer
added on the admin page prints without a restart.

A print job keeps the printer's name, not its URL: a changed address takes the slips already
waiting with it, and every screen can say which device a slip belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import false, select, update
from sqlalchemy.orm import Session

from antrian.config import Settings
from antrian.db import Database
from antrian.events import print_jobs_written
from antrian.models import Counter, KioskDevice, PrintJob
from antrian.printer_status import configured_printers

KIOSK, COUNTER = "kiosk", "loket"
DEFAULT_LABELS = {KIOSK: "Printer kiosk (tiket)", COUNTER: "Printer loket (tanda terima)"}
# Named as "the printer that got jobs" after a commit that changed the list itself: wakes the
# spooler of this process, or of another one through the print channel (antrian/db.py), and
# it reads the list again.
LIST_CHANGED = "*"
_DEVICE_NAME = re.compile(r"^(kiosk|loket)-(\d{1,9})$")


@dataclass(frozen=True)
class PrinterEntry:
    name: str
    url: str
    label: str
    device: str  # the device it belongs to ("Kios lobi", "Loket 2"); "" for a default


def kiosk_printer_name(device: KioskDevice | None) -> str:
    """Where this kiosk's tickets print: its own printer, else (not registered, disabled, no
    printer given) the default one."""
    if device is None or device.disabled or not device.printer_url:
        return KIOSK
    return f"kiosk-{device.id}"


def counter_printer_name(counter: Counter | None) -> str:
    return f"loket-{counter.number}" if counter is not None and counter.printer_url else COUNTER


def printer_entries(session: Session, settings: Settings) -> list[PrinterEntry]:
    """Every printer a slip can be sent to now: the defaults first, then the devices'."""
    entries = [
        PrinterEntry(name, url, DEFAULT_LABELS[name], "")
        for name, url in configured_printers(settings).items()
    ]
    kiosks = session.scalars(
        select(KioskDevice)
        .where(KioskDevice.disabled == false(), KioskDevice.printer_url.is_not(None))
        .order_by(KioskDevice.id)
    )
    entries += [
        PrinterEntry(kiosk_printer_name(k), k.printer_url, kiosk_label(k.name), k.name)
        for k in kiosks
        if k.printer_url
    ]
    counters = session.scalars(
        select(Counter).where(Counter.printer_url.is_not(None)).order_by(Counter.number)
    )
    entries += [
        PrinterEntry(counter_printer_name(c), c.printer_url, f"Printer {c.name}", c.name)
        for c in counters
        if c.printer_url
    ]
    return entries


def printer_urls(db: Database, settings: Settings) -> dict[str, str]:
    """{name: url} of every printer: what the spooler and the status monitor run."""
    with db.read() as session:
        return {entry.name: entry.url for entry in printer_entries(session, settings)}


def kiosk_label(device_name: str) -> str:
    return f"Printer kios {device_name}"


def printer_label(session: Session, name: str) -> str:
    """What staff read for a printer's name, also for a device since disabled (its old slips
    still name it)."""
    if name in DEFAULT_LABELS:
        return DEFAULT_LABELS[name]
    match = _DEVICE_NAME.match(name)
    if match and match[1] == KIOSK:
        device = session.get(KioskDevice, int(match[2]))
        if device is not None:
            return kiosk_label(device.name)
    elif match:
        counter = session.scalar(select(Counter).where(Counter.number == int(match[2])))
        if counter is not None:
            return f"Printer {counter.name}"
    return f"Printer {name}"


def reroute_orphans(session: Session, settings: Settings) -> set[str]:
    """After the admin changed the printers: slips still waiting for a device's printer that
    is gone (device disabled, printer removed) go to the default printer of their kind instead
    of waiting for ever, and the spooler is told to read the list again. Returns the printers
    to wake."""
    names = [entry.name for entry in printer_entries(session, settings)]
    woken = {LIST_CHANGED}
    for default in (KIOSK, COUNTER):
        moved = session.execute(
            update(PrintJob)
            .where(
                PrintJob.status == "pending",
                PrintJob.printer.like(f"{default}-%"),
                PrintJob.printer.not_in(names),
            )
            .values(printer=default)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved:
            woken.add(default)
    print_jobs_written(session, *woken)
    return woken


def printers_changed(session: Session) -> None:
    """The spooler reads the printers' list again once this transaction commits."""
    print_jobs_written(session, LIST_CHANGED)
