"""Complaints: numbers per year, the staff's steps, events, the slip, the contact purge."""

from __future__ import annotations

from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from antrian.clock import local
from antrian.events import events_after
from antrian.feedback.complaints import (
    ComplaintForm,
    change_complaint,
    find_complaint_by_token,
    purge_complaint_contacts,
    submit_complaint,
)
from antrian.feedback.deadlines import answer_deadline, is_late, working_days_between
from antrian.feedback.models import Complaint
from antrian.models import PrintJob
from antrian.operations import Conflict, Invalid
from antrian.printing.slips import slip_from_payload
from hardware.printing.escpos_reader import read_escpos
from hardware.printing.layouts import OfficeInfo, render_bytes

FORM = ComplaintForm(
    category="waktu",
    text="Antrean loket A lama sekali, petugas istirahat bersamaan.\nMohon diperbaiki.",
    name="Budi",
    phone="0812-3456-7890",
)


def submit(db, now, form=FORM, **kw):
    with db.write() as s:
        c = submit_complaint(s, form, now, channel=kw.pop("channel", "kiosk"), **kw)
        return c.id, c.code, c.token


def test_numbers_count_up_per_year_and_restart_in_january(db, now):
    assert submit(db, now)[1] == "PGD-2026-0001"
    assert submit(db, now)[1] == "PGD-2026-0002"
    # 31 Dec 23:30 WIB is still 2026; 1 Jan 00:10 WIB (31 Dec 17:10 UTC) is 2027.
    assert submit(db, datetime(2026, 12, 31, 16, 30, tzinfo=UTC))[1] == "PGD-2026-0003"
    assert submit(db, datetime(2026, 12, 31, 17, 10, tzinfo=UTC))[1] == "PGD-2027-0001"


def test_parallel_submissions_never_share_a_number(db, now):
    def many(_worker: int) -> list[str]:
        return [submit(db, now, channel="phone")[1] for _ in range(25)]

    with ThreadPoolExecutor(6) as pool:
        codes = [c for batch in pool.map(many, range(6)) for c in batch]
    assert [c for c, n in Tally(codes).items() if n > 1] == []
    assert sorted(codes) == [f"PGD-2026-{n:04d}" for n in range(1, 151)]


def test_bad_input_is_refused_with_every_reason_in_indonesian(db, now):
    form = ComplaintForm(category="", text="jelek", name="", phone="12345")
    assert set(form.errors()) == {"category", "text", "phone"}
    with pytest.raises(Invalid, match="kategori.*10 huruf.*ponsel"), db.write() as s:
        submit_complaint(s, form, now, channel="phone")
    with db.read() as s:
        assert s.scalars(select(Complaint)).all() == []
    # Name and phone are optional.
    assert ComplaintForm(category="lainnya", text="Toilet lantai dua rusak.").errors() == {}


def test_kiosk_complaint_queues_its_slip_and_the_slip_reads_right(db, now):
    _id, code, token = submit(db, now, print_on="kiosk", status_url_base="http://kantor/")
    with db.read() as s:
        job = s.scalars(select(PrintJob)).one()
    assert (job.printer, job.kind, job.status) == ("kiosk", "complaint", "pending")
    slip = slip_from_payload(job.kind, job.payload)
    office = OfficeInfo("DPMPTSP Kabupaten Pelalawan", "Pangkalan Kerinci")
    paper = read_escpos(render_bytes(slip, office, "TM-T20II"))
    assert "TANDA TERIMA PENGADUAN" in paper.text
    assert paper.lines_with(code) and paper.lines_with("Waktu tunggu atau penyelesaian")
    assert paper.lines_with(f"{local(now):%H.%M}") or paper.lines_with(f"{local(now):%H:%M}")
    assert paper.lines_with("Ringkasan: Antrean loket A lama sekali")
    assert not paper.lines_with("Mohon diperbaiki")  # only the first line
    assert not paper.lines_with("0812") and not paper.lines_with("Budi")  # no contact on paper
    assert paper.qr_payloads == [f"http://kantor/pengaduan/{token}"]
    assert paper.cuts == 1


