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


def slip_from_payload(kind: str, payload: dict):
    """The slip, and the gettext of the language it prints in (a ticket's: the one it was
    taken in; payloads from before tickets had one print in Indonesian)."""
    fields = dict(payload)
    lang = fields.get("lang", DEFAULT_LANGUAGE)
    for name, value in payload.items():
        # Times are stored as ISO UTC; the paper shows WIB.
        if name.endswith("_at") and isinstance(value, str):
            fields[name + "_local"] = local(datetime.fromisoformat(value))
            del fields[name]
    return SLIP_TYPES[kind](**fields), catalogue(lang).gettext
