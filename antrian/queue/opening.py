"""When the office gives numbers: hours per weekday, closed days (Indonesian public holidays and
cuti bersama from the `holidays` package's government calendar, plus days the admin adds), and
an optional daily quota per service. Operations take `now`; nothing here reads a request."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from antrian import clock
from antrian.clock import local
from antrian.events import record_event
from antrian.models import ClosedDay, OfficeHours, Service
from antrian.operations.errors import Conflict, Invalid, NotFound

# Monday 0 ... Sunday 6: the hours `antrian init` starts an office with (the admin changes them).
DEFAULT_HOURS = {day: ("08:00", "15:00") for day in range(4)} | {4: ("08:00", "15:30")}
LOOK_AHEAD_DAYS = 60  # Idul Fitri with its cuti bersama closes for about ten days


class Closed(Conflict):
    """No numbers now; `resumes_at` (UTC) is the next opening, None if none is known."""

    code = "closed"

    def __init__(self, message: str, resumes_at: datetime | None, reason: str = "hours"):
        super().__init__(message)
        self.resumes_at = resumes_at
        self.reason = reason  # "hours", a holiday's name, or the admin's reason for the day


class QuotaFull(Closed):
    code = "quota_full"


@cache
def national_holidays(year: int) -> dict[date, str]:
    """Public holidays and joint leave days (cuti bersama) of Indonesia, in Indonesian."""
    calendar = holidays.country_holidays(
        "ID", years=year, categories=(PUBLIC, GOVERNMENT), language="id"
    )
    return dict(calendar.items())


def weekly_hours(session: Session) -> dict[int, tuple[time, time]]:
    return {
        row.weekday: (time.fromisoformat(row.opens), time.fromisoformat(row.closes))
        for row in session.scalars(select(OfficeHours))
    }


def closed_reason(session: Session, day: date, hours: dict | None = None) -> str | None:
    """Why `day` has no service at all, or None when it has hours."""
    own = session.get(ClosedDay, day)
    if own is not None:
        return own.reason
    holiday = national_holidays(day.year).get(day)
    if holiday:
        return holiday
    hours = weekly_hours(session) if hours is None else hours
    return None if day.weekday() in hours else "hours"


def next_opening(session: Session, now: datetime) -> datetime | None:
    """The next moment numbers are given, after `now` (UTC), or None within the look-ahead."""
    zone = clock.OFFICE_TZ
    hours = weekly_hours(session)
    here = local(now)
    for offset in range(LOOK_AHEAD_DAYS):
        day = here.date() + timedelta(days=offset)
        if closed_reason(session, day, hours) is not None:
            continue
        opens = datetime.combine(day, hours[day.weekday()][0], zone)
        if opens > here:
            return opens.astimezone(UTC)
    return None


def refuse_if_closed(session: Session, now: datetime) -> None:
    """Raises Closed outside the office's hours, on a holiday or on a day the admin closed."""
    hours = weekly_hours(session)
    if not hours:
        return  # no hours kept at all: an office that never set them is always open
    here = local(now)
    reason = closed_reason(session, here.date(), hours)
    if reason is None:
        opens, closes = hours[here.weekday()]
        if opens <= here.time() < closes:
            return
        reason = "hours"
    resumes = next_opening(session, now)
    when = f"; dibuka lagi {local(resumes):%d-%m-%Y %H:%M}" if resumes else ""
    why = "di luar jam layanan" if reason == "hours" else reason
    raise Closed(f"Pelayanan sedang tutup ({why}){when}.", resumes, reason)


def refuse_past_quota(session: Session, service_code: str, quota: int | None, number: int,
                      now: datetime) -> None:  # fmt: skip
    """Raises QuotaFull when `number` is past the service's daily quota (None: no quota)."""
    if quota is None or number <= quota:
        return
    tomorrow = local(now).replace(hour=23, minute=59)
    resumes = next_opening(session, tomorrow)
    when = f"; dibuka lagi {local(resumes):%d-%m-%Y %H:%M}" if resumes else ""
    raise QuotaFull(
        f"Kuota harian layanan {service_code} ({quota} nomor) sudah habis{when}.", resumes, "quota"
    )


# --- the admin's changes (each an event: the audit trail says who closed a day) ----------------

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def set_hours(session: Session, hours: dict[int, tuple[str, str] | None], actor: str,
              now: datetime) -> None:  # fmt: skip
    """Hours per weekday (None: closed that day). Raises Invalid with an Indonesian message."""
    for span in hours.values():
        if span is None:
            continue
        opens, closes = span
        if not (_HHMM.match(opens) and _HHMM.match(closes)):
            raise Invalid("Jam ditulis JJ:MM, misalnya 08:00.", code="bad_hours")
        if opens >= closes:
            raise Invalid("Jam buka harus sebelum jam tutup.", code="bad_hours")
    session.execute(delete(OfficeHours))
    for weekday, span in sorted(hours.items()):
        if span is not None:
            session.add(OfficeHours(weekday=weekday, opens=span[0], closes=span[1]))
    record_event(session, "opening.changed", now, actor, what="hours")


def set_quota(session: Session, service_code: str, quota: int | None, actor: str,
              now: datetime) -> None:  # fmt: skip
    if quota is not None and not 1 <= quota <= 999:
        raise Invalid("Kuota harian 1 sampai 999 nomor, atau kosong tanpa batas.", code="bad_quota")
    service = session.scalar(select(Service).where(Service.code == service_code))
    if service is None:
        raise NotFound(f"Layanan '{service_code}' tidak dikenal.", code="unknown_service")
    service.daily_quota = quota
    record_event(session, "opening.changed", now, actor, what="quota", service=service_code)


def close_day(session: Session, day: date, reason: str, actor: str, now: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise Invalid("Tulis alasan tutup, misalnya 'Rapat koordinasi'.", code="bad_reason")
    if len(reason) > 120:
        raise Invalid("Alasan paling panjang 120 huruf.", code="bad_reason")
    session.merge(ClosedDay(day=day, reason=reason))
    record_event(session, "opening.changed", now, actor, what="closed", day=day.isoformat())


def reopen_day(session: Session, day: date, actor: str, now: datetime) -> None:
    session.execute(delete(ClosedDay).where(ClosedDay.day == day))
    record_event(session, "opening.changed", now, actor, what="reopened", day=day.isoformat())


def upcoming_closed_days(session: Session, today: date, days: int = 60) -> list[tuple[date, str]]:
    """National holidays, cuti bersama and the admin's days, from today on."""
    hours = weekly_hours(session)
    found = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        reason = closed_reason(session, day, hours)
        if reason not in (None, "hours"):
            found.append((day, reason))
    return found
