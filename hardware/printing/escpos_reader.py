"""Read ESC/POS bytes back into what a person would see on the paper.

Tests and the staff "preview" assert on this instead of on raw bytes: which lines are
printed, how large, bold or centred, how many cuts, which QR payloads and images. It covers
the commands python-escpos emits plus the common Epson ones; anything else is skipped by its
known length or listed in ``Paper.unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# Epson "ESC t n" slots that map onto a Python codec; the rest read as CP437.
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865",
              16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858"}  # fmt: skip

# Parameter byte counts of fixed-length commands that do not change what we track.
_ESC_SKIP = {"-": 1, "M": 1, "G": 1, "2": 0, "3": 1, "A": 1, "+": 1, "{": 1, "V": 1, " ": 1,
             "=": 1, "r": 1, "R": 1, "U": 1, "c": 2, "p": 3, "B": 2, "$": 2, "\\": 2, "%": 1,
             "?": 2, "K": 1, "L": 0, "S": 0, "W": 8, "T": 1, "f": 2, "u": 1,
             "v": 0, "e": 1, "<": 0, "C": 1, "s": 1}  # fmt: skip
_GS_SKIP = {"B": 1, "b": 1, "|": 1, "H": 1, "f": 1, "h": 1, "w": 1, "a": 1, "r": 1, "I": 1,
            "L": 2, "W": 2, "P": 2, "$": 2, "\\": 2, "T": 1, "^": 3, ":": 0, "/": 1,
            "E": 1, "g": 2, "z": 1, "c": 0}  # fmt: skip
_FS_SKIP = {".": 0, "&": 0, "!": 1, "-": 1, "C": 1, "S": 2, "W": 1}


@dataclass(frozen=True)
class Line:
    text: str
    align: str = "left"
    bold: bool = False
    width_mult: int = 1
    height_mult: int = 1

    @property
    def columns_used(self) -> int:
        """Width in normal-size character cells, to compare with the paper's columns."""
        return len(self.text) * self.width_mult


