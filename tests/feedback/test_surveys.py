"""The SKM survey: open once a ticket is finished, once per ticket, nothing personal kept."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from antrian import operations as ops
from antrian.events import events_after
from antrian.feedback.models import Survey, SurveyedTicket
from antrian.feedback.surveys import finished_ticket_today, submit_survey, survey_state
from antrian.models import Ticket
from antrian.operations import Conflict, Invalid, NotFound

from .conftest import finished_ticket

ALL_GOOD = {f"u{n}": "4" for n in range(1, 10)}


def answer(db, now, ticket_id, answers=ALL_GOOD, comment=""):
    with db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        return submit_survey(s, ticket, answers, comment, now, channel="phone").id


def test_the_survey_opens_when_the_ticket_is_finished_and_closes_after_one_answer(db, now, officer):
    ticket_id, _token, _code = finished_ticket(db, now, officer)
    with db.write() as s:
        waiting = ops.issue_ticket(s, "B", None, None, now, print_on=None)
    with pytest.raises(Conflict, match="setelah layanan Anda selesai"):
        answer(db, now, waiting.id)
    with db.read() as s:
        assert survey_state(s, s.get(Ticket, ticket_id)) == "open"
    answer(db, now + timedelta(minutes=20), ticket_id, comment="Petugas ramah.")
    with db.read() as s:
        assert survey_state(s, s.get(Ticket, ticket_id)) == "done"
    with pytest.raises(Conflict, match="sudah diisi"):
        answer(db, now + timedelta(minutes=21), ticket_id)


def test_a_missing_or_out_of_scale_answer_names_the_element(db, now, officer):
    ticket_id, _, _ = finished_ticket(db, now, officer)
    answers = {**ALL_GOOD, "u4": "5"}
    del answers["u9"]
    with pytest.raises(Invalid, match=r"Biaya/Tarif, Sarana dan Prasarana\.$"):
        answer(db, now, ticket_id, answers)
    with db.read() as s:
        assert s.scalars(select(Survey)).all() == []
        assert survey_state(s, s.get(Ticket, ticket_id)) == "open"  # still open


def test_answers_keep_the_service_and_day_but_nothing_that_leads_to_the_ticket(db, now, officer):
    ticket_id, _, _ = finished_ticket(db, now, officer, service="C")
    answer(db, now + timedelta(minutes=20), ticket_id, {**ALL_GOOD, "u3": "2"}, "Agak lama.")
    with db.read() as s:
        survey = s.scalars(select(Survey)).one()
        assert (survey.service.code, survey.service_day.isoformat()) == ("C", "2026-11-26")
        assert (survey.u3, survey.u1, survey.comment) == (2, 4, "Agak lama.")
        columns = {c["name"] for c in inspect(s.get_bind()).get_columns("surveys")}
        assert not columns & {"ticket_id", "token", "code", "submitted_dt", "created_dt"}
        event = [e for e in events_after(s, 0) if e.kind == "survey.submitted"][0]
        assert (event.ticket_id, event.data) == (None, {"service": "C"})


def test_two_answers_for_one_ticket_at_once_keep_one(db, now, officer):
    ticket_id, _, _ = finished_ticket(db, now, officer)

    def try_answer(_):
        try:
            answer(db, now, ticket_id)
            return "ok"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(try_answer, range(4))) == ["conflict"] * 3 + ["ok"]
    with db.read() as s:
        assert len(s.scalars(select(Survey)).all()) == 1
        assert len(s.scalars(select(SurveyedTicket)).all()) == 1


def test_the_kiosk_finds_todays_ticket_by_the_code_as_typed(db, now, officer):
    ticket_id, _, code = finished_ticket(db, now, officer)
    assert code == "A-001"
    with db.read() as s:
        for typed in ("A-001", "a001", " a 1 ", "A1"):
            assert finished_ticket_today(s, typed, now).id == ticket_id
        for typed in ("B-001", "A-002", "", "---", "A"):
            with pytest.raises(NotFound, match="tidak ditemukan hari ini"):
                finished_ticket_today(s, typed, now)
        with pytest.raises(NotFound):  # yesterday's ticket does not answer today
            finished_ticket_today(s, "A-001", now + timedelta(days=1))
