"""The SOP's four steps (SOP A.49): start, finish with outputs, correct with a reason.

Step 2 gives the receipt number (per year, never repeated) and queues the Tanda Terima Berkas
on the counter printer; step 4 queues the handover slip and writes the Buku Register entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.cases.models import Case, CaseStep
from antrian.cases.numbering import next_number, receipt_number
from antrian.cases.operations import FieldErrors, _event, find_case
from antrian.cases.personal_data import mask_nik
from antrian.cases.purge import PERSONAL_OUTPUTS
from antrian.cases.register import RegisterError, add_register_entry
from antrian.cases.validators import validate
from antrian.catalogue import N_
from antrian.clock import service_day
from antrian.events import hold_event_order, print_jobs_written
from antrian.models import Counter, PrintJob, Staff
from antrian.operations.errors import Conflict, Invalid
from antrian.operations.tickets import status_url
from antrian.printing.directory import counter_printer_name


@dataclass(frozen=True)
class StepKind:
    number: int
    title: str
    standard_minutes: int
    output: str


STEPS = {
    1: StepKind(1, "Registrasi akun OSS", 15, "Username akun OSS"),
    2: StepKind(2, "Penyerahan berkas", 15, "Tanda Terima Berkas"),
    3: StepKind(3, "Penerbitan NIB/IUMK di OSS", 120, "NIB dan IUMK"),
    4: StepKind(4, "Penyerahan NIB/IUMK", 15, "NIB dan IUMK diserahkan"),
}
TOTAL_STANDARD_MINUTES = sum(s.standard_minutes for s in STEPS.values())  # 165

# What step 2 can receive: the SOP's requirement list, as copies handed in.
DOCUMENTS = {
    "ktp": "Fotokopi KTP (NIK)",
    "npwp": "Fotokopi NPWP",
    "akta": "Akta pendirian dan SK pengesahan",
    "surat_permohonan": "Surat permohonan IUMK",
    "surat_pernyataan": "Surat pernyataan pemohon",
    "foto_usaha": "Foto lokasi usaha",
    "keterangan_domisili": "Surat keterangan domisili usaha",
}


def _open_case(session: Session, case_id: int) -> Case:
    case = find_case(session, case_id, fresh=True)
    if case.status != "open":
        raise Conflict("Berkas sudah selesai.", code="case_closed")
    return case


def _step_number(step: int) -> StepKind:
    if step not in STEPS:
        raise Invalid("Langkah harus 1 sampai 4.", code="unknown_step")
    return STEPS[step]


def start_step(session: Session, case_id: int, step: int, staff: Staff | None, now: datetime):
    """Steps run in order, one at a time."""
    hold_event_order(session)
    kind = _step_number(step)
    case = _open_case(session, case_id)
    if case.open_step is not None:
        raise Conflict(
            f"Langkah {case.open_step.step} masih berjalan; selesaikan dahulu.", code="step_open"
        )
    if case.step(step) is not None:
        raise Conflict(f"Langkah {step} sudah dikerjakan.", code="step_done")
    if step > 1 and case.step(step - 1) is None:
        raise Conflict(f"Langkah {step - 1} belum dikerjakan.", code="step_order")
    row = CaseStep(step=step, staff_id=staff.id if staff else None, started_dt=now, outputs={})
    case.steps.append(row)
    session.flush()
    _event(session, "case.step_started", case, now, staff, step=step, title=kind.title)
    return row


def _date(value: Any, field: str, errors: dict[str, str], default: date) -> str:
    if value in (None, ""):
        return default.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        errors[field] = "Tanggal tidak valid (format TTTT-BB-HH)."
        return str(value)


def check_outputs(step: int, given: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A step's outputs, normalised; FieldErrors names each wrong field."""
    errors: dict[str, str] = {}
    today = service_day(now)
    out: dict[str, Any] = {}
    if step == 1:
        out["oss_username"] = str(given.get("oss_username") or "").strip()
        if not out["oss_username"]:
            errors["oss_username"] = "Isi username akun OSS pemohon."
    elif step == 2:
        documents = given.get("documents") or []
        documents = [documents] if isinstance(documents, str) else list(documents)
        unknown = [d for d in documents if d not in DOCUMENTS]
        out["documents"] = [d for d in DOCUMENTS if d in documents]
        if unknown or not documents:
            errors["documents"] = "Centang berkas yang diterima (sekurang-kurangnya satu)."
    elif step == 3:
        nib = validate("nib", str(given.get("nib") or ""), today=today)
        out["nib"] = nib.normalized if nib.valid else str(given.get("nib") or "")
        if not nib.valid:
            errors["nib"] = " ".join(nib.errors)
        out["licence_number"] = str(given.get("licence_number") or "").strip()
        if not out["licence_number"]:
            errors["licence_number"] = "Isi nomor IUMK dari OSS."
        out["issued_on"] = _date(given.get("issued_on"), "issued_on", errors, today)
    elif step == 4:
        out["handed_over_to"] = str(given.get("handed_over_to") or "").strip()[:120]
        if not out["handed_over_to"]:
            errors["handed_over_to"] = "Isi nama penerima NIB/IUMK."
        out["handed_on"] = _date(given.get("handed_on"), "handed_on", errors, today)
    if errors:
        raise FieldErrors(errors)
    return out


