"""The office's records: services, counters, staff, tickets, calls, print jobs, the event log.

Timestamps are `*_dt`, stored as UTC. Tickets carry no personal data.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from antrian.clock import as_utc
from antrian.roles import grants


class UTCDateTime(TypeDecorator):
    """Always hands back aware UTC datetimes, on SQLite (naive storage) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


counter_services = Table(
    "counter_services",
    Base.metadata,
    Column("counter_id", ForeignKey("counters.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    prefix: Mapped[str] = mapped_column(String(2))
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    prepare_id: Mapped[str] = mapped_column(Text, default="")
    prepare_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    minutes_per_ticket: Mapped[int] = mapped_column(Integer, default=15)
    needs_checklist: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_quota: Mapped[int | None] = mapped_column(Integer, default=None)  # None: no limit

    counters: Mapped[list[Counter]] = relationship(
        secondary=counter_services, back_populates="services"
    )


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Closed for a while (a key of antrian.catalogue.PAUSE_REASONS): nothing is called to it.
    paused_reason: Mapped[str | None] = mapped_column(String(20), default=None)
    paused_dt: Mapped[datetime | None] = mapped_column(default=None)
    # Its own receipt printer (antrian/printing/directory.py); None: the office's default.
    printer_url: Mapped[str | None] = mapped_column(String(300), default=None)
    # Its serial devices (antrian/devices/serial_plan.py), pyserial URLs; None: what
    # ANTRIAN_COUNTER_DISPLAYS / ANTRIAN_CALL_BOXES say for this counter, if anything.
    display_port: Mapped[str | None] = mapped_column(String(300), default=None)
    call_box_port: Mapped[str | None] = mapped_column(String(300), default=None)
    # The username its call box acts as; None: ANTRIAN_CALL_BOX_STAFF's.
    call_box_staff: Mapped[str | None] = mapped_column(String(60), default=None)

    services: Mapped[list[Service]] = relationship(
        secondary=counter_services, back_populates="counters", order_by="Service.sort_order"
    )


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Comma-separated names from antrian.roles.ROLES, e.g. "front_office,supervisor".
    roles: Mapped[str] = mapped_column(String(120), default="front_office")
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_dt: Mapped[datetime]
    # Named in the session cookie; bumped at logout, so a copied cookie stops working
    # (antrian/staff_sessions.py).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def has_role(self, *roles: str) -> bool:
        """True when the account holds any of `roles`; an admin holds them all."""
        return grants(self.roles, *roles)

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]


class DailyCounter(Base):
    """One row per (service, day): the last number issued, bumped with UPDATE … RETURNING
    (antrian/operations/daily_counters.py)."""

    __tablename__ = "daily_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("issued_service_id", "service_day", "number", name="uq_ticket_number"),
        # People ahead and the next call: one service's queue of the day, by priority and id.
        Index("ix_tickets_queue", "service_day", "service_id", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The service it waits for now; a transfer changes it, the code stays.
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str | None] = mapped_column(String(16), default=None)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    token: Mapped[str] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True, default=None)
    checklist: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # The language it was taken in: its slip, its phone page and its call are spoken in it.
    lang: Mapped[str] = mapped_column(String(5), default="id", server_default="id")
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    issued_dt: Mapped[datetime]
    called_dt: Mapped[datetime | None] = mapped_column(default=None)  # the latest call
    # Its first call (a recall or a second call after a transfer leaves it): the reports'
    # waiting time, read from the ticket instead of grouping a year of calls per ticket.
    first_called_dt: Mapped[datetime | None] = mapped_column(default=None)
    started_dt: Mapped[datetime | None] = mapped_column(default=None)
    finished_dt: Mapped[datetime | None] = mapped_column(default=None)
    skipped_dt: Mapped[datetime | None] = mapped_column(default=None)

    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    issued_service: Mapped[Service] = relationship(foreign_keys=[issued_service_id])
    counter: Mapped[Counter | None] = relationship()
    staff: Mapped[Staff | None] = relationship()


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    kind: Mapped[str] = mapped_column(String(12))  # call | recall
    called_dt: Mapped[datetime]

    ticket: Mapped[Ticket] = relationship()
    counter: Mapped[Counter] = relationship()


class PrintJob(Base):
    """A slip to print, persisted so that a restart or a dead printer loses nothing."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_pending", "printer", "status", "next_attempt_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(40))  # kiosk | loket
    kind: Mapped[str] = mapped_column(String(20))  # ticket | receipt | handover | complaint
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    created_dt: Mapped[datetime]
    next_attempt_dt: Mapped[datetime]
    printed_dt: Mapped[datetime | None] = mapped_column(default=None)
    # True when the slip may duplicate one on paper (an unconfirmed send, a staff reprint):
    # it prints "CETAK ULANG".
    reprint: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class KioskDevice(Base):
    """A kiosk PC the admin registered: its browser carries the token (a cookie), so its tickets
    print on its own printer. Only the token's hash is kept; a kiosk not registered prints on
    the default printer (antrian/devices/registry.py)."""

    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    printer_url: Mapped[str | None] = mapped_column(String(300), default=None)
    created_dt: Mapped[datetime]
    last_seen_dt: Mapped[datetime | None] = mapped_column(default=None)  # its last ticket
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Event(Base):
    """The append-only event log: audit trail and what every screen streams."""

    __tablename__ = "events"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: Last-Event-ID relies on it

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    created_dt: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def as_json(self) -> str:
        return json.dumps({"id": self.id, "kind": self.kind, **self.data}, ensure_ascii=False)


class RateCount(Base):
    """Hits of one key (client address, account) in one fixed window, shared by every worker
    process (antrian/operations/rate_limits.py)."""

    __tablename__ = "rate_counts"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_dt: Mapped[datetime] = mapped_column(primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    """Admin-editable settings (office name, address, running text) over the env defaults."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# The case desk's reference tables live beside their operations; importing them here puts them
# in Base.metadata for create_all and Alembic's autogenerate.
from antrian.cases import kbli as _kbli, register as _register  # noqa: E402, F401, I001

# The domain packages' tables join the one metadata (create_all, the migrations' check).
from antrian.feedback import models as _feedback_models  # noqa: E402, F401

# The case desk's tables live with their domain; imported here so that Base.metadata (and
# the migrations' autogenerate, and the tests' create_all) knows them.
import antrian.cases.models  # noqa: E402, F401


class OfficeHours(Base):
    """When numbers are given on a weekday (0 Monday ... 6 Sunday); no row: closed that day."""

    __tablename__ = "office_hours"

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    opens: Mapped[str] = mapped_column(String(5))  # "08:00", office time
    closes: Mapped[str] = mapped_column(String(5))


class ClosedDay(Base):
    """A day the admin closed (besides the national holidays and cuti bersama)."""

    __tablename__ = "closed_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(120))


class ChecklistItem(Base):
    """One requirement a service's kiosk page asks about, in both languages, with what to do
    when it is missing. The admin edits them; a ticket keeps only yes/no per `key`."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("service_id", "key", name="uq_checklist_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    label_id: Mapped[str] = mapped_column(String(160))
    label_en: Mapped[str] = mapped_column(String(160), default="")
    missing_id: Mapped[str] = mapped_column(Text, default="")
    missing_en: Mapped[str] = mapped_column(Text, default="")
    business_only: Mapped[bool] = mapped_column(Boolean, default=False)  # PT, CV, koperasi
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