def test_phone_complaint_prints_nothing_and_keeps_the_phone_in_digits(db, now):
    cid, _code, token = submit(db, now, channel="phone")
    with db.read() as s:
        assert s.scalars(select(PrintJob)).all() == []
        complaint = find_complaint_by_token(s, token)
        assert complaint.phone == "+6281234567890" and complaint.channel == "phone"


def test_staff_take_answer_close_each_write_an_event_without_personal_data(db, now, officer):
    cid, code, _ = submit(db, now)
    steps = [("take", ""), ("answer", "Mulai Senin loket A dilayani dua petugas."), ("close", "")]
    for minutes, (action, answer) in enumerate(steps, start=1):
        with db.write() as s:
            change_complaint(s, cid, action, officer, now + timedelta(hours=minutes), answer)
    with db.read() as s:
        c = s.get(Complaint, cid)
        assert (c.status, c.handler.username) == ("selesai", "rina")
        assert c.answer.startswith("Mulai Senin")
        assert c.taken_dt < c.answered_dt < c.closed_dt
        events = [e for e in events_after(s, 0) if e.kind.startswith("complaint.")]
    assert [(e.kind, e.data) for e in events] == [
        ("complaint.received", {"code": code, "status": "baru"}),
        ("complaint.diproses", {"code": code, "status": "diproses"}),
        ("complaint.dijawab", {"code": code, "status": "dijawab"}),
        ("complaint.selesai", {"code": code, "status": "selesai"}),
    ]
    assert [e.actor for e in events] == ["kiosk", "staff:rina", "staff:rina", "staff:rina"]


def test_steps_out_of_order_are_conflicts_and_an_empty_answer_is_refused(db, now, officer):
    cid, _code, _ = submit(db, now)
    with pytest.raises(Conflict, match="berstatus baru"), db.write() as s:
        change_complaint(s, cid, "close", officer, now)
    with pytest.raises(Invalid, match="jawaban"), db.write() as s:
        change_complaint(s, cid, "answer", officer, now, "  ")
    with db.write() as s:
        change_complaint(s, cid, "take", officer, now)
    with pytest.raises(Conflict, match="berstatus diproses"), db.write() as s:
        change_complaint(s, cid, "take", officer, now)


def test_two_officers_taking_one_complaint_at_once_one_wins(db, now, officer):
    cid, _code, _ = submit(db, now)

    def take(_):
        try:
            with db.write() as s:
                change_complaint(s, cid, "take", officer, now)
            return "ok"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(4) as pool:
        results = sorted(pool.map(take, range(4)))
    assert results == ["conflict", "conflict", "conflict", "ok"]


def test_the_deadline_counts_working_days_only():
    friday = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 WIB
    # 5 working days after Friday: Mon..Fri of the next week.
    assert answer_deadline(friday, 5).isoformat() == "2026-12-04"
    assert working_days_between(local(friday).date(), local(friday).date()) == 0
    saturday_answer = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert working_days_between(local(friday).date(), local(saturday_answer).date()) == 0
    assert not is_late(friday, None, datetime(2026, 12, 4, 16, 0, tzinfo=UTC), 5)  # 23:00 WIB
    assert is_late(friday, None, datetime(2026, 12, 4, 17, 0, tzinfo=UTC), 5)  # Sat 00:00 WIB
    assert not is_late(
        friday, datetime(2026, 12, 1, 3, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), 5
    )


def test_contacts_are_purged_after_the_retention_period(db, now, officer):
    old_id, _, _ = submit(db, now)
    new_id, _, _ = submit(db, now + timedelta(days=200))
    later = now + timedelta(days=366)
    with db.write() as s:
        assert purge_complaint_contacts(s, later, 365) == 1
    with db.write() as s:
        assert purge_complaint_contacts(s, later, 365) == 0  # once
    with db.read() as s:
        old, new = s.get(Complaint, old_id), s.get(Complaint, new_id)
        assert (old.name, old.phone, old.contact_purged_dt) == (None, None, later)
        assert old.text.startswith("Antrean")  # the complaint itself stays on record
        assert (new.name, new.phone) == ("Budi", "+6281234567890")
