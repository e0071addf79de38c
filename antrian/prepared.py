"""The busiest statements, compiled once per database and run on the driver's cursor.

SQLAlchemy executes a Core statement by building its cache key, an execution context and a
result object every time: ~50 µs of Python per statement, six statements per ticket, all inside
the SQLite write lock that every issuing kiosk queues for (bench.profile_inprocess issue: the
SQLAlchemy layer was a third of the CPU of an issue). A `Prepared` statement is compiled by
SQLAlchemy once per dialect — the same SQL, the same bind processing from the column types —
and then executed straight on the DBAPI cursor of the session's connection, inside its
transaction. Rows come back as plain tuples: only for results that need no type processing
(ids, counts, numbers, text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None  # parameter order for positional drivers (sqlite3's "?")
    fixed: dict[str, Any]  # values written into the statement itself (literals, scalar defaults)
    processors: dict[str, Callable[[Any], Any]]  # e.g. datetimes and JSON as the column stores them


class Prepared:
    """`keys`: the parameter names every execution passes (for an INSERT, its columns)."""

    def __init__(self, statement: ClauseElement, keys: Iterable[str]) -> None:
        self.statement = statement
        self.keys = tuple(keys)
        self._compiled: dict[str, _Compiled] = {}

    def execute(self, connection: Connection, params: Mapping[str, Any]):
        """Run on the connection's transaction; returns the DBAPI cursor (fetchone/fetchall)."""
        compiled = self._compiled.get(connection.dialect.name)
        if compiled is None:
            compiled = self._compiled[connection.dialect.name] = self._compile(connection.dialect)
        values = {**compiled.fixed, **params}
        for name, process in compiled.processors.items():
            values[name] = process(values[name])
        cursor = connection.connection.driver_connection.cursor()
        if compiled.positions is not None:
            cursor.execute(compiled.sql, [values[name] for name in compiled.positions])
        else:
            cursor.execute(compiled.sql, values)
        return cursor

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=list(self.keys))
        # Column defaults are computed by SQLAlchemy's execution context, which we skip: take
        # the constant ones (status "waiting", attempts 0...) here; a computed one must be
        # passed by the caller.
        defaults = {}
        for column, default in [
            *((c, c.default) for c in getattr(compiled, "insert_prefetch", ())),
            *((c, c.onupdate) for c in getattr(compiled, "update_prefetch", ())),
        ]:
            if default is None or not default.is_scalar:
                raise ValueError(f"{column.key}: a computed default; pass it explicitly")
            defaults[column.key] = default.arg
        processors = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        given = dict.fromkeys(self.keys)  # placeholders: only the statement's own values stay
        fixed = {
            name: value
            for name, value in compiled.construct_params(given).items()
            if name not in given
        } | defaults
        positions = tuple(compiled.positiontup) if compiled.positional else None
        return _Compiled(compiled.string, positions, fixed, processors)
