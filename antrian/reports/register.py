"""The Buku Register in a period: entries issued, and the lines of business most registered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antrian.cases.kbli import KbliCode
from antrian.cases.register import RegisterEntry
from antrian.reports.periods import Period


@dataclass
class RegisterFigures:
    entries: int
    by_kbli: list[tuple[str, str, int]]  # code, title, entries; most first

    def as_dict(self) -> dict:
        return {
            "entries": self.entries,
            "by_kbli": [{"kbli": k, "title": t, "entries": n} for k, t, n in self.by_kbli],
        }


def register_figures(session: Session, period: Period, top: int = 10) -> RegisterFigures:
    in_period = RegisterEntry.issued_on.between(period.start, period.end)
    total = session.scalar(select(func.count()).select_from(RegisterEntry).where(in_period))
    rows = session.execute(
        select(RegisterEntry.kbli, func.count().label("n"))
        .where(in_period)
        .group_by(RegisterEntry.kbli)
        .order_by(func.count().desc(), RegisterEntry.kbli)
        .limit(top)
    ).all()
    titles = dict(
        session.execute(
            select(KbliCode.code, KbliCode.title).where(KbliCode.code.in_([r[0] for r in rows]))
        ).all()
    )
    return RegisterFigures(total or 0, [(k, titles.get(k, ""), n) for k, n in rows])
