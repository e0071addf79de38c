"""Time: stored in UTC, shown and counted (service day) in the office's zone (WIB)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Jakarta")


def set_office_timezone(name: str) -> None:
    """Called once by create_app/CLI from ANTRIAN_TIMEZONE; WIB unless the office moves."""
    global OFFICE_TZ
    OFFICE_TZ = ZoneInfo(name)


DAY_NAMES_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTH_NAMES_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(dt: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def local(dt: datetime, tz: ZoneInfo | None = None) -> datetime:
    return as_utc(dt).astimezone(tz or OFFICE_TZ)


def service_day(now: datetime, tz: ZoneInfo | None = None) -> date:
    """Numbers restart at local midnight, not UTC midnight (07:00 WIB)."""
    return local(now, tz).date()


def format_long_id(dt: datetime, tz: ZoneInfo | None = None) -> str:
    """'Kamis, 26 November 2026 08:15 WIB'."""
    d = local(dt, tz)
    return (
        f"{DAY_NAMES_ID[d.weekday()]}, {d.day} {MONTH_NAMES_ID[d.month - 1]} {d.year} {d:%H:%M} WIB"
    )
