"""Turns a PrintJob's stored payload into the hardware layer's slip dataclass."""

from __future__ import annotations

from datetime import datetime

from antrian.clock import local
from antrian.i18n import DEFAULT_LANGUAGE, catalogue
from hardware.printing.layouts import ComplaintSlip, HandoverSlip, ReceiptSlip, TicketSlip

SLIP_TYPES = {
    "ticket": TicketSlip,
    "receipt": ReceiptSlip,
    "handover": HandoverSlip,
    "complaint": ComplaintSlip,
}


def slip_gettext(payload: dict):
    """The gettext of the language a slip prints in: a ticket's is the one it was taken in;
    payloads from before tickets had one (and staff slips) print in Indonesian."""
    return catalogue(payload.get("lang", DEFAULT_LANGUAGE)).gettext


def slip_from_payload(kind: str, payload: dict):
    fields = dict(payload)
    for name, value in payload.items():
        # Times are stored as ISO UTC; the paper shows WIB.
        if name.endswith("_at") and isinstance(value, str):
            fields[name + "_local"] = local(datetime.fromisoformat(value))
            del fields[name]
    return SLIP_TYPES[kind](**fields)
