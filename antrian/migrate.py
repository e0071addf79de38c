"""Alembic, driven from code so `antrian init` needs no alembic.ini next to it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def head_revision() -> str:
    return _scripts().get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this code can upgrade from (or is at)."""
    return {script.revision for script in _scripts().walk_revisions()}


def current_revision(database_url: str) -> str | None:
    """The database's schema revision; None for an empty database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def schema_problem(database_url: str) -> str | None:
    """Why the server must not start on this database (Indonesian), or None when it may."""
    revision = current_revision(database_url)
    if revision == head_revision():
        return None
    if revision is None:
        return "Basis data masih kosong. Jalankan dulu: antrian init"
    if revision in known_revisions():
        return (
            f"Skema basis data ({revision}) lebih lama dari versi program ini "
            f"({head_revision()}). Jalankan dulu: antrian init (memperbarui skema; "
            "buat cadangan dengan antrian backup sebelumnya)."
        )
    return (
        f"Skema basis data ({revision}) tidak dikenal versi program ini: basis data dari "
        "versi Antrian yang lebih baru? Pasang versi itu, atau pulihkan cadangan yang cocok."
    )
