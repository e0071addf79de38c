"""Lines of business (KBLI 2020, 5 digits) the case form offers, and the office's additions.

The shipped list (antrian/cases/data/kbli2020.json, with its source) holds the codes micro
businesses use most; an admin adds a code OSS shows that the list lacks, or corrects a title,
on the Kelola KBLI page. The case form's chooser searches code and title as the officer types.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import Boolean, String, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from antrian.models import Base

CHOOSER_LIMIT = 20


class KbliCode(Base):
    __tablename__ = "kbli_codes"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # Lower-case title for a search that works the same on SQLite and PostgreSQL.
    title_search: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_by: Mapped[str | None] = mapped_column(String(120))  # None: as shipped with Antrian
    changed_dt: Mapped[datetime | None]


class KbliError(ValueError):
    """Bad admin input; the message is Indonesian and safe to show."""


@cache
def shipped() -> dict:
    text = resources.files("antrian.cases").joinpath("data", "kbli2020.json").read_text("utf-8")
    return json.loads(text)


def seed_kbli(session: Session) -> int:
    """Adds the shipped codes the table lacks (an office's own titles stay). Returns how many."""
    have = set(session.scalars(select(KbliCode.code)))
    missing = [row for row in shipped()["codes"] if row["code"] not in have]
    session.add_all(
        KbliCode(code=r["code"], title=r["title"], title_search=r["title"].lower(), active=True)
        for r in missing
    )
    session.flush()
    return len(missing)


def search_kbli(session: Session, query: str, limit: int = CHOOSER_LIMIT) -> list[KbliCode]:
    """Codes starting with the digits typed, or titles holding every word typed."""
    words = query.lower().split()
    statement = select(KbliCode).where(KbliCode.active).order_by(KbliCode.code).limit(limit)
    for word in words:
        if word.isdecimal():
            statement = statement.where(
                or_(KbliCode.code.startswith(word), KbliCode.title_search.contains(word))
            )
        else:
            statement = statement.where(KbliCode.title_search.contains(word, autoescape=True))
    return list(session.scalars(statement))


def kbli_title(session: Session, code: str) -> str | None:
    return session.scalar(select(KbliCode.title).where(KbliCode.code == code))


_CODE = re.compile(r"\d{5}")


def save_kbli(session: Session, code: str, title: str, *, actor: str, now: datetime) -> KbliCode:
    """Add a code, or change the title of one (and make it active again)."""
    code, title = code.strip(), " ".join(title.split())
    if not _CODE.fullmatch(code):
        raise KbliError("Kode KBLI harus 5 digit angka, misalnya 47112.")
    if not 3 <= len(title) <= 300:
        raise KbliError("Judul KBLI wajib diisi (3–300 huruf), seperti tertulis di OSS.")
    row = session.get(KbliCode, code)
    if row is None:
        row = KbliCode(code=code)
        session.add(row)
    row.title, row.title_search, row.active = title, title.lower(), True
    row.changed_by, row.changed_dt = actor, now
    session.flush()
    return row


def set_kbli_active(session: Session, code: str, active: bool, *, actor: str, now: datetime):
    row = session.get(KbliCode, code)
    if row is None:
        raise KbliError(f"Kode KBLI {code} tidak ada dalam daftar.")
    row.active, row.changed_by, row.changed_dt = active, actor, now
    session.flush()
    return row


def count_kbli(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(KbliCode)) or 0
