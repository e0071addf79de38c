"""Date arithmetic the reports push into SQL, one expression per database.

A year of tickets is ~100,000 rows: reading them as Python datetimes costs seconds; SQL gives
back the minutes and the local weekday/hour instead. Custom constructs compiled per dialect,
the way SQLAlchemy documents it (sqlalchemy.ext.compiler)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from antrian import clock


class minutes_between(FunctionElement):
    """minutes_between(later, earlier): a float number of minutes."""

    type = Float()
    inherit_cache = True


@compiles(minutes_between, "sqlite")
def _minutes_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 1440.0)"


@compiles(minutes_between, "postgresql")
def _minutes_pg(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 60.0)"


class local_part(FunctionElement):
    """local_part(timestamp, 'dow' | 'hour', utc_offset_minutes): in office time; dow 0 = Monday."""

    type = Integer()
    # Its SQL embeds the part and the offset, which a cached statement would not tell apart.
    inherit_cache = False


def _literal(element, compiler, index, **kw):
    return element.clauses.clauses[index].value


@compiles(local_part, "sqlite")
def _local_sqlite(element, compiler, **kw):
    stamp = compiler.process(element.clauses.clauses[0], **kw)
    part, offset = _literal(element, compiler, 1), int(_literal(element, compiler, 2))
    shifted = f"datetime({stamp}, '{offset:+d} minutes')"
    if part == "hour":
        return f"CAST(strftime('%H', {shifted}) AS INTEGER)"
    return f"((CAST(strftime('%w', {shifted}) AS INTEGER) + 6) % 7)"


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
