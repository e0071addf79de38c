"""The reader turns ESC/POS bytes into what is on the paper; checked on hand-made bytes."""

from __future__ import annotations

from escpos.printer import Dummy

from hardware.printing.escpos_reader import Line, read_escpos

ESC, GS = b"\x1b", b"\x1d"


def test_plain_lines_and_trailing_buffer() -> None:
    paper = read_escpos(b"satu\ndua\n\ntiga")
    assert [line.text for line in paper.lines] == ["satu", "dua", ""]
    assert paper.pending == "tiga"  # never printed: no LF after it
    assert paper.text == "satu\ndua\n"


def test_alignment_bold_and_sizes() -> None:
    data = (
        ESC + b"a\x01" + ESC + b"E\x01" + b"Judul\n"
        + ESC + b"E\x00" + GS + b"!\x33" + b"A-001\n"
        + GS + b"!\x00" + ESC + b"a\x02" + b"kanan\n"
        + ESC + b"!\x38" + b"besar tebal\n"
    )  # fmt: skip
    assert read_escpos(data).lines == [
        Line("Judul", "center", True, 1, 1),
        Line("A-001", "center", False, 4, 4),
        Line("kanan", "right", False, 1, 1),
        Line("besar tebal", "right", True, 2, 2),
    ]


def test_init_resets_modes_and_clears_the_buffer() -> None:
    data = ESC + b"E\x01" + GS + b"!\x11" + b"dibuang" + ESC + b"@" + b"biasa\n"
    assert read_escpos(data).lines == [Line("biasa")]


def test_cuts_feeds_and_code_pages() -> None:
    data = (
        ESC + b"t\x02" + b"caf\x82\n"  # CP850 0x82 = e acute
        + ESC + b"d\x03"  # feed 3 lines
        + GS + b"V\x00" + GS + b"VB\x00" + GS + b"V\x01" + ESC + b"i"
    )  # fmt: skip
    paper = read_escpos(data)
    assert paper.lines[0].text == "café"
    assert len(paper.lines) == 4 and paper.cuts == 4


def test_native_qr_payload_is_read_back() -> None:
    printer = Dummy(profile="TM-T20II")
    printer.textln("sebelum")
    printer.qr("https://contoh.go.id/t/abc", native=True, size=6)
    printer.textln("sesudah")
    paper = read_escpos(printer.output)
    assert paper.qr_payloads == ["https://contoh.go.id/t/abc"]
    assert [line.text for line in paper.lines] == ["sebelum", "sesudah"]
    assert paper.unknown == []


def test_raster_image_is_skipped_and_counted() -> None:
    printer = Dummy(profile="TM-T20II")
    printer.textln("atas")
    printer.qr("https://contoh.go.id/t/abc", native=False, size=4)
    printer.textln("bawah")
    paper = read_escpos(printer.output)
    assert paper.images == 1 and len(paper.rasters) == 1
    # the image's bytes are not read as text: only our lines and escpos' blank lines remain
    assert [line.text for line in paper.lines if line.text] == ["atas", "bawah"]


def test_graphics_command_image_is_counted() -> None:
    printer = Dummy(profile="TM-T20II")
    printer.qr("https://contoh.go.id", native=False, size=3, image_arguments={"impl": "graphics"})
    paper = read_escpos(printer.output)
    assert paper.images == 1 and paper.rasters[0].width > 0 and paper.unknown == []


def test_unknown_and_truncated_commands_are_reported() -> None:
    paper = read_escpos(ESC + b"\x01" + b"ok\n" + GS + b"!")
    assert paper.lines == [Line("ok")]
    assert paper.unknown == ["ESC '\\x01'", "truncated at byte 5"]


def test_realtime_status_requests_print_nothing() -> None:
    paper = read_escpos(b"\x10\x04\x01\x10\x04\x04siap\n")
    assert paper.text == "siap"


def test_columns_used_counts_wide_characters() -> None:
    assert Line("A-001", width_mult=4).columns_used == 20
