"""What an officer does with a case: open it, record the applicant, hand it to another team,
reveal its personal data. Explicit arguments (session, actor, now); each change writes an
Event in the same transaction, naming the case but never carrying personal data."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from antrian.cases.models import TEAMS, Case, CaseAssignment
from antrian.cases.numbering import parse_receipt_number
from antrian.cases.personal_data import mask_email, mask_nik, mask_npwp, mask_phone
from antrian.cases.validators import validate
from antrian.clock import service_day
from antrian.events import hold_event_order, record_event
from antrian.models import Staff, Ticket
from antrian.operations.calls import actor_name, find_ticket
from antrian.operations.errors import Conflict, Invalid, NotFound
from antrian.tokens import dated_token

# Services whose ticket opens a case: IUMK (A) and the OSS account (B).
CASE_SERVICES = ("A", "B")
# The pickup service: its ticket carries the receipt number, which names the case.
PICKUP_SERVICE = "E"
PERSONAL_FIELDS = ("nik", "phone", "email", "npwp")
MASKS = {"nik": mask_nik, "phone": mask_phone, "email": mask_email, "npwp": mask_npwp}
LEGAL_FORMS = {
    "perorangan": "Perorangan",
    "pt_perorangan": "PT Perorangan",
    "cv": "CV",
    "pt": "PT",
    "koperasi": "Koperasi",
    "firma": "Firma",
    "yayasan": "Yayasan",
    "lainnya": "Lainnya",
}
APPLICANT_FIELDS = (
    "applicant_name",
    "nik",
    "phone",
    "email",
    "npwp",
    "legal_form",
    "business_name",
    "business_address",
    "kbli",
    "notes",
)
_KBLI = re.compile(r"\d{5}")


class FieldErrors(Invalid):
    """Input a person typed that cannot be kept: one Indonesian message per field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("Periksa isian yang ditandai.", code="invalid_fields")
        self.errors = errors


def find_case(session: Session, case_id: int, *, fresh: bool = False) -> Case:
    case = session.get(
        Case,
        int(case_id),
        options=[selectinload(Case.steps), selectinload(Case.assignments)],
        populate_existing=fresh,
    )
    if case is None:
        raise NotFound("Berkas tidak ditemukan.", code="unknown_case")
    return case


def case_for_ticket(session: Session, ticket_id: int) -> Case | None:
    return session.scalar(select(Case).where(Case.ticket_id == ticket_id))


def case_by_receipt(session: Session, receipt_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.receipt_number == receipt_number))


def case_by_token(session: Session, token: str) -> Case | None:
    return session.scalar(select(Case).where(Case.token == token))


def pickup_checklist(session: Session, typed: str, now: datetime) -> dict[str, str] | None:
    """What a pickup ticket carries: the receipt number typed at the kiosk, checked to name a
    case (or nothing, for someone who lost the receipt: the officer searches by hand)."""
    if not typed.strip():
        return None
    number = parse_receipt_number(typed, service_day(now).year)
    if number is None or case_by_receipt(session, number) is None:
        raise Invalid(
            f"Nomor tanda terima '{typed.strip()}' tidak ditemukan. Periksa kembali nomornya "
            "(mis. TTB-2026-0042), atau kosongkan dan tanyakan kepada petugas.",
            code="unknown_receipt",
        )
    return {"receipt_number": number}


def _event(session: Session, kind: str, case: Case, now: datetime, staff: Staff | None, **data):
    record_event(
        session,
        kind,
        now,
        actor_name(staff),
        ticket_id=case.ticket_id,
        case_id=case.id,
        team=case.team,
        **data,
    )


def open_case(
    session: Session, staff: Staff | None, now: datetime, *, ticket_id: int | None = None
) -> Case:
    """A case for the applicant of a called IUMK/OSS ticket, or for one who came without."""
    hold_event_order(session)
    if ticket_id is not None:
        ticket: Ticket = find_ticket(session, ticket_id)
        if ticket.service.code not in CASE_SERVICES:
            raise Invalid(
                f"Tiket {ticket.code} bukan layanan IUMK atau akun OSS; berkas tidak dibuka.",
                code="not_a_case_service",
            )
        if ticket.status not in ("called", "serving"):
            raise Conflict(
                f"Tiket {ticket.code} belum dipanggil atau sudah selesai.", code="wrong_status"
            )
        existing = case_for_ticket(session, ticket.id)
        if existing is not None:
            return existing
    case = Case(
        ticket_id=ticket_id,
        token=dated_token(service_day(now)),
        opened_by_id=staff.id if staff else None,
        opened_dt=now,
    )
    session.add(case)
    session.flush()
    _event(session, "case.opened", case, now, staff)
    return case


