"""Complaints and the SKM survey in the report, worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from antrian import operations as ops
from antrian.feedback.complaints import ComplaintForm, change_complaint, submit_complaint
from antrian.feedback.surveys import submit_survey
from antrian.reports.feedback import complaint_figures, skm_figures
from antrian.reports.periods import Period
from antrian.seed import add_staff

from .test_report_page import _login


def wib(day: int, hhmm: str = "09:00") -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, hours - 7, minutes, tzinfo=UTC)


def dec(day: int) -> datetime:
    return datetime(2026, 12, day, 2, 0, tzinfo=UTC)  # 09:00 WIB


PERIOD = Period("range", datetime(2026, 11, 25).date(), datetime(2026, 11, 27).date())


def build(db):
    with db.write() as s:
        siti = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", wib(24))
        form = lambda cat: ComplaintForm(category=cat, text="Antrean terlalu lama sekali.")  # noqa: E731
        c1 = submit_complaint(s, form("waktu"), wib(25), channel="kiosk")  # Wednesday
        c2 = submit_complaint(s, form("waktu"), wib(26), channel="phone")  # Thursday
        submit_complaint(s, form("pelayanan"), wib(27), channel="kiosk")  # Friday, open
        submit_complaint(s, form("waktu"), wib(30), channel="kiosk")  # outside the period
        # c1 answered the next day: 1 working day. c2 answered Friday 4 December: after
        # 27 Nov, 30 Nov, 1, 2, 3, 4 Dec = 6 working days, past the 5-day target.
        change_complaint(s, c1.id, "answer", siti, wib(26, "10:00"), answer="Sudah kami perbaiki.")
        change_complaint(s, c2.id, "answer", siti, dec(4), answer="Terima kasih, kami tindak.")
        # Two surveys on finished tickets: every element 4, then every element 3.
        for score in (4, 3):
            t = ops.issue_ticket(s, "C", None, None, wib(26))
            called = ops.call_next(s, 1, siti, wib(26, "09:05"))
            assert called.id == t.id
            ops.finish(s, t.id, siti, wib(26, "09:10"))
            answers = {f"u{n}": score for n in range(1, 10)}
            submit_survey(
                s, s.get(type(called), t.id), answers, "", wib(26, "09:15"), channel="kiosk"
            )


def test_complaints_and_skm_of_three_days(db):
    build(db)
    with db.read() as s:
        complaints = complaint_figures(s, PERIOD, dec(4), target_days=5)
        skm = skm_figures(s, PERIOD)
    assert (complaints.received, complaints.answered, complaints.still_open) == (3, 2, 1)
    # c2 was due Thursday 3 December; the open one is due Friday 4 December: not late yet.
    assert complaints.late == 1
    assert (complaints.answer_days_median, complaints.answer_days_p90) == (3.5, 5.5)
    assert dict(complaints.by_category) == {
        "Waktu tunggu atau penyelesaian": 2,
        "Sikap atau pelayanan petugas": 1,
    }
    # NRR 3.50 for each element; IKM = 3.5 x 25 = 87.50: grade B (76.61-88.30).
    assert skm.respondents == 2 and all(float(v) == 3.5 for _, v in skm.nrr)
    assert float(skm.ikm) == 87.5 and skm.grade == "B"


def test_page_and_api_show_complaints_and_ikm(app, client, db, now):
    build(db)
    _login(app, client, "kepala", "supervisor", now)
    query = {"from": "2026-11-25", "to": "2026-11-27"}
    api = client.get("/api/v1/reports/skm", query_string=query).get_json()
    assert api["ikm"] == 87.5 and api["grade"] == "B" and len(api["nrr"]) == 9
    complaints = client.get("/api/v1/reports/complaints", query_string=query).get_json()
    assert complaints["received"] == 3 and complaints["answered"] == 2
    html = client.get("/staff/laporan/", query_string=query).get_data(as_text=True)
    assert '<b id="ikm">87.50</b>' in html and "mutu B" in html
    assert '<b id="complaints">3</b>' in html
    csv_text = client.get("/staff/laporan/unduh/skm.csv", query_string=query).get_data().decode()
    assert "IKM (mutu B" in csv_text and "87.5" in csv_text
