"""Years of office history written straight into the tables, shaped like the operations' rows.

A year through the real operations (`antrian demo`) takes hours; these bulk Core inserts take
seconds per year. Each working day: ~400 tickets over the day's two humps (A 40 %, B 20 %,
C 22 %, D 5 %, E 13 %; 8 % priority), each called once (10 % recalled), 6 % no-shows, 1 %
transferred, 1.5 % still waiting at closing time (they went home; nothing closes them), the
rest served around their service's minutes; every ticket's calls, events, print job and the
day's counter rows. Of the served IUMK tickets 55 % open a case (~80 a day, ~20,000 a year)
through the SOP's four steps (step 4 up to three days later; 0.2 % abandoned after step 2 and
open for good), each finished case with its Buku Register entry; ~4 complaints a day, most
answered; an SKM survey from 30 % of the served. Personal data is left empty (old cases are
purged after the retention period anyway).
"""

from __future__ import annotations

import random
import secrets
from collections import Counter as Tally
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from antrian import clock
from antrian.cases.models import Case, CaseStep
from antrian.cases.numbering import receipt_number
from antrian.cases.register import RegisterEntry, search_text
from antrian.db import Database
from antrian.feedback.complaints import CATEGORIES
from antrian.feedback.models import Complaint, Survey, SurveyedTicket
from antrian.models import Call, Counter, DailyCounter, Event, PrintJob, Service, Staff, Ticket
from antrian.seed import add_staff

MIX = {"A": 0.40, "B": 0.20, "C": 0.22, "D": 0.05, "E": 0.13}
SERVICE_MINUTES = {"A": 15, "B": 15, "C": 8, "D": 12, "E": 4}
STANDARDS = {1: 15, 2: 15, 3: 120, 4: 15}
KBLI = ["47111", "56303", "45407", "10792", "47711", "56101", "82191", "14111"]
BATCH_DAYS = 10  # rows of ten days per transaction


def working_days(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, hours: float) -> datetime:
    start = datetime.combine(day, time(0), tzinfo=clock.OFFICE_TZ).astimezone(UTC)
    return start + timedelta(hours=hours, microseconds=random.randrange(1_000_000))