def check_applicant(
    fields: dict[str, str], today: date
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Normalised values and the errors, field by field (only the fields given)."""
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for name, raw in fields.items():
        if name not in APPLICANT_FIELDS:
            continue
        text = (raw or "").strip()
        if name in PERSONAL_FIELDS:
            if not text:
                values[name] = None
                continue
            result = validate(name, text, today=today)
            if result.valid:
                values[name] = result.normalized
            else:
                errors[name] = " ".join(result.errors)
        elif name == "legal_form":
            if text not in LEGAL_FORMS:
                errors[name] = "Pilih bentuk usaha dari daftar."
            values[name] = text
        elif name == "kbli":
            if text and not _KBLI.fullmatch(text):
                errors[name] = "KBLI terdiri dari 5 angka; pilih dari daftar."
            values[name] = text or None
        elif name == "applicant_name":
            if not text:
                errors[name] = "Nama pemohon wajib diisi."
            values[name] = text[:120]
        else:
            values[name] = text
    return values, errors


def update_applicant(
    session: Session, case_id: int, fields: dict[str, str], staff: Staff | None, now: datetime
) -> Case:
    """Save what the officer typed; nothing is saved while any field is wrong."""
    hold_event_order(session)
    case = find_case(session, case_id, fresh=True)
    if case.purged_dt is not None:
        raise Conflict("Data pribadi berkas ini sudah dihapus (masa simpan habis).", code="purged")
    values, errors = check_applicant(fields, service_day(now))
    if errors:
        raise FieldErrors(errors)
    changed = sorted(k for k, v in values.items() if getattr(case, k) != v)
    for name in changed:
        setattr(case, name, values[name])
    if changed:
        _event(session, "case.updated", case, now, staff, fields=changed)
    return case


def assign(
    session: Session, case_id: int, team: str, note: str, staff: Staff | None, now: datetime
) -> Case:
    """Pass the case to the back office or the technical team with a note, or back."""
    hold_event_order(session)
    case = find_case(session, case_id, fresh=True)
    if team not in TEAMS:
        raise Invalid("Tim tujuan tidak dikenal.", code="unknown_team")
    if case.status != "open":
        raise Conflict("Berkas sudah selesai; tidak dapat dialihkan.", code="case_closed")
    if team == case.team:
        raise Invalid(f"Berkas sudah berada di {TEAMS[team]}.", code="same_team")
    note = (note or "").strip()
    if team != "front_office" and not note:
        raise FieldErrors({"note": "Tulis catatan untuk tim tujuan."})
    case.assignments.append(
        CaseAssignment(team=team, note=note, staff_id=staff.id if staff else None, assigned_dt=now)
    )
    from_team, case.team = case.team, team
    # The note stays on the assignment row, which the purge empties; the log keeps no free text.
    _event(session, "case.assigned", case, now, staff, from_team=from_team, noted=bool(note))
    return case


def masked(case: Case) -> dict[str, str | None]:
    return {f: MASKS[f](getattr(case, f)) if getattr(case, f) else None for f in PERSONAL_FIELDS}


def reveal_personal_data(
    session: Session, case_id: int, staff: Staff | None, now: datetime
) -> dict[str, str | None]:
    """The clear NIK, NPWP, phone and e-mail; the log records who saw which case, and when."""
    hold_event_order(session)
    case = find_case(session, case_id)
    if case.purged_dt is not None:
        raise Conflict("Data pribadi berkas ini sudah dihapus (masa simpan habis).", code="purged")
    _event(session, "case.personal_data_revealed", case, now, staff)
    return {f: getattr(case, f) for f in PERSONAL_FIELDS}


def cases_of_team(session: Session, team: str) -> list[Case]:
    return list(
        session.scalars(
            select(Case)
            .where(Case.team == team, Case.status == "open")
            .options(selectinload(Case.steps), selectinload(Case.assignments))
            .order_by(Case.opened_dt)
        )
    )
