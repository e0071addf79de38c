"""Backups and restores of the office's database: the register, the cases and the audit trail.

SQLite is copied with its online backup API, page by page inside read transactions, so a copy
taken while kiosks issue tickets is consistent and the server never stops. PostgreSQL is dumped
with its own documented `pg_dump --format=custom` (restored with `pg_restore`), run for the
admin when the client tools are installed.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from antrian import clock

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"
PREFIX = "antrian-"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Indonesian."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_dt: datetime  # UTC, from the file's modification time

    def age_hours(self, now: datetime) -> float:
        return (now - self.made_dt).total_seconds() / 3600


def _sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("Basis data SQLite di memori tidak bisa dicadangkan.")
    return Path(url.database)


def _libpq_url(database_url: str) -> str:
    """pg_dump takes a libpq URL: the same URL without SQLAlchemy's '+driver'."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def backup(database_url: str, folder: Path, now: datetime) -> Path:
    """Write one consistent copy of the database into `folder`; returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.local(now).strftime("%Y%m%d-%H%M%S")
    source = _sqlite_path(database_url)
    if source is not None:
        if not source.exists():
            raise BackupError(f"Basis data {source} tidak ada.")
        target = folder / f"{PREFIX}{stamp}{SQLITE_SUFFIX}"
        partial = target.with_suffix(".partial")
        _copy_sqlite(f"file:{source}?mode=ro", partial)
        partial.replace(target)  # a half-written copy never looks like a backup
        return target
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump tidak ditemukan. Pasang postgresql-client, atau jalankan sendiri: "
            "pg_dump --format=custom --file=antrian.pgdump <URL basis data>"
        )
    target = folder / f"{PREFIX}{stamp}{POSTGRES_SUFFIX}"
    partial = target.with_suffix(".partial")
    done = subprocess.run(
        [pg_dump, "--format=custom", f"--file={partial}", _libpq_url(database_url)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump gagal: {done.stderr.strip()[:300]}")
    partial.replace(target)
    return target


def backups(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [
        BackupFile(p, datetime.fromtimestamp(p.stat().st_mtime, tz=UTC))
        for p in folder.iterdir()
        if p.name.startswith(PREFIX) and p.suffix in (SQLITE_SUFFIX, POSTGRES_SUFFIX)
    ]
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def last_backup(folder: Path) -> BackupFile | None:
    found = backups(folder)
    return found[0] if found else None


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    old = [b.path for b in backups(folder)[keep:]]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def check_sqlite_backup(path: Path, known_revisions: set[str]) -> str:
    """Refuse a file that is not a whole Antrian database; returns its schema revision."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"{path.name} rusak (integrity_check: {result}).")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} bukan basis data Antrian: {exc}.") from exc
    revision = row[0] if row else None
    if revision not in known_revisions:
        raise BackupError(
            f"{path.name} memakai skema '{revision}' yang tidak dikenal versi Antrian ini "
            "(cadangan dari versi yang lebih baru?)."
        )
    return revision


def restore(path: Path, database_url: str, known_revisions: set[str], now: datetime) -> Path:
    """Put a backup in place of the database; the replaced database is kept beside it.

    The server must be stopped first: a running server keeps the old file open. Returns where
    the replaced database was kept."""
    if not path.is_file():
        raise BackupError(f"Berkas {path} tidak ada.")
    target = _sqlite_path(database_url)
    stamp = clock.local(now).strftime("%Y%m%d-%H%M%S")
    if target is None:
        return _restore_postgres(path, database_url, stamp)
    check_sqlite_backup(path, known_revisions)
    kept = target.with_name(f"{target.name}.sebelum-pulih-{stamp}")
    if target.exists():
        # A consistent copy of what is replaced (its WAL folded in), then the old files go.
        _copy_sqlite(f"file:{target}", kept)
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    _copy_sqlite(f"file:{path}?mode=ro", target)
    return kept


def _copy_sqlite(source_uri: str, target: Path) -> None:
    """SQLite's online backup, page by page: a consistent copy with the WAL folded in."""
    src = sqlite3.connect(source_uri, uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _restore_postgres(path: Path, database_url: str, stamp: str) -> Path:
    pg_restore = shutil.which("pg_restore")
    pg_dump = shutil.which("pg_dump")
    if pg_restore is None or pg_dump is None:
        raise BackupError("pg_restore/pg_dump tidak ditemukan. Pasang postgresql-client.")
    listed = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
    if listed.returncode != 0 or "alembic_version" not in listed.stdout:
        raise BackupError(f"{path.name} bukan cadangan PostgreSQL Antrian yang utuh.")
    kept = path.with_name(f"{PREFIX}sebelum-pulih-{stamp}{POSTGRES_SUFFIX}")
    url = _libpq_url(database_url)
    before = subprocess.run(
        [pg_dump, "--format=custom", f"--file={kept}", url], capture_output=True, text=True
    )
    if before.returncode != 0:
        raise BackupError(f"Basis data lama tidak bisa disimpan dulu: {before.stderr[:300]}")
    done = subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
         f"--dbname={url}", str(path)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore gagal: {done.stderr.strip()[:300]}")
    return kept
