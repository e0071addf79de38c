"""Finding entries in the Buku Register: by name, NIB or number, a date range and a KBLI code.

One filter serves the page, its exports and the API, so what an officer sees on screen is
what the file holds. Pages are counted with OFFSET over the (issued_on, id) index; with
100,000 entries a page is well under the 300 ms the office asked for (bench/register_page.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from antrian.cases.register import RegisterEntry

PER_PAGE = 50


@dataclass
class RegisterFilter:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kbli: str = ""
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was corrected, not refused

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RegisterFilter:
        """Read the search form (or API query); bad input is named, never a 500."""
        found = cls(q=" ".join(args.get("q", "").split())[:100], kbli=args.get("kbli", "").strip())
        found.date_from = found._date(args.get("dari", ""), "Tanggal awal")
        found.date_to = found._date(args.get("sampai", ""), "Tanggal akhir")
        if found.kbli and not (len(found.kbli) == 5 and found.kbli.isdecimal()):
            found.errors.append("KBLI harus 5 digit angka, misalnya 47112.")
            found.kbli = ""
        if found.date_from and found.date_to and found.date_from > found.date_to:
            found.notices.append("Tanggal awal sesudah tanggal akhir: urutannya ditukar.")
            found.date_from, found.date_to = found.date_to, found.date_from
        return found

    def _date(self, text: str, label: str) -> date | None:
        text = text.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.errors.append(f"{label} '{text}' tidak dikenali; pakai format TTTT-BB-HH.")
            return None

    def as_args(self) -> dict[str, str]:
        """For links to the exports and the next page: the same filter."""
        args = {
            "q": self.q,
            "dari": self.date_from.isoformat() if self.date_from else "",
            "sampai": self.date_to.isoformat() if self.date_to else "",
            "kbli": self.kbli,
        }
        return {key: value for key, value in args.items() if value}

    def statement(self, *columns) -> Select:
        statement = select(*columns) if columns else select(RegisterEntry)
        if self.q:
            statement = statement.where(
                RegisterEntry.search_text.contains(self.q.lower(), autoescape=True)
            )
        if self.date_from:
            statement = statement.where(RegisterEntry.issued_on >= self.date_from)
        if self.date_to:
            statement = statement.where(RegisterEntry.issued_on <= self.date_to)
        if self.kbli:
            statement = statement.where(RegisterEntry.kbli == self.kbli)
        return statement


@dataclass
class RegisterPage:
    entries: list[RegisterEntry]
    total: int
    page: int
    pages: int
    per_page: int


# A search that matches at most this many entries is sorted from its matches; one that matches
# more pages along the date index, where matches are dense enough to fill a page at once.
FEW_MATCHES = 5000
NEWEST_FIRST = (RegisterEntry.issued_on.desc(), RegisterEntry.id.desc())


def register_page(
    session: Session, found: RegisterFilter, page: int = 1, per_page: int = PER_PAGE
) -> RegisterPage:
    """Newest first: the office looks up this month's licences far more than old ones.

    A name searched among 100,000 entries matches a handful: walking the date index to find
    them read every row in date order (0.5 s, bench/register_page.py), so a search first
    collects its matches in one plain scan, which also counts them, and sorts those."""
    if found.q:
        matches = session.execute(
            found.statement(RegisterEntry.id, RegisterEntry.issued_on).limit(FEW_MATCHES + 1)
        ).all()
        if len(matches) <= FEW_MATCHES:
            matches.sort(key=lambda row: (row.issued_on, row.id), reverse=True)
            total, pages = len(matches), max(1, -(-len(matches) // per_page))
            page = min(max(1, page), pages)
            ids = [row.id for row in matches[(page - 1) * per_page : page * per_page]]
            rows = session.scalars(
                select(RegisterEntry).where(RegisterEntry.id.in_(ids)).order_by(*NEWEST_FIRST)
            ).all()
            return RegisterPage(list(rows), total, page, pages, per_page)
    base = found.statement()
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = session.scalars(
        base.order_by(*NEWEST_FIRST).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return RegisterPage(list(entries), total, page, pages, per_page)


def all_entries(session: Session, found: RegisterFilter) -> Iterator[RegisterEntry]:
    """For the exports: oldest first, as a register book is read, streamed in batches."""
    statement = found.statement().order_by(RegisterEntry.issued_on, RegisterEntry.id)
    yield from session.scalars(statement.execution_options(yield_per=1000))


def entry_json(entry: RegisterEntry) -> dict:
    return {
        "register_number": entry.register_number,
        "year": entry.year,
        "number": entry.number,
        "issued_on": entry.issued_on.isoformat(),
        "applicant_name": entry.applicant_name,
        "business_name": entry.business_name,
        "kbli": entry.kbli,
        "nib": entry.nib,
        "licence_number": entry.licence_number,
        "officer": entry.officer,
        "case_id": entry.case_id,
    }
