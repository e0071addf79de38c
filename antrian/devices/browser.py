"""Which registered kiosk PC a browser is: the device cookie it carries
(antrian/devices/registry.py). None for a kiosk nobody registered; it works all the same and
prints on the default printer."""

from __future__ import annotations

from flask import Response, g, request

from antrian.devices.registry import COOKIE, COOKIE_MAX_AGE, kiosk_of_token, mark_seen
from antrian.models import KioskDevice
from antrian.printing.directory import kiosk_printer_name
from antrian.web import db_session, request_now


def this_kiosk() -> KioskDevice | None:
    if "kiosk_device" not in g:
        g.kiosk_device = kiosk_of_token(db_session(), request.cookies.get(COOKIE))
    return g.kiosk_device


def printer_for_slip() -> str:
    """The printer of this kiosk."""
    return kiosk_printer_name(this_kiosk())


def note_kiosk_seen() -> None:
    """After the kiosk's operation: the admin page says when this kiosk last printed. Last,
    so its row is written under the lock the operation took first (antrian/events.py): an
    admin editing the kiosk takes that lock, then the row, and a kiosk holding the row while
    it waits for the lock would deadlock with them."""
    device = this_kiosk()
    if device is not None:
        mark_seen(device, request_now())


def remember_device(response: Response, token: str) -> Response:
    # HttpOnly: no page script needs it; Lax: sent on the kiosk's own form posts.
    response.set_cookie(
        COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", path="/"
    )
    return response
