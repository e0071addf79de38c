"""Report periods: a day, an ISO week, a month or any range of office-local dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_date

KINDS = ("day", "week", "month", "range")


class BadPeriod(ValueError):
    """The period asked for cannot be read; the message says how to write it (Indonesian)."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first service day, inclusive
    end: date  # last service day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, locale: str = "id") -> str:
        def long(day: date) -> str:
            return format_date(day, format="d MMMM y", locale=locale)

        if self.kind == "day":
            return long(self.start)
        if self.kind == "month":
            return format_date(self.start, format="LLLL y", locale=locale)
        return f"{long(self.start)} – {long(self.end)}"

    def query(self) -> dict[str, str]:
        """The URL parameters that ask for this period again."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadPeriod(f"{what} '{text}' bukan tanggal (tulis TTTT-BB-HH).") from exc


def parse_period(args: dict[str, str], today: date) -> Period:
    """From URL parameters: ?day=2026-11-26, ?week=2026-11-26 (the week holding that day),
    ?month=2026-11, or ?from=...&to=...; nothing: this month so far."""
    if args.get("from") or args.get("to"):
        start = _date(args.get("from") or args.get("to", ""), "Tanggal awal")
        end = _date(args.get("to") or args.get("from", ""), "Tanggal akhir")
        if end < start:
            raise BadPeriod("Tanggal akhir sebelum tanggal awal.")
        if (end - start).days > 366 * 10:
            raise BadPeriod("Rentang paling panjang sepuluh tahun.")
        return Period("range", start, end)
    if args.get("day"):
        day = _date(args["day"], "Tanggal")
        return Period("day", day, day)
    if args.get("week"):
        day = _date(args["week"], "Tanggal")
        monday = day - timedelta(days=day.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    month = args.get("month") or today.strftime("%Y-%m")
    try:
        first = datetime.strptime(month.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise BadPeriod(f"Bulan '{month}' tidak dikenal (tulis TTTT-BB).") from exc
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period("month", first, following - timedelta(days=1))
