"""A kiosk that cannot give a number says why on a page of its own: in the kiosk's style, in
the visitor's language, with a way home and the same return to the start when left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _

from antrian.clock import local, zone_label


def _texts(reason: str | int, message: str) -> tuple[str, str]:
    """(title, message) for a refusal: the operation's own words when it gave them."""
    if reason == 429:
        return (
            _("Mohon tunggu sebentar"),
            _(
                "Kiosk ini baru saja mengeluarkan banyak nomor. Silakan coba lagi dalam satu "
                "menit, atau minta bantuan petugas."
            ),
        )
    if reason in (404, "unknown_service", "not_found"):
        return _("Layanan tidak tersedia"), message or _("Layanan tidak dikenal.")
    if reason == "closed":
        return _("Pelayanan sedang tutup"), _(
            "Saat ini di luar jam layanan atau hari libur. Silakan datang kembali."
        )
    if reason == "quota_full":
        return _("Kuota hari ini sudah habis"), _(
            "Nomor antrean untuk layanan ini sudah habis hari ini. Silakan datang kembali."
        )
    return _("Nomor belum dapat diberikan"), message or _("Silakan minta bantuan petugas.")


def _resumes_line(resumes: datetime | None) -> str | None:
    if resumes is None:
        return None
    when = format_datetime(local(resumes), "EEEE, d MMMM y, HH:mm")
    return _("Nomor antrean diberikan lagi %(when)s %(zone)s.", when=when, zone=zone_label())


def refusal_page(
    reason: str | int, message: str, status: int, page: Callable, resumes: datetime | None = None
):
    title, text = _texts(reason, message)
    resumes = _resumes_line(resumes)
    idle = current_app.config["ANTRIAN"].kiosk_idle_seconds
    html = page(
        "kiosk/refusal.html", idle, title=title, message=text, resumes=resumes, reason=reason
    )
    return html, status
