"""First-run trouble told in one Indonesian line that names the setting to fix.

A wrong ANTRIAN_DATABASE_URL, a PostgreSQL that does not answer, an instance folder that cannot
be written: the office's IT person needs the setting, not a traceback (`antrian --debug` keeps
the traceback for a developer).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc
from sqlalchemy import make_url

from antrian.config import Settings


def explain(error: BaseException, settings: Settings) -> str | None:
    """The line to print for `error`, or None when it is not a known first-run problem."""
    url = settings.database_url
    where = _safe(url)
    folder = settings.instance_path
    if isinstance(error, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return (
            f"ANTRIAN_DATABASE_URL tidak valid ({where}): {error}. Contoh: "
            "postgresql+psycopg://pengguna:sandi@127.0.0.1/antrian, atau kosongkan untuk SQLite."
        )
    if isinstance(error, ModuleNotFoundError) and error.name and "psycopg" in error.name:
        return (
            "ANTRIAN_DATABASE_URL menunjuk PostgreSQL, tetapi drivernya belum terpasang: "
            "pip install 'antrian[postgres]'."
        )
    if isinstance(error, sa_exc.OperationalError):
        cause = error.orig
        if url.startswith("postgresql"):
            return (
                f"PostgreSQL di ANTRIAN_DATABASE_URL ({where}) tidak dapat dihubungi: "
                f"{_first_line(cause)}. Nyalakan server PostgreSQL atau perbaiki alamatnya."
            )
        if isinstance(cause, sqlite3.OperationalError):
            return (
                f"Berkas basis data ({where}) tidak dapat dibuka atau ditulis: {cause}. Periksa "
                "hak tulis folder data (ANTRIAN_INSTANCE_PATH) atau ANTRIAN_DATABASE_URL."
            )
    if isinstance(error, OSError) and _inside(error, folder):
        return (
            f"Folder data ANTRIAN_INSTANCE_PATH ({folder}) tidak dapat dibuat atau ditulis: "
            f"{error.strerror or error}. Pilih folder lain atau beri hak tulis."
        )
    return None


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return url.split("@")[-1]  # a URL we cannot read: at least no password


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error and str(error).strip() else "tanpa pesan"


def _inside(error: OSError, folder) -> bool:
    """Was it the instance folder (or a folder on its way) that could not be made or written?"""
    path, folder = str(error.filename or ""), str(folder)
    return bool(path) and (path.startswith(folder) or folder.startswith(path))
