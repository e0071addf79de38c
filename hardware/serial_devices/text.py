"""Text helpers shared by the serial devices.

Customer displays, LED counters and the LCD of a call box only know printable
ASCII: a byte outside it is either a glyph from an unknown code page or, worse,
a control byte the device obeys as a command (a CR inside ``ESC Q A`` ends the
line early). Everything we send therefore goes through :func:`to_ascii`.
"""

from __future__ import annotations

import unicodedata

# Characters NFKD does not decompose but that have an obvious ASCII twin.
_EXTRA: dict[str, str] = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u00f8": "o",
    "\u00d8": "O",
}


def to_ascii(text: str) -> str:
    """Transliterate ``text`` to printable ASCII (0x20-0x7E).

    Accents are dropped ("É" -> "E"), whitespace and control characters become
    a space, anything else without an ASCII form becomes "?".
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if " " <= char <= "~":
            out.append(char)
        elif unicodedata.combining(char):
            continue
        elif char in _EXTRA:
            out.append(_EXTRA[char])
        elif char.isspace() or unicodedata.category(char).startswith("C"):
            out.append(" ")
        else:
            out.append("?")
    return "".join(out)


def center(text: str, width: int) -> str:
    """Center ``text`` in exactly ``width`` columns (cut when too long).

    Spelled out instead of ``str.center`` so the odd-padding side is obvious:
    the extra space goes to the right.
    """
    text = text[:width]
    left = (width - len(text)) // 2
    return " " * left + text + " " * (width - len(text) - left)
