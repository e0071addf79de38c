"""The IUMK case (the SOP's service): the applicant, the four steps, hand-overs between teams.

Personal data (NIK, NPWP, phone, e-mail) lives only here, encrypted at rest
(antrian/cases/personal_data.py); the ticket that brought the applicant keeps none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from antrian.cases.personal_data import EncryptedText
from antrian.models import Base, Staff, Ticket

TEAMS = {
    "front_office": "Front Office",
    "back_office": "Back Office",
    "technical": "Tim Teknis",
}


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # The reports read a period's cases by the day they were opened, and every open case
        # for the overdue list; without these both read every case the office ever had.
        Index("ix_cases_opened", "opened_dt"),
        Index("ix_cases_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The ticket that brought the applicant in (service A or B); none for a walk-up case.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), unique=True)
    # The phone page's address for this case (also printed as the receipt's QR).
    token: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | done
    team: Mapped[str] = mapped_column(String(20), default="front_office")
    applicant_name: Mapped[str] = mapped_column(String(120), default="")
    nik: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    phone: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    email: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    npwp: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    legal_form: Mapped[str] = mapped_column(String(20), default="perorangan")
    business_name: Mapped[str] = mapped_column(String(160), default="")
    business_address: Mapped[str] = mapped_column(Text, default="")
    kbli: Mapped[str | None] = mapped_column(String(5), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Outputs kept after the purge: they are the office's record, not personal data.
    receipt_number: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    nib: Mapped[str | None] = mapped_column(String(13), default=None)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    opened_dt: Mapped[datetime]
    closed_dt: Mapped[datetime | None] = mapped_column(default=None)
    purged_dt: Mapped[datetime | None] = mapped_column(default=None)

    ticket: Mapped[Ticket | None] = relationship(foreign_keys=[ticket_id])
    opened_by: Mapped[Staff | None] = relationship()
    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", order_by="CaseStep.step", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="case", order_by="CaseAssignment.id", cascade="all, delete-orphan"
    )

    def step(self, number: int) -> CaseStep | None:
        return next((s for s in self.steps if s.step == number), None)

    @property
    def open_step(self) -> CaseStep | None:
        return next((s for s in self.steps if s.ended_dt is None), None)


class CaseStep(Base):
    """One of the SOP's four steps: who did it, from when to when, and what it produced."""

    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("case_id", "step", name="uq_case_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    started_dt: Mapped[datetime]
    ended_dt: Mapped[datetime | None] = mapped_column(default=None)
    outputs: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[Case] = relationship(back_populates="steps")
    staff: Mapped[Staff | None] = relationship()


class CaseAssignment(Base):
    """A hand-over of the case to a team (back office, technical, or back to the front)."""

    __tablename__ = "case_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    team: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    assigned_dt: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="assignments")
    staff: Mapped[Staff | None] = relationship()


class YearlyCounter(Base):
    """One row per (series, year): the last number given, bumped with UPDATE … RETURNING."""

    __tablename__ = "yearly_counters"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
