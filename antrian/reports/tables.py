"""The report's tables as headers and rows: what the page shows, the CSV and XLSX downloads hold."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from openpyxl import Workbook

from antrian.feedback.skm import IkmReport
from antrian.reports.cases import CaseFigures
from antrian.reports.feedback import ComplaintFigures
from antrian.reports.register import RegisterFigures
from antrian.reports.tickets import QueueRow, TicketReport

WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

QUEUE_HEADERS = [
    "Kode", "Nama", "Tiket diambil", "Dilayani", "Tidak hadir", "Persen tidak hadir",
    "Dialihkan", "Prioritas", "Tunggu median (menit)", "Tunggu P90 (menit)",
    "Layanan median (menit)", "Layanan P90 (menit)",
]  # fmt: skip
SERVED_HEADERS = ["Kode", "Nama", "Dilayani", "Layanan median (menit)", "Layanan P90 (menit)"]


def _queue_row(row: QueueRow) -> list:
    rate = None if row.no_show_rate is None else round(row.no_show_rate * 100, 1)
    return [
        row.key or "-", row.name, row.issued, row.served, row.no_show, rate, row.transferred,
        row.priority, row.waiting.median, row.waiting.p90, row.service.median, row.service.p90,
    ]  # fmt: skip


def _served_row(row: QueueRow) -> list:
    return [row.key, row.name, row.served, row.service.median, row.service.p90]


def report_tables(
    report: TicketReport,
    register: RegisterFigures,
    complaints: ComplaintFigures,
    skm: IkmReport,
    cases: CaseFigures,
) -> dict[str, tuple[str, list[str], list[list]]]:
    """name -> (title, headers, rows)."""
    step_rows = [
        [s.step, s.title, s.standard_minutes, s.done, s.within,
         None if s.share_within is None else round(s.share_within * 100, 1),
         s.median_minutes, s.p90_minutes]
        for s in cases.steps
    ]  # fmt: skip
    total = cases.share_within_total
    step_rows.append(
        ["1-4", "Seluruh proses (berkas selesai)", 165, cases.finished,
         cases.finished_within_total, None if total is None else round(total * 100, 1), None, None]
    )  # fmt: skip
    skm_rows = [[e.name_id, float(nrr)] for e, nrr in skm.nrr]
    if skm.ikm is not None:
        skm_rows.append([f"IKM (mutu {skm.grade}, {skm.performance})", float(skm.ikm)])
    hours = sorted({h for row in report.hours.values() for h in row}) or list(range(8, 16))
    return {
        "layanan": (
            "Per layanan",
            QUEUE_HEADERS,
            [_queue_row(r) for r in report.services] + [_queue_row(report.office)],
        ),
        "petugas": ("Per petugas", SERVED_HEADERS, [_served_row(r) for r in report.officers]),
        "loket": ("Per loket", SERVED_HEADERS, [_served_row(r) for r in report.counters]),
        "jam": (
            "Tiket per hari dan jam",
            ["Hari", *[f"{h:02d}:00" for h in hours]],
            [
                [WEEKDAYS[d], *[report.hours.get(d, {}).get(h, 0) for h in hours]]
                for d in range(7)
                if d in report.hours or d < 5
            ],
        ),
        "berkas": (
            f"Berkas IUMK menurut standar waktu SOP: {cases.opened} dibuka, "
            f"{cases.finished} selesai",
            [
                "Langkah",
                "Kegiatan",
                "Standar (menit)",
                "Selesai",
                "Dalam standar",
                "Persen dalam standar",
                "Median (menit)",
                "P90 (menit)",
            ],
            step_rows,
        ),  # fmt: skip
        "register": (
            f"Buku Register: {register.entries} izin terbit, menurut KBLI",
            ["KBLI", "Bidang usaha", "Izin terbit"],
            [list(row) for row in register.by_kbli],
        ),
        "pengaduan": (
            f"Pengaduan: {complaints.received} diterima, {complaints.answered} dijawab, "
            f"{complaints.still_open} belum, {complaints.late} melewati batas waktu",
            ["Kategori", "Jumlah"],
            [list(row) for row in complaints.by_category],
        ),
        "skm": (
            f"Survei Kepuasan Masyarakat: {skm.respondents} responden",
            ["Unsur", "Nilai rata-rata (NRR)"],
            skm_rows,
        ),
    }


def as_csv(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    # With a BOM, spreadsheet programs open the Indonesian text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(title: str, headers: list[str], rows: list[list], heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([heading])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column[1:]) + 2
        sheet.column_dimensions[column[0].column_letter].width = min(width, 40)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS: dict[str, tuple[str, Callable]] = {
    "csv": ("text/csv; charset=utf-8", as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}
