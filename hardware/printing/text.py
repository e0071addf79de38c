"""Text for thermal paper: transliteration into the code page, word-wrap, Indonesian dates.

Layouts send plain ASCII by default: cheap 58 mm printers ship unreliable code page tables,
and ASCII prints the same on every model. Nothing ever becomes "?": a character we cannot
print is spelled with look-alike ASCII, or dropped when it has no sensible spelling (emoji).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

JAKARTA = ZoneInfo("Asia/Jakarta")  # a naive time is taken as the office's, WIB by default

# Characters NFKD does not reduce to ASCII but that have an obvious ASCII spelling.
_TABLE: dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": "",
    "\u2026": "...", "\u2022": "*", "\u00b7": ".", "\u00d7": "x", "\u00f7": ":",
    "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE",
    "\u00f8": "o", "\u00d8": "O", "\u0111": "d", "\u0110": "D", "\u0142": "l", "\u0141": "L",
    "\u00fe": "th", "\u00de": "Th", "\u00f0": "d", "\u00d0": "D", "\u0131": "i",
    "\u20ac": "EUR", "\u00a3": "GBP", "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "TM",
    "\u00b1": "+/-",
    "\t": " ", "\u00a0": " ", "\u202f": " ", "\u2007": " ",
}  # fmt: skip

# A run of 15+ digits (optionally split by spaces, dots or dashes) looks like a NIK (16) or
# an NPWP (15/16): UU 27/2022 keeps them off tickets, so a stray one is masked, not printed.
_IDENTITY_NUMBER = re.compile(r"\d(?:[ .\-]?\d){14,}")
# Anything but printable ASCII and the newline: only such text needs the character-by-character
# walk below (every code page has ASCII; most lines of a slip are plain ASCII).
_NOT_PLAIN = re.compile(r"[^\n\x20-\x7e]")


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def to_printable(text: str, encoding: str = "ascii") -> str:
    """Return ``text`` using only characters of ``encoding`` (a Python codec name).

    Control characters are removed except the newline, so user input can never smuggle an
    ESC/POS command (ESC, GS, DLE...) onto the paper.
    """
    text = str(text)
    if not _NOT_PLAIN.search(text):
        return text
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append(char)
        elif char in _TABLE:
            out.append(_TABLE[char])
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # control, format (zero-width), surrogate, private use, unassigned
        elif _encodable(char, encoding):
            out.append(char)
        else:
            out.append(_decompose(char, encoding))
    return "".join(out)


def _decompose(char: str, encoding: str) -> str:
    # NFKD splits "Ç" into "C" + combining cedilla and "ﬁ" into "fi"; keep the printable parts.
    parts = []
    for piece in unicodedata.normalize("NFKD", char):
        if piece in _TABLE:
            parts.append(_TABLE[piece])
        elif not unicodedata.combining(piece) and _encodable(piece, encoding):
            parts.append(piece)
    return "".join(parts)


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap ``text`` into lines of at most ``width`` characters.

    Words are never split, except a single word longer than a whole line, which then starts
    on its own line and is cut into full-width pieces. Newlines in ``text`` are kept as line
    breaks; an empty paragraph gives an empty line.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) <= width:
                current = f"{current} {word}"
                continue
            if current:
                lines.append(current)
            while len(word) > width:
                lines.append(word[:width])
                word = word[width:]
            current = word
        lines.append(current)
    return lines


def redact_identity_numbers(text: str) -> str:
    """Mask every NIK/NPWP-like digit run in ``text`` with asterisks."""
    return _IDENTITY_NUMBER.sub(lambda m: "*" * len(m.group()), text)


def same(message: str) -> str:
    """The no-op translation: slips are Indonesian unless the core passes a gettext."""
    return message


def format_datetime_id(moment: datetime, zone: ZoneInfo | None = None, locale: str = "id") -> str:
    """Format as the office reads time: ``Kamis, 26 November 2026 08:15 WIB`` (Babel's
    names in ``locale``: ``Thursday, 26 November 2026 08:15 WIB`` in "en"; the zone's own
    Indonesian abbreviation: WIB, WITA, WIT, in either language).

    In ``zone`` when given, else in the moment's own zone; a naive moment is taken as in
    ``zone`` (Asia/Jakarta by default).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or JAKARTA)
    elif zone is not None:
        moment = moment.astimezone(zone)
    when = format_datetime(moment, "EEEE, d MMMM y HH:mm", tzinfo=moment.tzinfo, locale=locale)
    return f"{when} {format_datetime(moment, 'z', tzinfo=moment.tzinfo, locale='id')}"


def format_date_id(moment: datetime, zone: ZoneInfo | None = None, locale: str = "id") -> str:
    """``Kamis, 26 November 2026``: the date part of :func:`format_datetime_id`."""
    return format_datetime_id(moment, zone, locale).rsplit(" ", 2)[0]


def format_time_id(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """``08:15 WIB``: the time part of :func:`format_datetime_id`."""
    return " ".join(format_datetime_id(moment, zone).rsplit(" ", 2)[1:])
