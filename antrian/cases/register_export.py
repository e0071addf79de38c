"""The Buku Register as files the office keeps: CSV, XLSX (openpyxl), and the A4 print page's
rows. Each holds exactly what the search on the page shows, oldest entry first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from antrian.cases.register import RegisterEntry

COLUMNS = [
    ("Nomor register", 26),
    ("Tanggal terbit", 14),
    ("Nama pemohon", 30),
    ("Nama usaha", 32),
    ("KBLI", 8),
    ("NIB", 16),
    ("Nomor izin", 30),
    ("Petugas", 24),
]


def long_date(day: date) -> str:
    """'26 November 2026' (Babel's Indonesian month names)."""
    return format_date(day, "d MMMM y", locale="id")


def _row(entry: RegisterEntry) -> list:
    return [
        entry.register_number,
        entry.issued_on,
        entry.applicant_name,
        entry.business_name,
        entry.kbli,
        entry.nib,
        entry.licence_number,
        entry.officer,
    ]


def csv_chunks(entries: Iterable[RegisterEntry]) -> Iterator[str]:
    """Streamed, with a BOM so Excel opens the names' accents and the NIB as text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([name for name, _width in COLUMNS])
    for entry in entries:
        row = _row(entry)
        row[1] = row[1].isoformat()
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(entries: Iterable[RegisterEntry], title: str) -> bytes:
    """One sheet: a title row, the header, the entries (dates as dates, NIB as text)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Buku Register")
    for i, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"

    def bold(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        return cell

    sheet.append([bold(title)])
    sheet.append([bold(name) for name, _width in COLUMNS])
    for entry in entries:
        row = _row(entry)
        issued = WriteOnlyCell(sheet, value=row[1])
        issued.number_format = "DD-MM-YYYY"
        row[1] = issued
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
