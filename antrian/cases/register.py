"""The Buku Register: every issued licence, numbered per year, never twice.

Step 4 of a case (the handover) calls `add_register_entry`. The number comes from the year's
counter row, bumped by one `UPDATE ... RETURNING` like the ticket numbers
(antrian/operations/daily_counters.py): the row lock (PostgreSQL) or the write lock taken at
BEGIN (SQLite) makes concurrent writers wait for each other, and UNIQUE (year, number) would
refuse a duplicate even if that ever failed. The register number is formatted once, when the
entry is written, so a later change of format never renumbers what the office has filed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

# The module, not the function: antrian.models imports this file while antrian.events may be
# half-imported (it imports antrian.models first).
from antrian import events
from antrian.models import Base, Setting, Staff

FORMAT_KEY = "register_number_format"
DEFAULT_FORMAT = "{number:04d}/IUMK/DPMPTSP/{year}"


class RegisterCounter(Base):
    __tablename__ = "register_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_register_number"),
        Index("ix_register_issued", "issued_on", "id"),
        # A KBLI filter's page is read in date order straight from this index.
        Index("ix_register_kbli_issued", "kbli", "issued_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    register_number: Mapped[str] = mapped_column(String(80), unique=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    applicant_name: Mapped[str] = mapped_column(String(160))
    business_name: Mapped[str] = mapped_column(String(200))
    kbli: Mapped[str] = mapped_column(String(5))
    nib: Mapped[str] = mapped_column(String(13), index=True)
    licence_number: Mapped[str] = mapped_column(String(120))
    officer: Mapped[str] = mapped_column(String(160))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # What the register's search box looks in, lower-case, in one column: one LIKE a row, the
    # same on SQLite and PostgreSQL (see search_text()).
    search_text: Mapped[str] = mapped_column(String(400))
    created_dt: Mapped[datetime]


class RegisterError(ValueError):
    """Input the register cannot take; the message is Indonesian and safe to show."""


def search_text(applicant_name: str, business_name: str, register_number: str, nib: str) -> str:
    return f"{applicant_name} | {business_name} | {register_number} | {nib}".lower()


def number_format(session: Session) -> str:
    row = session.get(Setting, FORMAT_KEY)
    return row.value if row is not None else DEFAULT_FORMAT


def check_format(fmt: str) -> str:
    """The format an admin typed, if it gives distinct, short numbers; else RegisterError."""
    fmt = fmt.strip()
    try:
        samples = {fmt.format(number=n, year=2026) for n in (1, 2)}
        longest = fmt.format(number=99999, year=2026)
    except (KeyError, IndexError, ValueError) as err:
        raise RegisterError(
            "Format hanya boleh memakai {number} (bisa {number:04d}) dan {year}."
        ) from err
    if "{number" not in fmt or "{year" not in fmt or len(samples) != 2:
        raise RegisterError("Format harus memuat {number} dan {year}, misalnya " + DEFAULT_FORMAT)
    if len(longest) > 80:
        raise RegisterError("Nomor register terlalu panjang (lebih dari 80 huruf).")
    return fmt


def set_number_format(session: Session, fmt: str, *, actor: str, now: datetime) -> None:
    fmt = check_format(fmt)
    row = session.get(Setting, FORMAT_KEY)
    if row is None:
        session.add(Setting(key=FORMAT_KEY, value=fmt))
    else:
        row.value = fmt
    events.record_event(session, "register.format_changed", now, actor, format=fmt)


def _next_number(session: Session, year: int) -> int:
    conn = session.connection()
    bump = (
        update(RegisterCounter)
        .where(RegisterCounter.year == year)
        .values(last_number=RegisterCounter.last_number + 1)
        .returning(RegisterCounter.last_number)
    )
    number = conn.execute(bump).scalar()
    if number is None:  # the year's first entry; a concurrent creator makes this a no-op
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(RegisterCounter)
            .values(year=year, last_number=0)
            .on_conflict_do_nothing()
        )
        number = conn.execute(bump).scalar()
    return number


def _required(**values: str | None) -> dict[str, str]:
    labels = {
        "applicant_name": "Nama pemohon",
        "business_name": "Nama usaha",
        "licence_number": "Nomor izin",
    }
    cleaned = {key: " ".join((value or "").split()) for key, value in values.items()}
    missing = [labels[key] for key, value in cleaned.items() if not value]
    if missing:
        raise RegisterError(f"{', '.join(missing)} wajib diisi untuk Buku Register.")
    return cleaned


def add_register_entry(
    session: Session,
    *,
    case_id: int | None,
    applicant_name: str,
    business_name: str,
    kbli: str,
    nib: str,
    licence_number: str,
    officer: Staff | str,
    issued_on: date,
    now: datetime,
) -> RegisterEntry:
    """Write the next entry of `issued_on`'s year; the caller's transaction commits it."""
    text = _required(
        applicant_name=applicant_name, business_name=business_name, licence_number=licence_number
    )
    kbli, nib = (kbli or "").strip(), "".join((nib or "").split())
    if not (len(kbli) == 5 and kbli.isdecimal()):
        raise RegisterError("KBLI harus 5 digit angka.")
    if not (len(nib) == 13 and nib.isdecimal()):
        raise RegisterError("NIB harus 13 digit angka.")
    officer_name = officer if isinstance(officer, str) else officer.full_name
    year = issued_on.year
    # Before the year's counter row: every writer takes it first (antrian/events.py).
    events.hold_event_order(session)
    number = _next_number(session, year)
    register_number = number_format(session).format(number=number, year=year)
    entry = RegisterEntry(
        year=year,
        number=number,
        register_number=register_number,
        case_id=case_id,
        issued_on=issued_on,
        kbli=kbli,
        nib=nib,
        officer=officer_name,
        officer_id=None if isinstance(officer, str) else officer.id,
        search_text=search_text(
            text["applicant_name"], text["business_name"], register_number, nib
        ),
        created_dt=now,
        **text,
    )
    session.add(entry)
    session.flush()
    events.record_event(
        session,
        "register.entry_added",
        now,
        officer_name,
        entry_id=entry.id,
        register_number=entry.register_number,
        case_id=case_id,
    )
    return entry
