"""Date arithmetic the reports push into SQL, one expression per database.

A year of tickets is ~100,000 rows: reading them as Python datetimes costs seconds; SQL gives
back the milliseconds and the local weekday/hour instead. Custom constructs compiled per dialect,
the way SQLAlchemy documents it (sqlalchemy.ext.compiler)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from antrian import clock


class milliseconds_between(FunctionElement):
    """milliseconds_between(later, earlier): whole milliseconds, NULL when either is NULL.

    An exact integer, the same on both databases: a report divides it by 60,000 for minutes,
    and a step "within 15 minutes" is decided on it without floating-point doubt at the
    boundary. (SQLite's julianday() keeps milliseconds; its error at today's Julian day
    numbers is a few microseconds, which the rounding removes.)"""

    type = BigInteger()
    inherit_cache = True


@compiles(milliseconds_between, "sqlite")
def _ms_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round((julianday({later}) - julianday({earlier})) * 86400000.0) AS INTEGER)"


@compiles(milliseconds_between, "postgresql")
def _ms_pg(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000) AS BIGINT)"


class local_part(FunctionElement):
    """local_part(timestamp, 'dow' | 'hour', utc_offset_minutes): in office time; dow 0 = Monday."""

    type = Integer()
    # Its SQL embeds the part and the offset, which a cached statement would not tell apart.
    inherit_cache = False


def _literal(element, compiler, index, **kw):
    return element.clauses.clauses[index].value


@compiles(local_part, "sqlite")
def _local_sqlite(element, compiler, **kw):
    """Integer arithmetic on the Julian day in milliseconds: datetime() and strftime() format
    and parse a string per row, which took seconds over a year of tickets. The day number
    (noon-based, hence + half a day) modulo 7 is 0 on Mondays."""
    stamp = compiler.process(element.clauses.clauses[0], **kw)
    part, offset = _literal(element, compiler, 1), int(_literal(element, compiler, 2))
    milliseconds = f"CAST(round(julianday({stamp}) * 86400000.0) AS INTEGER)"
    shifted = f"({milliseconds} + {offset * 60_000 + 43_200_000})"
    if part == "hour":
        return f"(({shifted} % 86400000) / 3600000)"
    return f"(({shifted} / 86400000) % 7)"


@compiles(local_part, "postgresql")
def _local_pg(element, compiler, **kw):
    stamp = compiler.process(element.clauses.clauses[0], **kw)
    part, offset = _literal(element, compiler, 1), int(_literal(element, compiler, 2))
    shifted = f"(({stamp}) AT TIME ZONE 'UTC' + INTERVAL '{offset} minutes')"
    if part == "hour":
        return f"CAST(EXTRACT(HOUR FROM {shifted}) AS INTEGER)"
    return f"CAST(EXTRACT(ISODOW FROM {shifted}) AS INTEGER) - 1"


def office_offset_minutes(at: datetime) -> int:
    """The office's offset from UTC (WIB: +420). Indonesia keeps no daylight saving time, so
    one offset holds for a whole report period."""
    return int(clock.local(at).utcoffset().total_seconds() // 60)
