"""A thin writer over a python-escpos printer that knows the paper width.

Layouts say what goes on the slip; the composer turns it into the fewest ESC/POS commands:
sizes go through ``GS !`` only (``ESC !`` would also reset bold), the code page is pinned
once per job, and every string is transliterated and wrapped before it reaches the printer.
"""

from __future__ import annotations

import logging
from pathlib import Path

from escpos.constants import CODEPAGE_CHANGE, QR_ECLEVEL_M
from escpos.escpos import Escpos
from PIL import Image

from .profiles import PaperProfile
from .text import redact_identity_numbers, to_printable, wrap

log = logging.getLogger(__name__)

CODE_PAGE = "CP437"  # slot 0 on every supported model; we only send ASCII through it


class Composer:
    def __init__(self, printer: Escpos, paper: PaperProfile, *, redact: bool = False) -> None:
        self.printer = printer
        self.paper = paper
        self.redact = redact  # public slips (ticket, complaint): mask NIK/NPWP-like numbers
        self._align, self._bold, self._size = "left", False, (1, 1)

    @property
    def columns(self) -> int:
        """Characters per line at the current character width."""
        return max(1, self.paper.columns // self._size[0])

    def begin(self) -> None:
        # ESC @ first: a previous job (or a half-printed one) must not leak its size or bold.
        self.printer.hw("INIT")
        # Pin slot 0 ourselves: escpos' force_encoding("CP437") picks the *last* slot that
        # holds CP437 (52 on the POS-5890), which cheap clones do not all implement.
        self.printer._raw(CODEPAGE_CHANGE + b"\x00")
        self.printer.magic.encoding = CODE_PAGE
        self.printer.magic.disabled = True  # text is ASCII already: never switch code pages
        self._align, self._bold, self._size = "left", False, (1, 1)  # what ESC @ restores

    def style(
        self,
        *,
        align: str | None = None,
        bold: bool | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        """Change what is given and differs from the current state; send nothing else."""
        kwargs: dict[str, object] = {}
        if size is not None and size != self._size:
            kwargs.update(custom_size=True, width=size[0], height=size[1])
            self._size = size
        if bold is not None and bold != self._bold:
            kwargs["bold"] = bold
            self._bold = bold
        if align is not None and align != self._align:
            kwargs["align"] = align
            self._align = align
        if kwargs:
            self.printer.set(**kwargs)  # type: ignore[arg-type]

    def clean(self, text: str) -> str:
        text = to_printable(text)
        return redact_identity_numbers(text) if self.redact else text

    def line(self, text: str = "") -> None:
        """Print ``text`` word-wrapped to the current width; an empty string is a blank line."""
        for piece in wrap(self.clean(text), self.columns):
            self.printer.textln(piece)

    def rule(self, char: str = "-") -> None:
        self.printer.textln(char * self.columns)

    def pairs(self, rows: list[tuple[str, str]]) -> None:
        """Print ``label : value`` rows with values aligned and wrapped under each other.

        A value whose longest word does not fit beside the label (a receipt number or a NIK
        on 58 mm paper) goes under its label instead, so it is never cut in two.
        """
        label_width = max(len(label) for label, _ in rows)
        value_width = self.columns - label_width - 3
        for label, value in rows:
            value = self.clean(value) or "-"
            longest = max((len(word) for word in value.split()), default=0)
            if longest > value_width:
                self.printer.textln(f"{label}:")
                for piece in wrap(value, self.columns - 2):
                    self.printer.textln(f"  {piece}")
                continue
            pieces = wrap(value, value_width)
            self.printer.textln(f"{label.ljust(label_width)} : {pieces[0]}")
            for piece in pieces[1:]:
                self.printer.textln(" " * (label_width + 3) + piece)

    def numbered(self, items: list[str]) -> None:
        """A numbered list with a hanging indent, e.g. the documents handed in."""
        digits = len(str(len(items)))
        for number, item in enumerate(items, start=1):
            head = f"{number:>{digits}}. "
            pieces = wrap(self.clean(item), self.columns - len(head))
            self.printer.textln(head + pieces[0])
            for piece in pieces[1:]:
                self.printer.textln(" " * len(head) + piece)

    def two_columns(self, left: list[str], right: list[str]) -> None:
        """Side-by-side blocks, e.g. the two signature places; row i of each stays level."""
        half = self.columns // 2
        for a, b in zip(left, right, strict=True):
            a_lines, b_lines = wrap(self.clean(a), half - 1), wrap(self.clean(b), half)
            for i in range(max(len(a_lines), len(b_lines))):
                a_text = a_lines[i] if i < len(a_lines) else ""
                b_text = b_lines[i] if i < len(b_lines) else ""
                self.printer.textln((a_text.ljust(half) + b_text).rstrip())

    def big(self, text: str, largest: int = 4) -> None:
        """The queue number: as large as the paper allows, up to ``largest`` times."""
        text = self.clean(text).strip()
        factor = max(1, min(largest, self.paper.columns // max(1, len(text))))
        self.style(bold=True, size=(factor, factor))
        self.printer.textln(text)
        self.style(bold=False, size=(1, 1))

    def qr(self, payload: str) -> None:
        """A QR code, centred: native on printers that can, a raster image otherwise."""
        if self.paper.native_qr:
            self.style(align="center")
            self.printer.qr(payload, ec=QR_ECLEVEL_M, size=self.paper.qr_module, native=True)
        else:
            self.printer.qr(
                payload, ec=QR_ECLEVEL_M, size=self.paper.qr_module, native=False, center=True
            )

    def logo(self, path: str | None) -> None:
        """Print the office logo if it can be read; a missing logo never stops a slip."""
        if not path:
            return
        try:
            with Image.open(Path(path)) as img:
                img.load()
                logo = img.copy()
            logo.thumbnail((self.paper.dots // 2, 120))
            self.printer.image(logo, center=True)
        except Exception:  # bad file, unknown format, too wide: log it and print without
            log.warning("logo %s cannot be printed", path, exc_info=True)

    def finish(self) -> None:
        """Feed past the tear bar, then cut where the printer has a cutter."""
        self.style(align="left", bold=False, size=(1, 1))
        if self.paper.cutter:
            self.printer.cut()  # ESC d 6 (feed to the blade) + GS V 0
        else:
            self.printer.print_and_feed(6)
