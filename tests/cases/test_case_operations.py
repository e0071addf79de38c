"""The case through the SOP's four steps, as operations, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.cases.models import Case
from antrian.cases.register import RegisterEntry
from antrian.models import Event, PrintJob
from antrian.operations import Conflict, Invalid
from tests.cases.conftest import APPLICANT, NIK, called_ticket


def events(db, prefix="case."):
    with db.read() as s:
        return list(
            s.scalars(select(Event).where(Event.kind.startswith(prefix)).order_by(Event.id))
        )


def open_with_applicant(db, now, officer) -> int:
    ticket_id = called_ticket(db, now, officer)
    with db.write() as s:
        case_id = cases.open_case(s, officer, now, ticket_id=ticket_id).id
    with db.write() as s:
        cases.update_applicant(s, case_id, APPLICANT, officer, now)
    return case_id


def test_a_called_iumk_ticket_opens_one_case_linked_to_it(db, now, officer):
    ticket_id = called_ticket(db, now, officer)
    with db.write() as s:
        first = cases.open_case(s, officer, now, ticket_id=ticket_id).id
    with db.write() as s:
        again = cases.open_case(s, officer, now, ticket_id=ticket_id).id
    assert first == again
    [opened] = events(db)
    assert (opened.kind, opened.ticket_id, opened.data["case_id"]) == (
        "case.opened",
        ticket_id,
        first,
    )
    assert opened.actor == "staff:fo1"


def test_a_case_opens_without_a_ticket_but_not_from_a_consultation_ticket(db, now, officer):
    with db.write() as s:
        case = cases.open_case(s, officer, now)
        assert case.ticket_id is None and case.status == "open" and case.team == "front_office"
    consultation = called_ticket(db, now, officer, service="C")
    with db.write() as s, pytest.raises(Invalid, match="bukan layanan IUMK"):
        cases.open_case(s, officer, now, ticket_id=consultation)


def test_applicant_data_is_normalised_and_the_event_names_fields_not_values(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.read() as s:
        case = s.get(Case, case_id)
        assert case.nik == NIK
        assert case.phone == "+6281234567890"
        assert cases.masked(case)["nik"] == "140502******0001"
    updated = events(db, "case.updated")[0]
    assert "nik" in updated.data["fields"]
    assert NIK not in updated.as_json() and "Siti" not in updated.as_json()


def test_a_wrong_field_saves_nothing_and_says_which_field(db, now, officer):
    with db.write() as s:
        case_id = cases.open_case(s, officer, now).id
    bad = {**APPLICANT, "nik": "1405024508900000", "kbli": "107"}
    with db.write() as s, pytest.raises(cases.FieldErrors) as err:
        cases.update_applicant(s, case_id, bad, officer, now)
    assert set(err.value.errors) == {"nik", "kbli"}
    assert "0000" in err.value.errors["nik"] or "urut" in err.value.errors["nik"]
    with db.read() as s:
        assert s.get(Case, case_id).applicant_name == ""


def test_four_steps_in_order_with_outputs_receipt_and_handover_slips(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    at = now
    with db.write() as s, pytest.raises(Conflict, match="Langkah 1 belum"):
        steps.start_step(s, case_id, 2, officer, at)
    outputs = {
        1: {"oss_username": "siti.aminah"},
        2: {"documents": ["ktp", "npwp", "surat_permohonan"]},
        3: {"nib": "9120301234567", "licence_number": "IUMK/503/2026/0042"},
        4: {"handed_over_to": "Siti Aminah"},
    }
    for number, minutes in ((1, 10), (2, 12), (3, 100), (4, 5)):
        with db.write() as s:
            steps.start_step(s, case_id, number, officer, at)
        at += timedelta(minutes=minutes)
        with db.write() as s:
            steps.finish_step(
                s, case_id, number, outputs[number], officer, at, public_base="http://x"
            )
    with db.read() as s:
        case = cases.find_case(s, case_id)
        assert case.status == "done" and case.closed_dt == at
        assert case.receipt_number == "TTB-2026-0001"
        assert case.nib == "9120301234567"
        assert case.step(3).outputs["issued_on"] == "2026-11-26"
        assert steps.total_clock(case, at).minutes == 127
        assert steps.progress_label(case).startswith("Selesai")
        jobs = list(s.scalars(select(PrintJob).where(PrintJob.printer == "loket")))
        entry = s.scalar(select(RegisterEntry))
        assert case.step(4).outputs["register_number"] == entry.register_number
    assert [j.kind for j in jobs] == ["receipt", "handover"]
    assert (entry.case_id, entry.nib, entry.kbli, entry.applicant_name, entry.officer) == (
        case_id,
        "9120301234567",
        "10794",
        "Siti Aminah",
        "Rina Front Office",
    )
    receipt = jobs[0].payload
    assert receipt["nik_masked"] == "140502******0001"
    assert receipt["documents"] == ["Fotokopi KTP (NIK)", "Fotokopi NPWP", "Surat permohonan IUMK"]
    assert receipt["status_url"].startswith("http://x/t/")
    assert jobs[1].payload["nib"] == "9120301234567"
    kinds = [e.kind for e in events(db)]
    assert kinds.count("case.step_started") == 4 and kinds.count("case.step_finished") == 4


def test_a_step_needs_its_outputs(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.write() as s:
        steps.start_step(s, case_id, 1, officer, now)
        steps.finish_step(s, case_id, 1, {"oss_username": "siti"}, officer, now)
        steps.start_step(s, case_id, 2, officer, now)
        steps.finish_step(s, case_id, 2, {"documents": ["ktp"]}, officer, now)
        steps.start_step(s, case_id, 3, officer, now)
    with db.write() as s, pytest.raises(cases.FieldErrors) as err:
        steps.finish_step(s, case_id, 3, {"nib": "12345", "licence_number": ""}, officer, now)
    assert set(err.value.errors) == {"nib", "licence_number"}


def test_clock_is_amber_from_80_percent_and_red_past_the_standard(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.write() as s:
        row = steps.start_step(s, case_id, 1, officer, now)
        assert steps.step_clock(row, now + timedelta(minutes=11)).state == "ok"
        assert steps.step_clock(row, now + timedelta(minutes=12)).state == "amber"
        assert steps.step_clock(row, now + timedelta(minutes=15)).state == "amber"
        assert steps.step_clock(row, now + timedelta(minutes=16)).state == "red"
        assert steps.total_clock(row.case, now + timedelta(minutes=170)).state == "red"


def test_hand_over_to_back_office_needs_a_note_and_comes_back(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.write() as s, pytest.raises(cases.FieldErrors):
        cases.assign(s, case_id, "back_office", "  ", officer, now)
    with db.write() as s:
        cases.assign(s, case_id, "back_office", "Mohon proses NIB di OSS", officer, now)
    with db.read() as s:
        assert [c.id for c in cases.cases_of_team(s, "back_office")] == [case_id]
    with db.write() as s:
        cases.assign(s, case_id, "front_office", "NIB terbit", officer, now)
    with db.read() as s:
        case = cases.find_case(s, case_id)
        assert case.team == "front_office"
        assert [(a.team, a.note) for a in case.assignments] == [
            ("back_office", "Mohon proses NIB di OSS"),
            ("front_office", "NIB terbit"),
        ]
    assert [e.data["from_team"] for e in events(db, "case.assigned")] == [
        "front_office",
        "back_office",
    ]


def test_a_correction_needs_a_reason_and_is_logged(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.write() as s:
        steps.start_step(s, case_id, 1, officer, now)
        steps.finish_step(s, case_id, 1, {"oss_username": "siti"}, officer, now)
        steps.start_step(s, case_id, 2, officer, now)
        steps.finish_step(s, case_id, 2, {"documents": ["ktp"]}, officer, now)
        steps.start_step(s, case_id, 3, officer, now)
        steps.finish_step(
            s, case_id, 3, {"nib": "9120301234567", "licence_number": "IUMK/1"}, officer, now
        )
    with db.write() as s, pytest.raises(cases.FieldErrors):
        steps.correct_step(s, case_id, 3, {"nib": "9120301234568"}, "", officer, now)
    with db.write() as s:
        steps.correct_step(s, case_id, 3, {"nib": "9120301234568"}, "Salah ketik", officer, now)
    [fix] = events(db, "case.step_corrected")
    assert fix.data["reason"] == "Salah ketik"
    assert fix.data["changes"] == {"nib": ["9120301234567", "9120301234568"]}
    with db.read() as s:
        assert s.get(Case, case_id).nib == "9120301234568"


def test_reveal_returns_clear_data_and_logs_who_and_which_case(db, now, officer):
    case_id = open_with_applicant(db, now, officer)
    with db.write() as s:
        clear = cases.reveal_personal_data(s, case_id, officer, now)
    assert clear["nik"] == NIK and clear["email"] == "siti.aminah@contoh.id"
    [seen] = events(db, "case.personal_data_revealed")
    assert (seen.actor, seen.data["case_id"], seen.created_dt) == ("staff:fo1", case_id, now)
    assert NIK not in seen.as_json()


def test_handover_needs_the_business_and_kbli_for_the_register(db, now, officer):
    with db.write() as s:
        case_id = cases.open_case(s, officer, now).id
        cases.update_applicant(s, case_id, {"applicant_name": "Budi"}, officer, now)
        for n, outputs in (
            (1, {"oss_username": "budi"}),
            (2, {"documents": ["ktp"]}),
            (3, {"nib": "9120301234567", "licence_number": "IUMK/2"}),
        ):
            steps.start_step(s, case_id, n, officer, now)
            steps.finish_step(s, case_id, n, outputs, officer, now)
        steps.start_step(s, case_id, 4, officer, now)
    with db.write() as s, pytest.raises(cases.FieldErrors) as err:
        steps.finish_step(s, case_id, 4, {"handed_over_to": "Budi"}, officer, now)
    assert set(err.value.errors) == {"business_name", "kbli"}