def finish_step(
    session: Session,
    case_id: int,
    step: int,
    outputs: dict[str, Any],
    staff: Staff | None,
    now: datetime,
    *,
    public_base: str = "",
    counter: int | None = None,
) -> CaseStep:
    """Record the step's outputs and end it; steps 2 and 4 print, step 4 closes the case.

    The slip prints at `counter`, the desk the officer works at, else at the counter that
    called the case's ticket, else on the default counter printer."""
    hold_event_order(session)
    kind = _step_number(step)
    case = _open_case(session, case_id)
    row = case.step(step)
    if row is None or row.ended_dt is not None:
        raise Conflict(f"Langkah {step} tidak sedang berjalan.", code="step_not_open")
    values = check_outputs(step, outputs, now)
    _check_applicant_for(step, case)
    if step == 2:
        year = service_day(now).year
        values["receipt_number"] = receipt_number(
            next_number(session.connection(), "receipt", year), year
        )
        case.receipt_number = values["receipt_number"]
    if step == 3:
        case.nib = values["nib"]
    if step == 4:
        values["register_number"] = _write_register(session, case, staff, now)
        case.status = "done"
        case.closed_dt = now
    row.outputs = values
    row.ended_dt = now
    if step in (2, 4):
        printer = counter_printer_name(_serving_counter(session, case, counter))
        _queue_slip(session, case, step, staff, now, public_base, printer)
    _event(session, "case.step_finished", case, now, staff, step=step, title=kind.title)
    return row


def _check_applicant_for(step: int, case: Case) -> None:
    """The receipt names the applicant; the register needs the business and its KBLI."""
    errors = {}
    if step >= 2 and not case.applicant_name:
        errors["applicant_name"] = "Isi dan simpan nama pemohon terlebih dahulu."
    if step == 4 and not case.business_name:
        errors["business_name"] = "Isi dan simpan nama usaha (untuk Buku Register)."
    if step == 4 and not case.kbli:
        errors["kbli"] = "Pilih dan simpan KBLI (untuk Buku Register)."
    if errors:
        raise FieldErrors(errors)


def correct_step(
    session: Session,
    case_id: int,
    step: int,
    outputs: dict[str, Any],
    reason: str,
    staff: Staff | None,
    now: datetime,
) -> CaseStep:
    """Change a finished step's outputs; the reason and the old and new values go to the log."""
    hold_event_order(session)
    _step_number(step)
    case = find_case(session, case_id, fresh=True)
    row = case.step(step)
    if row is None or row.ended_dt is None:
        raise Conflict(f"Langkah {step} belum selesai; tidak ada yang dikoreksi.", code="step_open")
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "Tulis alasan koreksi."})
    values = check_outputs(step, {**row.outputs, **outputs}, now)
    if step == 2:
        values["receipt_number"] = row.outputs["receipt_number"]  # given once, never changed
    if step == 4:
        values["register_number"] = row.outputs.get("register_number")
    changed = [k for k, v in values.items() if row.outputs.get(k) != v]
    if not changed:
        raise Invalid("Tidak ada yang berubah.", code="no_change")
    # Names stay out of the log (the purge cannot reach it); the office's numbers stay in.
    changes = {
        k: ["(nama)", "(nama)"] if k in PERSONAL_OUTPUTS else [row.outputs.get(k), values[k]]
        for k in changed
    }
    row.outputs = values
    if step == 3:
        case.nib = values["nib"]
    _event(
        session, "case.step_corrected", case, now, staff, step=step, reason=reason, changes=changes
    )
    return row


