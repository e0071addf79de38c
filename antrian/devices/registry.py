"""Registered devices: kiosk PCs and the counters' printers.

An admin registers each kiosk PC. Its token is shown once, then lives only in that PC's
browser (a cookie, or the kiosk-mode URL that sets it); the database keeps its hash. A ticket
taken there prints on that kiosk's printer; a kiosk that is not registered, or disabled, still
works and prints on the default printer. Counters get a printer of their own the same way, for
the receipts of the cases they serve. Every change is in the event log.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.auth import hash_token
from antrian.config import Settings
from antrian.devices.serial_plan import counter_serial_problems
from antrian.events import hold_event_order, record_event
from antrian.models import Counter, KioskDevice, Staff
from antrian.operations.calls import actor_name
from antrian.operations.errors import Invalid, NotFound
from antrian.printing.directory import printers_changed, reroute_orphans
from hardware.printing.url_check import printer_url_problem

COOKIE = "antrian_kiosk"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # a kiosk PC stays registered until the admin says not
TOKEN_PREFIX = "kios_"
NAME_MAX = 60
SEEN_EVERY = timedelta(minutes=5)  # last-seen is a hint for the admin: not a write per ticket
# What the devices page sets on a counter (the form's fields, the columns of `counters`).
COUNTER_FIELDS = ("printer_url", "display_port", "call_box_port", "call_box_staff")
# A counter's devices as the event log names them (printers: antrian/printing/directory.py).
COUNTER_DEVICES = {
    "printer_url": "loket-{n}",
    "display_port": "tampilan-loket-{n}",
    "call_box_port": "kotak-panggil-loket-{n}",
    "call_box_staff": "kotak-panggil-loket-{n}",
}
COUNTER_LABELS = {
    "printer_url": "Printer",
    "display_port": "Tampilan",
    "call_box_port": "Kotak panggil",
    "call_box_staff": "Akun kotak panggil",
}
DEFAULT_TEXT = {
    "printer_url": "printer bawaan",
    "display_port": "bawaan",
    "call_box_port": "bawaan",
    "call_box_staff": "bawaan",
}


class DeviceInvalid(Invalid):
    """Bad input, with a message per form field (shown next to it)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), code="invalid_device")
        self.errors = errors


def _clean(name: str, printer_url: str) -> tuple[str, str | None]:
    name, url = (name or "").strip(), (printer_url or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Isi nama kiosk, mis. Kios lobi kiri."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Nama kiosk paling banyak {NAME_MAX} karakter."
    if url and (problem := printer_url_problem(url)):
        errors["printer_url"] = problem
    if errors:
        raise DeviceInvalid(errors)
    return name, url or None


def register_kiosk(
    session: Session, name: str, printer_url: str, staff: Staff | None, now: datetime
) -> tuple[KioskDevice, str]:
    """A new kiosk PC and its token (shown to the admin once, never stored)."""
    hold_event_order(session)  # first, as every writer does (antrian/events.py)
    name, url = _clean(name, printer_url)
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    device = KioskDevice(name=name, token_hash=hash_token(token), printer_url=url, created_dt=now)
    session.add(device)
    session.flush()
    printers_changed(session)
    _event(session, "device.registered", device, now, staff, printer_url=url)
    return device, token


def update_kiosk(
    session: Session,
    device_id: int,
    name: str,
    printer_url: str,
    staff: Staff | None,
    settings: Settings,
    now: datetime,
) -> KioskDevice:
    hold_event_order(session)  # first, as every writer does (antrian/events.py)
    device = find_kiosk(session, device_id)
    device.name, device.printer_url = _clean(name, printer_url)
    session.flush()
    reroute_orphans(session, settings)  # its printer removed: its waiting slips still print
    _event(session, "device.changed", device, now, staff, printer_url=device.printer_url)
    return device


def set_kiosk_disabled(
    session: Session,
    device_id: int,
    disabled: bool,
    staff: Staff | None,
    settings: Settings,
    now: datetime,
) -> KioskDevice:
    """A disabled kiosk's token identifies nothing: that PC prints on the default printer."""
    hold_event_order(session)  # first, as every writer does (antrian/events.py)
    device = find_kiosk(session, device_id)
    device.disabled = disabled
    session.flush()
    reroute_orphans(session, settings)
    _event(session, "device.disabled" if disabled else "device.enabled", device, now, staff)
    return device


def set_counter_printer(
    session: Session,
    number: int,
    printer_url: str,
    staff: Staff | None,
    settings: Settings,
    now: datetime,
) -> Counter:
    return set_counter_devices(session, number, {"printer_url": printer_url}, staff, settings, now)


def set_counter_devices(
    session: Session,
    number: int,
    changes: dict[str, str],
    staff: Staff | None,
    settings: Settings,
    now: datetime,
) -> Counter:
    """Give counter `number` its printer, display port, call box port and call box account
    (keys of COUNTER_FIELDS; a key left out stays as it is, "" goes back to the default). All
    are checked before any is saved; DeviceInvalid says what is wrong per field."""
    hold_event_order(session)  # first, as every writer does (antrian/events.py)
    counter = session.scalar(select(Counter).where(Counter.number == number))
    if counter is None:
        raise NotFound("Loket tidak ditemukan.")
    wanted = {key: getattr(counter, key) or "" for key in COUNTER_FIELDS}
    wanted |= {key: (value or "").strip() for key, value in changes.items() if key in wanted}
    errors = {}
    if wanted["printer_url"] and (problem := printer_url_problem(wanted["printer_url"])):
        errors["printer_url"] = problem
    errors |= counter_serial_problems(
        session,
        settings,
        number,
        wanted["display_port"],
        wanted["call_box_port"],
        wanted["call_box_staff"],
    )
    if errors:
        raise DeviceInvalid(errors)
    changed = {k: v or None for k, v in wanted.items() if (getattr(counter, k) or "") != v}
    for key, value in changed.items():
        setattr(counter, key, value)
    session.flush()
    if "printer_url" in changed:
        reroute_orphans(session, settings)
    # The devices thread reads the counters again by itself (antrian/devices/serial_runner.py).
    for key, value in changed.items():
        record_event(
            session,
            "device.changed",
            now,
            actor_name(staff),
            counter_id=counter.id,
            device=COUNTER_DEVICES[key].format(n=counter.number),
            **{key: value},
            message=f"{COUNTER_LABELS[key]} {counter.name}: {value or DEFAULT_TEXT[key]}",
        )
    return counter


def find_kiosk(session: Session, device_id: int) -> KioskDevice:
    device = session.get(KioskDevice, device_id)
    if device is None:
        raise NotFound("Kiosk tidak ditemukan.")
    return device


def list_kiosks(session: Session) -> list[KioskDevice]:
    return list(session.scalars(select(KioskDevice).order_by(KioskDevice.id)))


def kiosk_of_token(session: Session, token: str | None) -> KioskDevice | None:
    """The registered, enabled kiosk this token belongs to; None for anything else."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    device = session.scalar(select(KioskDevice).where(KioskDevice.token_hash == hash_token(token)))
    return None if device is None or device.disabled else device


def mark_seen(device: KioskDevice, now: datetime) -> None:
    if device.last_seen_dt is None or now - device.last_seen_dt >= SEEN_EVERY:
        device.last_seen_dt = now


def _event(session: Session, kind: str, device: KioskDevice, now, staff, **data) -> None:
    record_event(
        session,
        kind,
        now,
        actor_name(staff),
        device=f"kiosk-{device.id}",
        name=device.name,
        message=f"Kiosk {device.name}",
        **data,
    )
