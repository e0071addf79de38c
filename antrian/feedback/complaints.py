"""Complaints (SOP Penanganan Pengaduan): received at the kiosk, on a phone or through the API,
numbered per year, followed by staff from baru to selesai. Every change writes an Event whose
data holds the number and the status only: the event log streams to screens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from antrian.cases.validators import validate
from antrian.clock import local, service_day
from antrian.events import hold_event_order, print_jobs_written, record_event
from antrian.feedback.models import Complaint
from antrian.feedback.numbering import complaint_code, next_complaint_number
from antrian.models import PrintJob, Staff
from antrian.operations.calls import actor_name
from antrian.operations.errors import Conflict, Invalid, NotFound
from antrian.tokens import dated_token

CATEGORIES: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "pelayanan": ("Sikap atau pelayanan petugas", "Staff conduct or service"),
    "waktu": ("Waktu tunggu atau penyelesaian", "Waiting or processing time"),
    "prosedur": ("Persyaratan dan prosedur", "Requirements and procedure"),
    "biaya": ("Biaya atau pungutan", "Fees or charges"),
    "sarana": ("Sarana dan prasarana", "Facilities"),
    "sistem": ("Aplikasi OSS atau sistem", "OSS application or systems"),
    "lainnya": ("Lainnya", "Other"),
}
STATUSES = {  # shown on the applicant's page in their language
    "baru": _l("Baru"),
    "diproses": _l("Diproses"),
    "dijawab": _l("Dijawab"),
    "selesai": _l("Selesai"),
}
# action: (statuses it may start from, the status it leads to, the time column it stamps)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "take": (("baru",), "diproses", "taken_dt"),
    "answer": (("baru", "diproses", "dijawab"), "dijawab", "answered_dt"),
    "close": (("dijawab",), "selesai", "closed_dt"),
}
TEXT_MAX = 2000
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")


@dataclass(frozen=True)
class ComplaintForm:
    """What a person typed, as typed: a refused form is shown again with all of it."""

    category: str = ""
    text: str = ""
    name: str = ""
    phone: str = ""

    @classmethod
    def of(cls, data) -> ComplaintForm:
        return cls(
            **{k: str(data.get(k) or "").strip() for k in ("category", "text", "name", "phone")}
        )

    def errors(self) -> dict[str, str]:
        """Each field's problem, in the request's language (Indonesian outside a request)."""
        errors = {}
        if self.category not in CATEGORIES:
            errors["category"] = _l("Pilih kategori pengaduan.")
        if len(self.text) < 10:
            errors["text"] = _l("Tuliskan isi pengaduan, paling sedikit 10 huruf.")
        elif len(self.text) > TEXT_MAX:
            errors["text"] = _l("Isi pengaduan paling banyak %(count)s huruf.", count=TEXT_MAX)
        if len(self.name) > 120:
            errors["name"] = _l("Nama paling banyak 120 huruf.")
        if self.phone and not validate("phone", self.phone).valid:
            errors["phone"] = _l(
                "Nomor ponsel tidak valid. Contoh: 0812 3456 7890 (boleh dikosongkan)."
            )
        return {field: str(message) for field, message in errors.items()}

    @property
    def normal_phone(self) -> str | None:
        """'+6281234567890' (antrian/cases/validators.py), or None when not given."""
        return validate("phone", self.phone).normalized if self.phone else None


def submit_complaint(
    session: Session,
    form: ComplaintForm,
    now: datetime,
    *,
    channel: str,
    status_url_base: str = "",
    print_on: str | None = None,
) -> Complaint:
    """Record a complaint under the next number of the year; on the kiosk, print its slip."""
    errors = form.errors()
    if errors:
        raise Invalid(" ".join(errors.values()), code="bad_complaint")
    hold_event_order(session)  # first, before the counter row's lock (antrian/events.py)
    year = local(now).year
    number = next_complaint_number(session.connection(), year)
    complaint = Complaint(
        year=year,
        number=number,
        code=complaint_code(year, number),
        token=dated_token(service_day(now)),
        channel=channel,
        category=form.category,
        text=form.text,
        name=form.name or None,
        phone=form.normal_phone,
        received_dt=now,
    )
    session.add(complaint)
    session.flush()
    record_event(session, "complaint.received", now, channel, code=complaint.code, status="baru")
    if print_on:
        session.add(
            PrintJob(
                printer=print_on,
                kind="complaint",
                payload={
                    "complaint_no": complaint.code,
                    "received_at": now.isoformat(),
                    "category": CATEGORIES[complaint.category][0],
                    "summary": complaint.text,
                    "status_url": f"{status_url_base.rstrip('/')}/pengaduan/{complaint.token}",
                },
                created_dt=now,
                next_attempt_dt=now,
            )
        )
        print_jobs_written(session, print_on)
    return complaint


def find_complaint_by_token(session: Session, token: str) -> Complaint:
    complaint = None
    if TOKEN.fullmatch(token or ""):
        complaint = session.scalar(select(Complaint).where(Complaint.token == token))
    if complaint is None:
        raise NotFound("Pengaduan tidak ditemukan.", code="unknown_complaint")
    return complaint


def find_complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id, populate_existing=True)
    if complaint is None:
        raise NotFound("Pengaduan tidak ditemukan.", code="unknown_complaint")
    return complaint


def change_complaint(
    session: Session,
    complaint_id: int,
    action: str,
    staff: Staff | None,
    now: datetime,
    answer: str = "",
) -> Complaint:
    """take (baru → diproses), answer (→ dijawab; again to correct it), close (dijawab →
    selesai). Read after the event-order lock: two officers acting at once act in turn."""
    if action not in TRANSITIONS:
        raise Invalid("Tindakan tidak dikenal.", code="bad_action")
    starts, target, stamp = TRANSITIONS[action]
    answer = (answer or "").strip()
    if action == "answer" and not 5 <= len(answer) <= TEXT_MAX:
        raise Invalid(f"Tuliskan jawaban (5 sampai {TEXT_MAX} huruf).", code="bad_answer")
    hold_event_order(session)
    complaint = find_complaint(session, complaint_id)
    if complaint.status not in starts:
        raise Conflict(
            f"Pengaduan {complaint.code} berstatus {complaint.status}; muat ulang halaman.",
            code="complaint_status",
        )
    complaint.status = target
    setattr(complaint, stamp, now)
    if action == "answer":
        complaint.answer = answer
    if action != "close" and staff is not None:
        complaint.handler = staff
    session.flush()
    record_event(
        session, f"complaint.{target}", now, actor_name(staff), code=complaint.code, status=target
    )
    return complaint


def purge_complaint_contacts(session: Session, now: datetime, retention_days: int) -> int:
    """UU 27/2022: the name and phone go once the retention period since the complaint was
    received has passed, whatever its status. Returns how many complaints lost them."""
    result = session.execute(
        update(Complaint)
        .where(
            Complaint.received_dt < now - timedelta(days=retention_days),
            Complaint.contact_purged_dt.is_(None),
        )
        .values(name=None, phone=None, contact_purged_dt=now)
    )
    return result.rowcount
