"""Text helpers shared by the serial devices.

Customer displays, LED counters and the LCD of a call box only know printable
ASCII: a byte outside it is either a glyph from an unknown code page or, worse,
a control byte the device obeys as a command (a CR inside ``ESC Q A`` ends the
line early). Everything we send therefore goes through :func:`to_ascii`, the printers'
transliteration.
"""

from __future__ import annotations

import re

from hardware.printing.text import to_printable

_BREAKS = re.compile(r"[\s\x00-\x1f\x7f]")


def to_ascii(text: str) -> str:
    """Printable ASCII (0x20-0x7E) only, spelled as on the printers' paper
    (hardware/printing/text.py: accents dropped, look-alikes for dashes and quotes, no "?").
    Whitespace and control characters, the newline included, become a space."""
    return to_printable(_BREAKS.sub(" ", text))


def center(text: str, width: int) -> str:
    """Center ``text`` in exactly ``width`` columns (cut when too long).

    Spelled out instead of ``str.center`` so the odd-padding side is obvious:
    the extra space goes to the right.
    """
    text = text[:width]
    left = (width - len(text)) // 2
    return " " * left + text + " " * (width - len(text) - left)