@dataclass(frozen=True)
class Raster:
    """A printed bitmap: ``width`` x ``height`` dots, row-major, 1 bit per dot, 1 = black."""

    width: int
    height: int
    data: bytes

    def black(self, x: int, y: int) -> bool:
        row = (self.width + 7) // 8
        return bool(self.data[y * row + x // 8] & (0x80 >> (x % 8)))


@dataclass
class Paper:
    lines: list[Line] = field(default_factory=list)
    cuts: int = 0
    qr_payloads: list[str] = field(default_factory=list)
    images: int = 0
    rasters: list[Raster] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # hex of commands not understood
    pending: str = ""  # text never followed by a print command: stays in the buffer

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def lines_with(self, needle: str) -> list[Line]:
        return [line for line in self.lines if needle in line.text]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.paper = data, 0, Paper()
        self._reset()

    def _reset(self) -> None:
        self.align, self.bold, self.width, self.height = "left", False, 1, 1
        self.codepage = "cp437"
        self.chars: list[str] = []
        self.line_bold, self.line_w, self.line_h, self.line_align = False, 1, 1, "left"
        self.qr_store = ""
        self.graphics: Raster | None = None

    # --- reading helpers -------------------------------------------------------------
    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise EOFError
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def word(self) -> int:
        low, high = self.take(2)
        return low + 256 * high

    # --- paper -----------------------------------------------------------------------
    def put(self, text: str) -> None:
        if not self.chars:
            self.line_align, self.line_bold, self.line_w, self.line_h = (
                self.align, False, self.width, self.height
            )  # fmt: skip
        self.chars.append(text)
        self.line_bold |= self.bold and not text.isspace()
        self.line_w, self.line_h = max(self.line_w, self.width), max(self.line_h, self.height)

    def emit(self) -> None:
        """Print the buffer and advance one line (LF); an empty buffer gives a blank line."""
        if self.chars:
            line = Line("".join(self.chars), self.line_align, self.line_bold,
                        self.line_w, self.line_h)  # fmt: skip
        else:
            line = Line("", self.align, False, self.width, self.height)
        self.paper.lines.append(line)
        self.chars = []

    def flush(self) -> None:
        """Print a non-empty buffer before a block (QR, image, cut) is placed."""
        if self.chars:
            self.emit()

    # --- commands --------------------------------------------------------------------
    def run(self) -> Paper:
        start = 0
        try:
            while self.pos < len(self.data):
                start = self.pos
                self.step(self.byte())
        except EOFError:  # the job ends inside a command (e.g. a connection cut mid-image)
            self.paper.unknown.append(f"truncated at byte {start}")
        self.paper.pending = "".join(self.chars)
        return self.paper

    def step(self, b: int) -> None:
        if b == 0x0A:
            self.emit()
        elif b == 0x0C:
            self.flush()
        elif b == 0x09:
            self.put(" " * (8 - len("".join(self.chars)) % 8))
        elif b == ESC:
            self.esc(chr(self.byte()))
        elif b == GS:
            self.gs(chr(self.byte()))
        elif b == FS:
            self.fs(chr(self.byte()))
        elif b == DLE:
            fn = self.byte()
            self.take(3 if fn == 0x14 else 1)  # DLE EOT n / DLE ENQ n / DLE DC4 fn m t
        elif b >= 0x20 and b != 0x7F:
            self.put(bytes([b]).decode(self.codepage, errors="replace"))
        # other control bytes (CR, BEL, NUL...) move nothing on paper

    def esc(self, c: str) -> None:
        if c == "@":
            self._reset()  # ESC @ also clears the print buffer
        elif c == "a":
            self.align = {0: "left", 1: "center", 2: "right"}.get(self.byte() % 48, "left")
        elif c == "E":
            self.bold = bool(self.byte() & 1)
        elif c == "!":
            n = self.byte()
            self.bold = bool(n & 0x08)
            self.height, self.width = (2 if n & 0x10 else 1), (2 if n & 0x20 else 1)
        elif c == "t":
            n = self.byte()
            self.codepage = CODE_PAGES.get(n, "cp437")
            if n not in CODE_PAGES:
                self.paper.unknown.append(f"ESC t {n}")
        elif c == "d":
            n = self.byte()
            if self.chars:
                self.emit()
                n -= 1
            for _ in range(max(0, n)):
                self.emit()
        elif c == "J":
            self.byte()
            self.flush()
        elif c in "im":  # obsolete one-byte partial cut, still sent by some drivers
            self.flush()
            self.paper.cuts += 1
        elif c == "D":
            while self.byte() != 0:  # tab positions, NUL-terminated
                pass
        elif c == "*":
            m, n = self.byte(), self.word()
            self.take(n * (3 if m in (32, 33) else 1))
            self.flush()
            self.paper.images += 1
        elif c in _ESC_SKIP:
            self.take(_ESC_SKIP[c])
        else:
            self.paper.unknown.append(f"ESC {c!r}")

    def gs(self, c: str) -> None:
        if c == "!":
            n = self.byte()
            self.width, self.height = (n >> 4) + 1, (n & 0x0F) + 1
        elif c == "V":
            m = self.byte()
            if m in (65, 66, 97, 98, 103, 104):
                self.byte()
            self.flush()
            self.paper.cuts += 1
        elif c == "(":
            self.gs_paren(chr(self.byte()))
        elif c == "v":
            self.take(2)  # "0" m
            width_bytes, height = self.word(), self.word()
            self.flush()
            self.paper.rasters.append(Raster(width_bytes * 8, height,
                                             self.take(width_bytes * height)))  # fmt: skip
            self.paper.images += 1
        elif c == "k":
            m = self.byte()
            if m <= 6:
                data = bytearray()
                while (b := self.byte()) != 0:
                    data.append(b)
            else:
                data = bytearray(self.take(self.byte()))
            self.flush()
            self.paper.barcodes.append(data.decode("latin-1"))
        elif c == "*":
            x, y = self.byte(), self.byte()
            self.take(x * y * 8)
        elif c in _GS_SKIP:
            self.take(_GS_SKIP[c])
        else:
            self.paper.unknown.append(f"GS {c!r}")

    def gs_paren(self, fn_group: str) -> None:
        body = self.take(self.word())
        if fn_group == "k" and len(body) >= 2 and body[0] == 0x31:  # cn 49: QR code
            if body[1] == 0x50:  # fn 80: store the data (after the m byte)
                self.qr_store = body[3:].decode("utf-8", errors="replace")
            elif body[1] == 0x51:  # fn 81: print what was stored
                self.flush()
                self.paper.qr_payloads.append(self.qr_store)
        elif fn_group == "L" and len(body) >= 2:
            if body[1] == 0x70 and len(body) >= 10:  # fn 112: store raster graphics
                width, height = body[6] + 256 * body[7], body[8] + 256 * body[9]
                self.graphics = Raster(width, height, bytes(body[10:]))
            elif body[1] == 0x32:  # fn 50: print stored graphics
                self.flush()
                if self.graphics is not None:
                    self.paper.rasters.append(self.graphics)
                self.paper.images += 1

    def fs(self, c: str) -> None:
        if c == "p":  # print NV bit image n m
            self.take(2)
            self.flush()
            self.paper.images += 1
        elif c in _FS_SKIP:
            self.take(_FS_SKIP[c])
        else:
            self.paper.unknown.append(f"FS {c!r}")


def read_escpos(data: bytes) -> Paper:
    """Parse ESC/POS ``data`` into the :class:`Paper` a person would take from the printer."""
    return _Reader(bytes(data)).run()
