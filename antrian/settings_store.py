"""Admin-editable settings (office name, address, phone, running text, logo) over env defaults.

The `settings` table holds only what an admin changed; every other key falls back to the
`ANTRIAN_*` value in `Settings`, so a fresh install needs no rows. Values are read when they
are used (a slip being printed, a page being rendered), never cached across requests: with
several workers a cache would keep showing the old office name in some of them.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app, g
from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from antrian.config import Settings
from antrian.models import Setting

if TYPE_CHECKING:  # the hardware layer loads escpos; only the spooler needs it at run time
    from hardware.printing.layouts import OfficeInfo

TEXT_KEYS = ("office_name", "office_address", "office_phone", "running_text")
LOGO_KEY = "logo_version"  # set while a logo is stored; its value busts browser caches
LOGO_FILE = "logo.png"  # in the instance folder, replaced atomically
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 2000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class SettingError(ValueError):
    """Bad admin input; the message is Indonesian and safe to show."""


@dataclass(frozen=True)
class OfficeView:
    """What screens show of the office: `office()` in templates."""

    name: str
    address: str
    phone: str
    running_text: str
    logo_version: str | None = None


_STORED = select(Setting.key, Setting.value).where(Setting.key.in_((*TEXT_KEYS, LOGO_KEY)))


def load(session: Session | Connection, settings: Settings) -> dict[str, str]:
    """Every editable value: the stored one, else the environment's default."""
    rows = session.execute(_STORED)
    stored = {key: value for key, value in rows}
    values = {key: stored.get(key, getattr(settings, key)) for key in TEXT_KEYS}
    values[LOGO_KEY] = stored.get(LOGO_KEY, "")
    return values


def get(session: Session, key: str, settings: Settings) -> str:
    return load(session, settings)[key]


def put(session: Session, values: dict[str, str]) -> None:
    """Store values (already validated); the caller commits."""
    for key, value in values.items():
        if key not in (*TEXT_KEYS, LOGO_KEY):
            raise KeyError(key)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()


def forget(session: Session, key: str) -> None:
    """Back to the environment default."""
    session.execute(delete(Setting).where(Setting.key == key))


def office_view(session: Session | Connection, settings: Settings) -> OfficeView:
    values = load(session, settings)
    return OfficeView(
        name=values["office_name"],
        address=values["office_address"],
        phone=values["office_phone"],
        running_text=values["running_text"],
        logo_version=values[LOGO_KEY] or None,
    )


def logo_path(instance_path: Path) -> Path:
    return Path(instance_path) / LOGO_FILE


def office_info(conn: Connection, settings: Settings) -> OfficeInfo:
    """The OfficeInfo a slip is printed with, read in the transaction that takes its job, so
    an admin's change applies from the next slip."""
    from hardware.printing.layouts import OfficeInfo

    view = office_view(conn, settings)
    logo = logo_path(settings.instance_path)
    return OfficeInfo(
        view.name,
        view.address,
        view.phone,
        logo_path=str(logo) if view.logo_version and logo.is_file() else None,
    )


# --- validation of admin input -------------------------------------------------------------

LIMITS = {"office_name": 120, "office_address": 200, "office_phone": 40, "running_text": 500}
LABELS = {
    "office_name": "Nama kantor",
    "office_address": "Alamat",
    "office_phone": "Telepon",
    "running_text": "Teks berjalan",
}
PHONE_CHARS = set("0123456789 +-()./")


def clean_text_values(form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Returns (cleaned values, errors per field). Whitespace runs become one space."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in TEXT_KEYS:
        raw = form.get(key) or ""
        # Slips and the LED marquee are one line: newlines and tabs would break them.
        value = " ".join(raw.split())
        values[key] = value
        label = LABELS[key]
        if key in ("office_name", "office_address", "running_text") and not value:
            errors[key] = f"{label} wajib diisi."
        elif len(value) > LIMITS[key]:
            errors[key] = f"{label} paling banyak {LIMITS[key]} karakter (sekarang {len(value)})."
        elif any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            errors[key] = f"{label} berisi karakter yang tidak dapat ditampilkan."
        elif key == "office_phone" and value and not set(value) <= PHONE_CHARS:
            errors[key] = "Telepon hanya boleh berisi angka, spasi, dan tanda + - ( ) . /"
    return values, errors


def check_logo(data: bytes) -> None:
    """Accept a sane PNG only: the spooler prints it and a broken one must fail here."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise SettingError("Pilih berkas logo (PNG) terlebih dahulu.")
    if len(data) > LOGO_MAX_BYTES:
        raise SettingError(f"Berkas logo terlalu besar: paling besar {LOGO_MAX_BYTES // 1000} KB.")
    if not data.startswith(PNG_SIGNATURE):
        raise SettingError("Logo harus berupa berkas PNG.")
    try:
        with Image.open(io.BytesIO(data)) as img:
            # Size from the header first: a tiny file may claim a huge (bomb) image.
            width, height = img.size
            if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                raise SettingError(
                    f"Logo terlalu besar ({width}x{height} piksel); "
                    f"paling besar {LOGO_MAX_SIDE}x{LOGO_MAX_SIDE}."
                )
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # verify() does not decode pixels; a truncated file fails here
    except SettingError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SettingError("Berkas PNG rusak atau tidak dapat dibaca.") from exc


def store_logo(session: Session, instance_path: Path, data: bytes) -> str:
    """Validate and store the logo; returns its version. The caller commits."""
    import hashlib

    check_logo(data)
    target = logo_path(instance_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename: the spooler may be reading the old logo this very moment.
    fd, tmp = tempfile.mkstemp(prefix=".logo-", suffix=".png", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    version = hashlib.sha256(data).hexdigest()[:12]
    put(session, {LOGO_KEY: version})
    return version


def remove_logo(session: Session, instance_path: Path) -> None:
    forget(session, LOGO_KEY)
    logo_path(instance_path).unlink(missing_ok=True)


# --- templates -------------------------------------------------------------------------------


def current_office() -> OfficeView:
    """`office()` in templates: read once per request through a read-only session."""
    if "antrian_office" not in g:
        settings: Settings = current_app.config["ANTRIAN"]
        with current_app.extensions["antrian.db"].read() as session:
            g.antrian_office = office_view(session, settings)
    return g.antrian_office


def init_app(app: Flask) -> None:
    app.jinja_env.globals["office"] = current_office
