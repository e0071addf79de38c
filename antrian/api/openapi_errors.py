"""Error answers of /api/v1 with the codes each really gives: `error` is an enum, so a program
can branch on it and the schemathesis run (tests/api/test_schemathesis.py) holds the server to
it. Also the patterns of the fields people type, shared by the case desk and complaints."""

from __future__ import annotations

# What any operation reading a JSON body may answer with 400 (antrian/input_guard.py: not a
# JSON object, NUL in a string; antrian/error_pages.py: NUL in the URL or query, a value the
# database refused) and a browser session's POST without its CSRF token (antrian/auth.py).
BAD_BODY = ("bad_json", "bad_text", "bad_request", "csrf")
# A URL no route matches (an id past 2^31 - 1, a token with a slash) is Werkzeug's 404.
NO_ROUTE = "not_found"


def error(description: str, *codes: str, fields: bool = False) -> dict:
    """A JSON error answer whose `error` is one of `codes`; `fields` adds the per-field
    messages of `invalid_fields` (antrian/cases/operations.py FieldErrors)."""
    properties: dict = {"error": {"enum": list(codes)}, "message": {"type": "string"}}
    if fields:
        properties["fields"] = {
            "type": "object",
            "description": "Pesan per kolom (bahasa Indonesia), hanya pada `invalid_fields`",
            "additionalProperties": {"type": "string"},
        }
    schema = {"type": "object", "required": ["error", "message"], "properties": properties}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# --- Patterns of typed fields ------------------------------------------------------------------
# The server strips surrounding whitespace and ignores separators (antrian/cases/validators.py);
# the patterns say the same, so a schema-valid value is one the server reads. What a pattern
# cannot say (a NIK's region code, a birth date in the calendar) is answered 422 and described.

_NUL_FREE = "[^\\x00]*"
# Python (str.strip, \s) and JSON Schema's ECMA regex (\s) disagree on a few characters: ECMA
# counts U+FEFF as whitespace, Python counts U+001C-U+001F and U+0085. Where a pattern allows
# whitespace it allows the ASCII one both agree on; where it needs a character that is not
# whitespace, it excludes both sets.
_BLANK = "[ \\t\\n\\r\\f\\v]"
_WORD = "[^\\s\\x00\\x1c-\\x1f\\x85]"  # neither whitespace nor NUL (NUL is a 400)
_NIK_SEP = "[ \\t\\n\\r\\f\\v.-]*"  # antrian/cases/validation.py _SEPARATORS
_PHONE_SEP = "[ \\t\\n\\r\\f\\v.()/-]*"  # antrian/cases/validators.py _PHONE_SEPARATORS


def _spaced(pattern: str, sep: str) -> str:
    """`pattern` written with `#` after each character class: `#` becomes the separators the
    server drops anywhere in the value."""
    return pattern.replace("#", sep)


_D = "(?:[0-9]#)"
# PP KK CC (region: checked against Kemendagri's table), DD (+40 for a woman) MM YY, and a
# serial that is not 0000.
_NIK = (
    f"{_D}{{6}}"
    "(?:0#[1-9]#|[12]#[0-9]#|3#[01]#|4#[1-9]#|[56]#[0-9]#|7#[01]#)"
    "(?:0#[1-9]#|1#[0-2]#)"
    f"{_D}{{2}}"
    f"(?:[1-9]#{_D}{{3}}|0#[1-9]#{_D}{{2}}|0#0#[1-9]#{_D}|0#0#0#[1-9]#)"
)
_COUNTRY = "(?:\\+#)?6#2#(?:0#)?"  # +62, 62, and a 0 after them is dropped
# Mobile 08… (10-13 digits with the 0, or typed without it), landline 0761… (9-12 digits).
_PHONE = f"^#(?:(?:{_COUNTRY}|0#)?8#{_D}{{8,11}}|(?:{_COUNTRY}|0#)[2-7]#{_D}{{7,10}})$"
_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = "(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{0,58}[A-Za-z0-9])"

NIK = _spaced(f"^#{_NIK}$", _NIK_SEP)
# 15 digits (the old form), or 16: with a leading 0 the old form again, else a NIK (PMK 112/2022).
NPWP = _spaced(f"^#(?:{_D}{{15}}|0#{_D}{{15}}|{_NIK})$", _NIK_SEP)
PHONE = _spaced(_PHONE, _PHONE_SEP)
# The lengths (at most 64 characters before the @, 253 after it) are left to maxLength and the
# 422: with lookaheads here, generators such as Hypothesis find no value at all.
EMAIL = f"^{_ATOM}(?:\\.{_ATOM})*@(?:{_LABEL}\\.)+{_TLD}$"


def or_blank(pattern: str) -> str:
    """The pattern, or only whitespace (an empty field: nothing given, or cleared)."""
    return f"^(?:{_BLANK}*|{pattern[1:-1]})$"


def at_least(count: int) -> str:
    """Text of at least `count` characters once its ends are stripped, without NUL."""
    if count == 1:
        return f"^{_NUL_FREE}{_WORD}{_NUL_FREE}$"
    return f"^{_NUL_FREE}{_WORD}[^\\x00]{{{count - 2},}}{_WORD}{_NUL_FREE}$"


# At least three characters once each run of whitespace is one space (call_ticket's reason).
THREE_CHARACTERS = (
    f"^{_NUL_FREE}(?:{_WORD}{_BLANK}*{_WORD}{_BLANK}*{_WORD}|{_WORD}{_BLANK}+{_WORD}){_NUL_FREE}$"
)
