"""The Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) for a period.

NRR of an element = sum of its answers / respondents; IKM = (sum of the nine NRR / 9) x 25.
Every respondent answers all nine, so the IKM is the sum of all answers / (9 x respondents)
x 25, computed exactly (Decimal) and rounded half up to two places once, at the end."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antrian.feedback.elements import ELEMENTS, Element
from antrian.feedback.models import Survey

# (lowest IKM of the grade, grade, performance): the Permen's conversion table
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class IkmReport:
    start: date
    end: date
    respondents: int
    nrr: tuple[tuple[Element, Decimal], ...]  # rounded to 2 places, as shown
    ikm: Decimal | None
    grade: str | None
    performance: str | None


def grade_of(ikm: Decimal) -> tuple[str, str]:
    for lowest, grade, performance in GRADES:
        if ikm >= lowest:
            return grade, performance
    raise ValueError(f"IKM {ikm} below 25: answers outside 1-4?")


def ikm_report(
    session: Session, start: date, end: date, service_id: int | None = None
) -> IkmReport:
    query = select(
        func.count(Survey.id), *(func.sum(getattr(Survey, e.column)) for e in ELEMENTS)
    ).where(Survey.service_day >= start, Survey.service_day <= end)
    if service_id is not None:
        query = query.where(Survey.service_id == service_id)
    respondents, *sums = session.execute(query).one()
    if not respondents:
        return IkmReport(start, end, 0, (), None, None, None)
    total = Decimal(sum(int(s) for s in sums))
    nrr = tuple(
        (e, (Decimal(int(s)) / respondents).quantize(CENT, ROUND_HALF_UP))
        for e, s in zip(ELEMENTS, sums, strict=True)
    )
    ikm = (total / (9 * respondents) * 25).quantize(CENT, ROUND_HALF_UP)
    return IkmReport(start, end, respondents, nrr, ikm, *grade_of(ikm))


def ikm_csv(report: IkmReport) -> str:
    """One row per element, then the index: what an office files with its SKM report."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Periode", report.start.isoformat(), report.end.isoformat()])
    writer.writerow(["Jumlah responden", report.respondents])
    writer.writerow(["Kode", "Unsur pelayanan", "NRR"])
    for element, value in report.nrr:
        writer.writerow([element.column.upper(), element.name_id, f"{value:.2f}"])
    writer.writerow(
        ["IKM", "Indeks Kepuasan Masyarakat", "" if report.ikm is None else f"{report.ikm:.2f}"]
    )
    writer.writerow(["Mutu", report.grade or "", report.performance or ""])
    return out.getvalue()
