"""A kiosk that cannot give a number says why on a page of its own: in the kiosk's style, in
the visitor's language, with a way home and the same return to the start when left alone."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _


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
        return _("Pelayanan sedang tutup"), message
    if reason == "quota_full":
        return _("Kuota hari ini sudah habis"), message
    return _("Nomor belum dapat diberikan"), message or _("Silakan minta bantuan petugas.")


def refusal_page(reason: str | int, message: str, status: int, page: Callable, resumes=None):
    title, text = _texts(reason, message)
    idle = current_app.config["ANTRIAN"].kiosk_idle_seconds
    html = page(
        "kiosk/refusal.html", idle, title=title, message=text, resumes=resumes, reason=reason
    )
    return html, status
