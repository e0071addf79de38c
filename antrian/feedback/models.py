"""Complaints and survey answers.

A complaint keeps only what the person chose to give: an optional name and phone, encrypted,
purged after the retention period (antrian/feedback/complaints.py). A survey keeps nine
answers, an optional comment, the service and the day: no ticket, no time, nothing that leads
back to a person. The one-survey-per-ticket rule is kept by a separate row of the ticket id
(`SurveyedTicket`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from antrian.cases.personal_data import EncryptedText
from antrian.models import Base, Service, Staff

ELEMENT_COLUMNS = tuple(f"u{n}" for n in range(1, 10))  # PermenPANRB 14/2017's U1..U9


class ComplaintCounter(Base):
    """One row per year: the last complaint number given, bumped with UPDATE … RETURNING."""

    __tablename__ = "complaint_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_complaint_number"),
        Index("ix_complaints_status", "status", "received_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # PGD-2026-0001
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the phone page /pengaduan/<t>
    channel: Mapped[str] = mapped_column(String(12))  # kiosk | phone | api
    category: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # Personal data (UU 27/2022): encrypted at rest like a case's (antrian/cases/personal_data.py)
    name: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    phone: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    status: Mapped[str] = mapped_column(String(12), default="baru")
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    received_dt: Mapped[datetime]
    taken_dt: Mapped[datetime | None] = mapped_column(default=None)
    answered_dt: Mapped[datetime | None] = mapped_column(default=None)
    closed_dt: Mapped[datetime | None] = mapped_column(default=None)
    contact_purged_dt: Mapped[datetime | None] = mapped_column(default=None)

    handler: Mapped[Staff | None] = relationship()


class Survey(Base):
    __tablename__ = "surveys"
    __table_args__ = tuple(
        CheckConstraint(f"{column} BETWEEN 1 AND 4", name=f"ck_surveys_{column}")
        for column in ELEMENT_COLUMNS
    ) + (Index("ix_surveys_day", "service_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(12))  # phone | kiosk | api
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text, default=None)

    service: Mapped[Service] = relationship()


class SurveyedTicket(Base):
    """A ticket whose survey was given: its primary key makes a second one fail, even when two
    arrive at once. Deliberately no link to the answers."""

    __tablename__ = "surveyed_tickets"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id"), primary_key=True, autoincrement=False
    )
