"""Which serial devices each counter has: what the admin gave the counter on
/staff/admin/perangkat (columns of `counters`) over what the environment says.

ANTRIAN_COUNTER_DISPLAYS, ANTRIAN_CALL_BOXES and ANTRIAN_CALL_BOX_STAFF stay the defaults, enough
for a one-kiosk office; a port or an account set on the page replaces that counter's. A display
set only on the page is a VFD pole: an LED board needs its bus address, which only the
environment gives, so a counter whose environment entry is an LED board keeps its kind and
address and takes the page's port.

Any process can read the plan (the page and /healthz in every worker); the process that runs the
devices reads it again every few seconds (antrian/devices/serial_runner.py).
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.config import Settings
from antrian.devices.config import (
    CallBoxConfig,
    DeviceConfigError,
    call_box_account,
    parse_call_boxes,
    parse_counter_displays,
)
from antrian.models import Counter, Staff

DISPLAY, CALL_BOX = "display", "call_box"
DATABASE, ENVIRONMENT = "database", "env"
PORT_EXAMPLES = "/dev/ttyUSB1, /dev/serial/by-id/…, rfc2217://192.168.1.60:4000"
# pyserial's URL handlers that reach a device: a serial server on the network, a raw socket,
# the loopback (to try the page without hardware) and a search by USB id.
URL_SCHEMES = ("rfc2217", "socket", "loop", "hwgrep")
MAX_LENGTH = 300  # the columns' size
DEVICE_LABELS = {DISPLAY: "Tampilan", CALL_BOX: "Kotak panggil"}


@dataclass
class SerialPlan:
    displays: dict[int, dict[str, Any]] = field(default_factory=dict)  # build_bank specs
    call_boxes: dict[int, CallBoxConfig] = field(default_factory=dict)
    sources: dict[tuple[str, int], str] = field(default_factory=dict)  # DATABASE or ENVIRONMENT
    names: dict[int, str] = field(default_factory=dict)  # counter number -> "Loket 2"
    errors: list[str] = field(default_factory=list)  # plain Indonesian, for log, page, healthz

    def name(self, number: int) -> str:
        return self.names.get(number, f"Loket {number}")

    def ports(self, skip: int | None = None) -> list[tuple[str, str, int]]:
        """(port, device kind, counter) of every device, but those of counter `skip`."""
        used = [(spec["port"], DISPLAY, n) for n, spec in self.displays.items() if n != skip]
        return used + [(box.port, CALL_BOX, n) for n, box in self.call_boxes.items() if n != skip]


def serial_plan(session: Session, settings: Settings) -> SerialPlan:
    plan = SerialPlan()
    try:
        plan.displays = parse_counter_displays(settings.counter_displays)
    except DeviceConfigError as exc:
        plan.errors.append(str(exc))
    try:
        boxes = parse_call_boxes(settings.call_boxes, settings.call_box_staff)
        plan.call_boxes = {box.counter: box for box in boxes}
    except DeviceConfigError as exc:
        plan.errors.append(str(exc))
    plan.sources = {(DISPLAY, n): ENVIRONMENT for n in plan.displays}
    plan.sources |= {(CALL_BOX, n): ENVIRONMENT for n in plan.call_boxes}
    for counter in session.scalars(select(Counter).order_by(Counter.number)):
        plan.names[counter.number] = counter.name
        _take_counter(plan, counter, settings)
    _drop_shared_call_box_ports(plan)
    return plan


def _take_counter(plan: SerialPlan, counter: Counter, settings: Settings) -> None:
    number = counter.number
    if counter.display_port:
        base = plan.displays.get(number, {"kind": "vfd"})
        plan.displays[number] = {**base, "port": counter.display_port}
        plan.sources[DISPLAY, number] = DATABASE
    box = plan.call_boxes.get(number)
    port = counter.call_box_port or (box.port if box else None)
    if port is None or not (counter.call_box_port or counter.call_box_staff):
        return  # nothing of the page's: the environment's box (if any) as it is
    staff = counter.call_box_staff or (box.staff if box else None)
    if staff is None:
        try:
            staff = call_box_account(settings.call_box_staff, number)
        except DeviceConfigError as exc:
            plan.errors.append(str(exc))
            return
    baudrate = box.baudrate if box else 9600
    plan.call_boxes[number] = CallBoxConfig(number, port, staff, baudrate)
    plan.sources[CALL_BOX, number] = DATABASE


def _drop_shared_call_box_ports(plan: SerialPlan) -> None:
    """A call box needs its port to itself (it is opened exclusively, and a display on it would
    read its key presses): a port a call box shares with another device runs none of the call
    boxes on it, rather than one picked at random, and says so."""
    users: dict[str, list[tuple[str, int]]] = {}
    for port, kind, number in plan.ports():
        users.setdefault(port, []).append((kind, number))
    for port, found in users.items():
        if len(found) < 2 or all(kind == DISPLAY for kind, _n in found):
            continue
        for kind, number in found:
            if kind == CALL_BOX:
                plan.call_boxes.pop(number, None)
        names = ", ".join(f"{DEVICE_LABELS[k].lower()} {plan.name(n)}" for k, n in found)
        plan.errors.append(
            f"Port {port} dipakai bersama oleh {names}; kotak panggil di port itu tidak dijalankan"
        )


def serial_port_problem(url: str) -> str | None:
    """None when `url` is a plausible pyserial port; else what is wrong, in plain words. Nothing
    is opened: the device may be unplugged while the admin types its port."""
    if len(url) > MAX_LENGTH:
        return _("Alamat port terlalu panjang (paling banyak %(n)s karakter).", n=MAX_LENGTH)
    if any(c.isspace() for c in url):
        return _("Alamat port tidak boleh berisi spasi.")
    if url.startswith("/"):
        if not url.startswith("/dev/") or url.rstrip("/") == "/dev":
            return _("Port serial ada di /dev/, mis. /dev/ttyUSB1 atau /dev/serial/by-id/….")
        return None
    if re.fullmatch(r"COM[1-9][0-9]{0,2}", url, re.IGNORECASE):
        return None  # a server on Windows
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if "://" not in url or scheme not in URL_SCHEMES:
        return _(
            "Alamat port tidak dikenal. Contoh yang benar: %(examples)s.", examples=PORT_EXAMPLES
        )
    if scheme in ("rfc2217", "socket"):
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or not port:
            return _(
                "Alamat port jaringan harus berbentuk %(scheme)s://ALAMAT-IP:PORT.", scheme=scheme
            )
    return None


def counter_serial_problems(
    session: Session,
    settings: Settings,
    number: int,
    display_port: str,
    call_box_port: str,
    call_box_staff: str,
) -> dict[str, str]:
    """What is wrong with the serial devices the admin gives counter `number` (cleaned values,
    "" for none), per form field; {} when they can be saved."""
    errors: dict[str, str] = {}
    for key, url in (("display_port", display_port), ("call_box_port", call_box_port)):
        if url and (problem := serial_port_problem(url)):
            errors[key] = problem
    plan = serial_plan(session, settings)
    others = plan.ports(skip=number)
    led = plan.displays.get(number, {}).get("kind") == "led"
    if display_port and "display_port" not in errors:
        for port, kind, other in others:
            # Several LED boards share one RS-485 bus; any other sharing garbles both devices.
            shared_bus = kind == DISPLAY and led and plan.displays[other].get("kind") == "led"
            if port == display_port and not shared_bus:
                errors["display_port"] = _taken(plan, kind, other)
                break
    if call_box_port and "call_box_port" not in errors:
        if call_box_port == display_port:
            errors["call_box_port"] = _("Tampilan dan kotak panggil tidak bisa memakai satu port.")
        for port, kind, other in others:
            if port == call_box_port:
                errors["call_box_port"] = _taken(plan, kind, other)
                break
    if call_box_staff and (problem := _account_problem(session, call_box_staff)):
        errors["call_box_staff"] = problem
    return errors


def _taken(plan: SerialPlan, kind: str, number: int) -> str:
    if kind == DISPLAY:
        return _("Port ini sudah dipakai tampilan %(name)s.", name=plan.name(number))
    return _("Port ini sudah dipakai kotak panggil %(name)s.", name=plan.name(number))


def _account_problem(session: Session, username: str) -> str | None:
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        return _("Tidak ada akun dengan nama pengguna %(name)s.", name=username)
    if not staff.active:
        return _("Akun %(name)s tidak aktif.", name=username)
    if not staff.has_role("front_office"):
        return _(
            "Akun %(name)s bukan petugas front office; kotak panggil memanggil atas nama petugas.",
            name=username,
        )
    return None


STATE_TEXT = {True: "tersambung", False: "tidak tersambung", None: "belum diperiksa"}


def device_states(
    plan: SerialPlan, running: dict[tuple[str, int], tuple[str, bool | None]] | None
) -> list[dict[str, Any]]:
    """Each planned device with its counter and, where this process runs it (`running`:
    SerialDevices.status()), whether its port is open; None when not known here (another
    process runs the devices, or the plan changed a moment ago)."""
    rows = []
    for kind, devices in ((DISPLAY, plan.displays), (CALL_BOX, plan.call_boxes)):
        for number in sorted(devices):
            device = devices[number]
            port = device["port"] if kind == DISPLAY else device.port
            seen = (running or {}).get((kind, number))
            connected = seen[1] if seen and seen[0] == port else None
            row = {
                "counter": number,
                "name": plan.name(number),
                "device": kind,
                "port": port,
                "source": plan.sources[kind, number],
                "connected": connected,
                "message": f"{DEVICE_LABELS[kind]} {plan.name(number)} ({port}): "
                + STATE_TEXT[connected],
            }
            if kind == CALL_BOX:
                row["account"] = device.staff
            else:
                row["kind"] = str(device["kind"]).lower()
            rows.append(row)
    return rows


def environment_defaults(settings: Settings, numbers: list[int]) -> dict[int, dict[str, str]]:
    """What the environment gives each counter, shown on the page where a field is left empty
    (what the counter falls back to)."""
    found: dict[int, dict[str, str]] = {n: {} for n in numbers}
    with suppress(DeviceConfigError):  # the page's error list says what is wrong
        for n, spec in parse_counter_displays(settings.counter_displays).items():
            found.setdefault(n, {})["display_port"] = spec["port"]
    with suppress(DeviceConfigError):
        for box in parse_call_boxes(settings.call_boxes, settings.call_box_staff):
            found.setdefault(box.counter, {})["call_box_port"] = box.port
            found[box.counter]["call_box_staff"] = box.staff
    for n, values in found.items():
        if "call_box_staff" not in values:
            with suppress(DeviceConfigError):
                values["call_box_staff"] = call_box_account(settings.call_box_staff, n)
    return found
