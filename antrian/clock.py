"""Time: stored in UTC, shown and counted (service day) in the office's zone
(ANTRIAN_TIMEZONE, Asia/Jakarta unless the office moves)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

OFFICE_TZ = ZoneInfo("Asia/Jakarta")


def set_office_timezone(name: str) -> None:
    """Called once by create_app/CLI from ANTRIAN_TIMEZONE."""
    global OFFICE_TZ
    OFFICE_TZ = ZoneInfo(name)


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


def zone_label() -> str:
    """The office zone's abbreviation as Indonesians write it: WIB, WITA or WIT (Babel)."""
    return format_datetime(utcnow(), "z", tzinfo=OFFICE_TZ, locale="id")


def service_day_start(now: datetime, tz: ZoneInfo | None = None) -> datetime:
    """The UTC moment the service day of `now` began (local midnight)."""
    zone = tz or OFFICE_TZ
    return datetime.combine(service_day(now, zone), time(0), tzinfo=zone).astimezone(UTC)