def _write_register(session: Session, case: Case, staff: Staff | None, now: datetime) -> str:
    """The Buku Register's entry, dated the day OSS issued the licence."""
    issued = case.step(3).outputs
    try:
        entry = add_register_entry(
            session,
            case_id=case.id,
            applicant_name=case.applicant_name,
            business_name=case.business_name,
            kbli=case.kbli,
            nib=issued["nib"],
            licence_number=issued["licence_number"],
            officer=staff if staff else "",
            issued_on=date.fromisoformat(issued["issued_on"]),
            now=now,
        )
    except RegisterError as err:
        raise Invalid(str(err), code="register") from err
    return entry.register_number


def _serving_counter(session: Session, case: Case, number: int | None) -> Counter | None:
    if number is not None:
        found = session.scalar(select(Counter).where(Counter.number == number))
        if found is not None:
            return found
    return case.ticket.counter if case.ticket else None


def _queue_slip(
    session: Session,
    case: Case,
    step: int,
    staff: Staff | None,
    now: datetime,
    public_base: str,
    printer: str,
) -> None:
    officer = staff.full_name if staff else ""
    ticket_code = case.ticket.code if case.ticket else "-"
    if step == 2:
        kind = "receipt"
        payload = {
            "receipt_no": case.receipt_number,
            "ticket_code": ticket_code,
            "applicant_name": case.applicant_name,
            "nik_masked": mask_nik(case.nik) if case.nik else "-",
            "business_name": case.business_name or "-",
            "documents": [DOCUMENTS[d] for d in case.step(2).outputs["documents"]],
            "officer_name": officer,
            "received_at": now.isoformat(),
            "status_url": status_url(public_base, case.token),
        }
    else:
        kind = "handover"
        issued = case.step(3).outputs
        payload = {
            "ticket_code": ticket_code,
            "applicant_name": case.applicant_name,
            "nib": issued["nib"],
            "licence_number": issued["licence_number"],
            "officer_name": officer,
            "handed_at": now.isoformat(),
        }
    session.add(
        PrintJob(
            printer=printer,
            kind=kind,
            payload=payload,
            ticket_id=case.ticket_id,
            created_dt=now,
            next_attempt_dt=now,
        )
    )
    print_jobs_written(session, printer)


@dataclass(frozen=True)
class Clock:
    """How long a step (or the whole case) took or has been running, against its standard."""

    minutes: float
    standard: int

    @property
    def state(self) -> str:
        """ok, amber from 80 % of the standard, red past 100 %."""
        if self.minutes > self.standard:
            return "red"
        return "amber" if self.minutes >= 0.8 * self.standard else "ok"

    @property
    def label(self) -> str:
        whole = int(self.minutes)
        return f"{whole // 60} j {whole % 60:02d} m" if whole >= 60 else f"{whole} m"


def step_clock(row: CaseStep, now: datetime) -> Clock:
    end = row.ended_dt or now
    return Clock((end - row.started_dt).total_seconds() / 60, STEPS[row.step].standard_minutes)


def total_clock(case: Case, now: datetime) -> Clock:
    return Clock(sum(step_clock(s, now).minutes for s in case.steps), TOTAL_STANDARD_MINUTES)


PHONE_STEPS = {
    1: N_("Akun OSS"),
    2: N_("Berkas diterima"),
    3: N_("Proses NIB/IUMK"),
    4: N_("Diserahkan"),
}


def case_progress(case: Case | None) -> dict[str, Any]:
    """The phone page's view of a case: where it is, step by step; never who it is for."""
    if case is None:
        return {"progress": None}
    done = {s.step for s in case.steps if s.ended_dt is not None}
    running = {s.step for s in case.steps if s.ended_dt is None}
    return {
        "progress": {
            "label": progress_label(case),
            "receipt_number": case.receipt_number,
            "steps": [
                (n, title, "done" if n in done else "open" if n in running else "todo")
                for n, title in PHONE_STEPS.items()
            ],
            "ready": 3 in done and case.status == "open",
        }
    }


def progress_label(case: Case) -> str:
    """What the applicant's phone shows: where the file is, without personal data."""
    if case.status == "done":
        return N_("Selesai: NIB/IUMK sudah diserahkan")
    done = {s.step for s in case.steps if s.ended_dt is not None}
    if 3 in done:
        return N_("NIB terbit, silakan ambil di loket")
    if 2 in done:
        return N_("Sedang diproses") if case.step(3) is not None else N_("Berkas diterima")
    return N_("Sedang dilayani di loket")
