"""The SKM survey: once a ticket is finished, its holder may answer the nine elements, once.

The answers are stored with the service and the day only (antrian/feedback/models.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.clock import service_day
from antrian.events import hold_event_order, record_event
from antrian.feedback.elements import ELEMENTS, Element
from antrian.feedback.models import Survey, SurveyedTicket
from antrian.models import Ticket
from antrian.operations.errors import Conflict, Invalid, NotFound

COMMENT_MAX = 1000


def unanswered(answers: Mapping[str, object]) -> list[Element]:
    """The elements without an answer from 1 to 4."""
    return [e for e in ELEMENTS if _score(answers.get(e.column)) is None]


def _score(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text in ("1", "2", "3", "4") else None


def survey_state(session: Session, ticket: Ticket) -> str:
    """'open' (finished, no survey yet), 'done' (answered) or 'not_yet' (not finished)."""
    if session.get(SurveyedTicket, ticket.id) is not None:
        return "done"
    return "open" if ticket.status == "done" else "not_yet"


def submit_survey(
    session: Session,
    ticket: Ticket,
    answers: Mapping[str, object],
    comment: str,
    now: datetime,
    *,
    channel: str,
) -> Survey:
    missing = unanswered(answers)
    if missing:
        names = ", ".join(e.name_id for e in missing)
        raise Invalid(f"Pilih jawaban untuk: {names}.", code="bad_survey")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise Invalid(f"Saran paling banyak {COMMENT_MAX} huruf.", code="bad_survey")
    hold_event_order(session)
    session.refresh(ticket)  # read after the lock: what another request wrote meanwhile counts
    state = survey_state(session, ticket)
    if state == "done":
        raise Conflict(
            "Survei untuk nomor antrean ini sudah diisi. Terima kasih.", code="survey_done"
        )
    if state != "open":
        raise Conflict("Survei dapat diisi setelah layanan Anda selesai.", code="survey_not_open")
    # Writers run one at a time (SQLite's write lock, PostgreSQL's event-order lock); the
    # primary key would still refuse a second row.
    session.add(SurveyedTicket(ticket_id=ticket.id))
    survey = Survey(
        service_id=ticket.service_id,
        service_day=service_day(now),
        channel=channel,
        comment=comment or None,
        **{e.column: _score(answers[e.column]) for e in ELEMENTS},
    )
    session.add(survey)
    session.flush()
    # No ticket id, no code: the event log must not lead back from the answers to a person.
    record_event(session, "survey.submitted", now, channel, service=ticket.service.code)
    return survey


def finished_ticket_today(session: Session, code: str, now: datetime) -> Ticket:
    """The kiosk's way in: today's ticket with the code printed on it ('A-001', 'a001')."""
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    letters = "".join(ch for ch in text if ch.isalpha())
    digits = text[len(letters) :]
    ticket = None
    if letters and digits.isdigit() and len(text) <= 12:
        ticket = session.scalar(
            select(Ticket).where(
                Ticket.service_day == service_day(now),
                Ticket.code == f"{letters}-{int(digits):03d}",
            )
        )
    if ticket is None:
        raise NotFound(
            "Nomor antrean itu tidak ditemukan hari ini. Periksa nomor pada tiket Anda.",
            code="unknown_ticket",
        )
    return ticket