class History:
    def __init__(self, db: Database, seed: int = 1):
        self.db, self.rng = db, random.Random(seed)
        random.seed(seed)  # _at's microseconds
        with db.write() as s:
            self.services = {sv.code: sv.id for sv in s.scalars(select(Service))}
            self.counters = [c.id for c in s.scalars(select(Counter).order_by(Counter.number))]
            officers = []
            for name in ("hist_siti", "hist_budi", "hist_rina", "hist_andi", "hist_dewi"):
                found = s.scalar(select(Staff).where(Staff.username == name))
                officers.append(
                    found or add_staff(s, name, name[5:].title(), "bench-pass-1", "front_office",
                                       datetime(2020, 1, 1, tzinfo=UTC))
                )  # fmt: skip
            self.front = [o.id for o in officers[:4]]
            self.back = officers[4].id
            self.ticket_id = (s.scalar(select(func.max(Ticket.id))) or 0) + 1
            self.case_id = (s.scalar(select(func.max(Case.id))) or 0) + 1
        self.yearly: Tally[tuple[str, int]] = Tally()
        self.made: Tally[str] = Tally()

    def fill(self, days: list[date]) -> Tally[str]:
        for n in range(0, len(days), BATCH_DAYS):
            # Parents first (dicts keep their order), so every foreign key finds its row.
            self.rows = {t.__table__: [] for t in (Ticket, Call, Case, CaseStep, RegisterEntry)}
            for day in days[n : n + BATCH_DAYS]:
                self._day(day)
            with self.db.engine.begin() as conn:
                for table, batch in self.rows.items():
                    if batch:
                        conn.execute(insert(table), batch)
                        self.made[table.name] += len(batch)
        return self.made

    def _add(self, table, **row) -> dict:
        """Queue a row for the batch; the dict itself, so the caller can fill it in later."""
        self.rows.setdefault(table.__table__, []).append(row)
        return row

    def _event(self, kind: str, at: datetime, ticket_id: int | None, **data) -> None:
        self._add(Event, kind=kind, created_dt=at, actor="staff:hist", ticket_id=ticket_id,
                  counter_id=None, data=data)  # fmt: skip

    def _day(self, day: date) -> None:
        rng = self.rng
        hours = []
        for _ in range(rng.randint(360, 440)):
            while True:
                h = rng.gauss(9.75 if rng.random() < 0.62 else 13.75, 0.9)
                if 8 <= h < 15 and not 12 <= h < 13:
                    break
            hours.append(h)
        numbers: Tally[str] = Tally()
        for h in sorted(hours):
            code = rng.choices(list(MIX), weights=list(MIX.values()))[0]
            numbers[code] += 1
            self._ticket(day, code, numbers[code], _at(day, h))
        for code, last in numbers.items():
            self._add(DailyCounter, service_id=self.services[code], service_day=day,
                      last_number=last)  # fmt: skip
        for _ in range(rng.randint(2, 6)):
            self._complaint(day)

    def _ticket(self, day: date, code: str, number: int, issued: datetime) -> None:
        rng, tid = self.rng, self.ticket_id
        self.ticket_id += 1
        sid = served_as = self.services[code]
        fate = rng.random()
        row = self._add(
            Ticket, id=tid, service_id=sid, issued_service_id=sid, service_day=day, number=number,
            code=f"{code}-{number:03d}", priority="elderly" if rng.random() < 0.08 else None,
            status="waiting", token=secrets.token_urlsafe(16), lang="id", call_count=0,
            counter_id=None, staff_id=None, issued_dt=issued, called_dt=None, started_dt=None,
            finished_dt=None, skipped_dt=None,
        )  # fmt: skip
        if "first_called_dt" in Ticket.__table__.c:
            row["first_called_dt"] = None
        self._event("ticket.issued", issued, tid, code=row["code"])
        self._add(PrintJob, printer="kiosk", kind="ticket", payload={"code": row["code"]},
                  status="printed", attempts=1, ticket_id=tid, created_dt=issued,
                  next_attempt_dt=issued, printed_dt=issued + timedelta(seconds=2))  # fmt: skip
        if fate < 0.015:  # still waiting at closing time
            return
        if fate < 0.025:  # sent to service A first
            served_as = row["service_id"] = self.services["A"]
        called = issued + timedelta(minutes=min(120, max(0.5, rng.lognormvariate(2.8, 0.6))))
        counter, officer = rng.choice(self.counters), rng.choice(self.front)
        calls = [called]
        if rng.random() < 0.10:
            calls.append(called + timedelta(minutes=rng.uniform(1, 3)))
        for n, at in enumerate(calls):
            self._add(Call, ticket_id=tid, counter_id=counter, staff_id=officer,
                      kind="recall" if n else "call", called_dt=at)  # fmt: skip
            self._event("ticket.recalled" if n else "ticket.called", at, tid, code=row["code"])
        row.update(status="called", counter_id=counter, staff_id=officer, call_count=len(calls),
                   called_dt=calls[-1])  # fmt: skip
        if "first_called_dt" in row:
            row["first_called_dt"] = called
        if fate < 0.085:
            row.update(status="no_show", skipped_dt=calls[-1] + timedelta(minutes=2))
            self._event("ticket.skipped", row["skipped_dt"], tid, code=row["code"])
            return
        began = calls[-1]
        if rng.random() < 0.85:
            began = row["started_dt"] = calls[-1] + timedelta(minutes=1)
            self._event("ticket.started", began, tid, code=row["code"])
        typical = SERVICE_MINUTES[next(c for c, i in self.services.items() if i == served_as)]
        minutes = max(1.0, rng.lognormvariate(0, 0.45) * typical)
        row.update(status="done", finished_dt=began + timedelta(minutes=minutes))
        self._event("ticket.finished", row["finished_dt"], tid, code=row["code"])
        if code == "A" and rng.random() < 0.55:
            self._case(tid, officer, began)
        if rng.random() < 0.30:
            self._survey(tid, served_as, day)

    def _number(self, series: str, year: int) -> int:
        self.yearly[(series, year)] += 1
        return self.yearly[(series, year)]

    def _case(self, ticket_id: int, officer: int, opened: datetime) -> None:
        rng, cid = self.rng, self.case_id
        self.case_id += 1
        case = self._add(
            Case, id=cid, ticket_id=ticket_id, token=secrets.token_urlsafe(16), status="open",
            team="front_office", applicant_name="", legal_form="perorangan", business_name="",
            business_address="", kbli=rng.choice(KBLI), notes="", receipt_number=None, nib=None,
            opened_by_id=officer, opened_dt=opened, closed_dt=None,
        )  # fmt: skip
        self._event("case.opened", opened, ticket_id, case_id=cid)
        t, last = opened, 2 if rng.random() < 0.002 else 4
        for step in range(1, last + 1):
            if step == 4:  # handed over the same day or up to three days later
                t += timedelta(days=rng.choice([0, 0, 0, 1, 2, 3]), minutes=rng.randint(5, 40))
            start = t
            t += timedelta(minutes=max(2.0, rng.lognormvariate(0, 0.35) * STANDARDS[step] * 0.8))
            self._add(CaseStep, case_id=cid, step=step, started_dt=start, ended_dt=t, outputs={},
                      staff_id=self.back if step == 3 else officer)  # fmt: skip
        year = clock.service_day(opened).year
        case["receipt_number"] = receipt_number(self._number("receipt", year), year)
        if last < 4:
            return
        case.update(status="done", closed_dt=t, nib=f"{9120000000000 + cid:013d}",
                    applicant_name=f"Pemohon {cid}", business_name=f"Usaha {cid}")  # fmt: skip
        self._event("case.closed", t, ticket_id, case_id=cid)
        on = clock.service_day(t)
        number = self._number("register", on.year)
        reg = f"{number:04d}/IUMK/DPMPTSP/{on.year}"
        self._add(
            RegisterEntry, year=on.year, number=number, register_number=reg, case_id=cid,
            issued_on=on, applicant_name=case["applicant_name"],
            business_name=case["business_name"], kbli=case["kbli"], nib=case["nib"],
            licence_number=f"IUMK/{cid}", officer="Siti", officer_id=officer, created_dt=t,
            search_text=search_text(case["applicant_name"], case["business_name"], reg,
                                    case["nib"]),
        )  # fmt: skip

    def _survey(self, ticket_id: int, service_id: int, day: date) -> None:
        base = self.rng.choice([4, 4, 3, 3, 3, 2])
        answers = {f"u{n}": min(4, max(1, base + self.rng.choice([-1, 0, 0, 0, 1])))
                   for n in range(1, 10)}  # fmt: skip
        self._add(Survey, service_id=service_id, service_day=day, channel="phone", comment=None,
                  **answers)  # fmt: skip
        self._add(SurveyedTicket, ticket_id=ticket_id)

    def _complaint(self, day: date) -> None:
        rng = self.rng
        received = _at(day, rng.uniform(8, 15))
        number = self._number("complaint", day.year)
        answered = None
        if rng.random() < 0.9:
            answered = received + timedelta(days=rng.choice([0, 1, 1, 2, 3, 4, 6]), hours=2)
        self._add(
            Complaint, year=day.year, number=number, code=f"PGD-{day.year}-{number:04d}",
            token=secrets.token_urlsafe(16), channel="kiosk",
            category=rng.choice(list(CATEGORIES)), text="Antrean terlalu lama di loket IUMK.",
            name=None, phone=None, status="dijawab" if answered else "baru", handler_id=None,
            answer="Sudah kami tindak lanjuti." if answered else None, received_dt=received,
            taken_dt=answered, answered_dt=answered, closed_dt=None,
        )  # fmt: skip
