"""Input no room may take in: NUL bytes, oversized bodies and fields, ids past the columns,
JSON nested deeper than anything the API documents.

PostgreSQL refuses a NUL in text and an id above 2^31 - 1 with an error, not an empty
result; SQLite stores both. Refused here, every room answers them the same on both: a 400
(a 404 for an id in a URL: no such ticket can exist), before any view runs.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, ValidationError

from antrian.operations.errors import OperationError

MAX_CONTENT_LENGTH = 2_000_000  # the largest form is a logo upload (1 MB)
MAX_FIELD_CHARS = 10_000  # any one field of a form or query string; rooms check tighter ones
MAX_JSON_BYTES = 64_000  # the largest API body is a few hundred bytes
MAX_JSON_DEPTH = 20
MAX_DB_INT = 2**31 - 1  # INTEGER on PostgreSQL; ids and numbers never get near it

NUL_MESSAGE = "Permintaan berisi karakter yang tidak diizinkan (NUL)."


class DatabaseId(BaseConverter):
    """`<int:...>` in every route: a whole number that fits an INTEGER column, else no match
    (a 404, as for any id that does not exist)."""

    regex = r"\d{1,10}"
    weight = 50  # as Werkzeug's own number converters: tried before a plain string

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DB_INT:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def int_arg(name: str) -> int | None:
    """A whole-number query argument: None when absent or not a number, 400 past the range."""
    raw = request.args.get(name, "")
    if not raw.isdecimal():
        return None
    if len(raw) > 10 or int(raw) > MAX_DB_INT:
        abort(400, f"Nilai '{name}' terlalu besar.")
    return int(raw)


def json_id(value: Any) -> int | None:
    """An id given in a JSON body: a whole number from 1 to MAX_DB_INT, else None. 3.0 counts
    (JSON Schema calls it an integer, and clients built on one may send it); true does not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DB_INT:
        return None
    return value


def json_object() -> dict:
    """The request's JSON body as an object; a clear 400 or 413 for anything else."""
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort(413, f"Isi permintaan terlalu besar (paling besar {MAX_JSON_BYTES // 1000} KB).")
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's stack
        body = None
    if not isinstance(body, dict):
        raise OperationError("Isi permintaan harus JSON berupa objek.", code="bad_json")
    check_json_value(body)
    return body


def check_json_value(value: Any) -> None:
    """No NUL in any string and no nesting past MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise OperationError("Isi permintaan bersarang terlalu dalam.", code="bad_json")
        if isinstance(item, str):
            if "\x00" in item:
                raise OperationError(NUL_MESSAGE, code="bad_text")
        elif isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _refuse_bad_text() -> None:
    if "\x00" in request.path:
        abort(400, NUL_MESSAGE)
    fields = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields.append(request.form)
    for multidict in fields:
        for key, value in multidict.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, NUL_MESSAGE)
            if len(value) > MAX_FIELD_CHARS:
                abort(413, f"Isian '{key[:40]}' terlalu panjang.")
    for header in ("Idempotency-Key", "Authorization"):
        if "\x00" in request.headers.get(header, ""):
            abort(400, NUL_MESSAGE)


def init_app(app: Flask) -> None:
    """Before the blueprints: their rules take the `int` converter when they are added."""
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_CONTENT_LENGTH)
    app.config.setdefault("MAX_FORM_MEMORY_SIZE", MAX_FIELD_CHARS * 4)  # bytes of UTF-8
    app.url_map.converters["int"] = DatabaseId
    app.before_request(_refuse_bad_text)
