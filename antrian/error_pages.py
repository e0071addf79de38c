"""Every error answered in the words of the room it happened in.

Under /api/ an error is JSON of one shape, `{"error": code, "message": text}` (the OpenAPI
file's `Error`), whatever raised it: an operation, a routing miss, a body too large, a rate
limit, a database that cannot be written. Elsewhere it is an Indonesian page styled like the
room (kiosk, staff console, lobby display) with a way back. A database that cannot be reached
or written (disk full, server down) is a 503 with Retry-After: the request's transaction was
rolled back, so nothing half-written remains, and the kiosk tells the visitor to ask at the
counter instead of showing a stack trace.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30  # a full disk or a restarting database server takes a while


def _titles() -> dict[int, tuple[str, str]]:
    """(title, what to do) per status; built per request so a catalogue can translate them."""
    return {
        400: (_("Permintaan tidak valid"), _("Isian yang dikirim tidak dapat diproses.")),
        401: (_("Belum masuk"), _("Silakan masuk sebagai petugas terlebih dahulu.")),
        403: (_("Akses ditolak"), _("Akun Anda tidak berhak membuka halaman ini.")),
        404: (_("Halaman tidak ditemukan"), _("Alamat yang dibuka tidak ada.")),
        405: (
            _("Cara membuka tidak diizinkan"),
            _("Halaman ini tidak dapat dibuka dengan cara tersebut."),
        ),
        409: (_("Terjadi perubahan"), _("Data sudah berubah. Muat ulang lalu coba lagi.")),
        413: (
            _("Isian terlalu besar"),
            _("Data yang dikirim melebihi batas. Perpendek isian lalu coba lagi."),
        ),
        422: (_("Isian tidak valid"), _("Periksa isian lalu coba lagi.")),
        429: (_("Terlalu banyak permintaan"), _("Tunggu sebentar lalu coba lagi.")),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan pada sistem. Silakan coba lagi atau hubungi petugas."),
        ),
        503: (
            _("Layanan sementara tidak tersedia"),
            _("Sistem tidak dapat menyimpan data saat ini. Silakan coba lagi sebentar lagi."),
        ),
    }


@dataclass(frozen=True)
class Room:
    name: str  # the body class of the room's pages
    back_endpoint: str
    back_label: str
    refresh_seconds: int | None  # a kiosk or a TV has nobody who would press "back"


def room_of(path: str) -> Room:
    if path.startswith(("/kiosk", "/t/")):
        return Room("kiosk", "kiosk.home", _("Kembali ke layar awal"), 30)
    if path.startswith("/staff"):
        return Room("staff", "staff.home", _("Kembali ke konsol petugas"), None)
    if path.startswith("/display"):
        return Room("display", "display.board", _("Kembali ke layar antrean"), 15)
    return Room("site", "kiosk.home", _("Ke halaman awal"), None)


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def _custom_description(err: HTTPException) -> str | None:
    """The Indonesian text a view passed to abort(); None for Werkzeug's English default."""
    if isinstance(err, CSRFError):
        return _("Sesi formulir kedaluwarsa atau tidak valid. Muat ulang halaman lalu coba lagi.")
    if err.code == 429:  # Flask-Limiter's description is the limit ("3 per 1 minute")
        return None
    default = type(err).description
    return err.description if err.description and err.description != default else None


def error_response(status: int, code: str, message: str | None = None, headers=None):
    """The answer for an error: JSON under /api/, the room's page elsewhere."""
    title, advice = _titles().get(status, _titles()[500])
    if is_api(request.path):
        # A program shows the message alone: it says what happened, then what to do.
        response = jsonify(error=code, message=message or f"{title}. {advice}")
    else:
        room = room_of(request.path)
        if status == 503 and room.name == "kiosk":
            title = _("Nomor antrean tidak dapat diterbitkan saat ini")
            advice = _("Mohon maaf. Silakan bertanya langsung kepada petugas di loket.")
        response = current_app.make_response(
            render_template(
                "errors/page.html",
                status=status,
                title=title,
                message=message if message and message != advice else None,
                advice=advice,
                room=room,
                back_url=url_for(room.back_endpoint),
                office_name=current_app.config["ANTRIAN"].office_name,
            )
        )
    response.status_code = status
    for name, value in headers or ():
        response.headers[name] = value
    return response


def _http_error(err: HTTPException):
    # An exception nobody handled (or one raised by the commit at the request's end) arrives
    # as a 500 carrying the original: a database that cannot write is a 503, not a crash.
    if err.code is None:  # not an error (a redirect raised as an exception)
        return err
    original = getattr(err, "original_exception", None) if err.code == 500 else None
    if original is not None and _is_unavailable(original):
        return _database_unavailable(original)
    if original is not None and isinstance(original, REFUSED):
        return _database_refused(original)
    code = "csrf" if isinstance(err, CSRFError) else _code_name(err)
    # Retry-After of a 429 or 503, Allow of a 405; not the Content-Type of Werkzeug's page.
    headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
    return error_response(err.code, code, _custom_description(err), headers)


def _code_name(err: HTTPException) -> str:
    return {429: "rate_limited", 503: "unavailable"}.get(
        err.code, err.name.lower().replace(" ", "_")
    )


# Issuing runs its statements on the driver's cursor (antrian/prepared.py): the driver's own
# errors arrive unwrapped, so both kinds are named.
UNAVAILABLE: tuple[type[Exception], ...] = (
    sa.OperationalError,
    sa.InterfaceError,
    sqlite3.OperationalError,
)
REFUSED: tuple[type[Exception], ...] = (sa.DataError, sqlite3.DataError)
try:  # the PostgreSQL driver is an optional extra
    import psycopg
except ImportError:
    pass
else:
    UNAVAILABLE += (psycopg.OperationalError, psycopg.InterfaceError)
    REFUSED += (psycopg.DataError,)


def _is_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE)


def _database_unavailable(exc: BaseException):
    log.error("Database tidak dapat dipakai: %s", exc)
    message = _("Data tidak dapat disimpan saat ini. Coba lagi sebentar lagi.")
    return error_response(503, "unavailable", message, [("Retry-After", str(RETRY_AFTER_SECONDS))])


def _database_refused(exc: BaseException):
    """A value the database refused (out of range, bad text): bad input, not a crash."""
    log.warning("Database menolak nilai: %s", exc)
    return error_response(400, "bad_request", _("Isian berisi nilai yang tidak dapat disimpan."))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    for error in UNAVAILABLE:
        app.register_error_handler(error, _database_unavailable)
    for error in REFUSED:
        app.register_error_handler(error, _database_refused)
