"""IUMK cases against the SOP's standard times, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from antrian.cases.operations import open_case, update_applicant
from antrian.cases.steps import finish_step, start_step
from antrian.reports.cases import case_figures
from antrian.reports.periods import Period
from antrian.seed import add_staff

DAY = date(2026, 11, 26)
OUTPUTS = {
    1: {"oss_username": "pemohon01"},
    2: {"documents": ["ktp", "npwp"]},
    3: {"nib": "1234567890123", "licence_number": "IUMK/0001", "issued_on": "2026-11-26"},
    4: {"handed_over_to": "Pemohon", "handed_on": "2026-11-26"},
}


def wib(hhmm: str, day: int = 26) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, hours - 7, minutes, tzinfo=UTC)


def run_steps(s, case_id, officer, times: list[tuple[str, str]]) -> None:
    for step, (begin, end) in enumerate(times, start=1):
        start_step(s, case_id, step, officer, wib(begin))
        if end:
            finish_step(s, case_id, step, OUTPUTS[step], officer, wib(end))


def build(db):
    with db.write() as s:
        siti = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", wib("07:00"))
        fields = {"applicant_name": "Pemohon Satu", "business_name": "Warung Satu", "kbli": "47111"}
        # Case 1: every step within its standard: 10 + 15 + 100 + 10 = 135 minutes.
        c1 = open_case(s, siti, wib("08:00"))
        update_applicant(s, c1.id, fields, siti, wib("08:00"))
        run_steps(s, c1.id, siti, [("08:00", "08:10"), ("08:10", "08:25"),
                                   ("08:25", "10:05"), ("10:05", "10:15")])  # fmt: skip
        # Case 2: step 1 takes 20 (over 15), step 3 takes 130 (over 120): 20+10+130+15 = 175.
        c2 = open_case(s, siti, wib("09:00"))
        update_applicant(s, c2.id, fields, siti, wib("09:00"))
        run_steps(s, c2.id, siti, [("09:00", "09:20"), ("09:20", "09:30"),
                                   ("09:30", "11:40"), ("11:40", "11:55")])  # fmt: skip
        # Case 3: still in step 3 since 10:00; at 12:30 that is 150 minutes, past 120.
        c3 = open_case(s, siti, wib("09:30"))
        update_applicant(s, c3.id, fields, siti, wib("09:30"))
        run_steps(s, c3.id, siti, [("09:30", "09:40"), ("09:40", "09:50"), ("10:00", "")])
        # Case 4: opened the day before, in step 1 for 5 minutes: in no figure of the 26th.
        c4 = open_case(s, siti, wib("15:00", day=25))
        start_step(s, c4.id, 1, siti, wib("15:00", day=25))
        return c3.id, c4.id


def test_each_step_and_the_165_minutes_by_hand(db):
    c3, c4 = build(db)
    with db.read() as s:
        figures = case_figures(s, Period("day", DAY, DAY), wib("12:30"))
    assert (figures.opened, figures.finished, figures.finished_within_total) == (3, 2, 1)
    assert figures.share_within_total == 0.5
    step = {f.step: f for f in figures.steps}
    # step 1: 10, 20, 10 -> 2 of 3 within 15; median 10; P90 at rank 1.8 = 10 + 0.8 x 10
    assert (step[1].done, step[1].within, step[1].median_minutes, step[1].p90_minutes) == (
        3, 2, 10, 18,
    )  # fmt: skip
    assert (step[2].done, step[2].within) == (3, 3)
    assert (step[3].done, step[3].within, step[3].median_minutes) == (2, 1, 115)  # 100, 130
    assert (step[4].done, step[4].within, step[4].share_within) == (2, 2, 1.0)
    # Open past a standard, whatever the period: case 3 in step 3 (150 > 120) and case 4,
    # in step 1 since 15:00 the day before.
    overdue = {o.case_id: (o.step, o.minutes, o.standard_minutes) for o in figures.overdue}
    assert overdue[c3] == (3, 150, 120)
    assert overdue[c4][0] == 1 and overdue[c4][1] > 15


def test_page_api_and_today_show_the_cases(app, client, db, now):
    from .test_report_page import _login

    c3, _ = build(db)
    _login(app, client, "kepala", "supervisor", now)
    query = {"day": "2026-11-26"}
    api = client.get("/api/v1/reports/cases", query_string=query).get_json()
    assert api["finished"] == 2 and api["share_within_165_minutes"] == 0.5
    assert [s["within"] for s in api["steps"]] == [2, 3, 1, 2]
    assert any(o["case_id"] == c3 and o["step"] == 3 for o in api["open_past_standard"])
    html = client.get("/staff/laporan/", query_string=query).get_data(as_text=True)
    assert '<b id="cases-within">50%</b>' in html and 'id="overdue"' in html
    raw = client.get("/staff/laporan/unduh/berkas.csv", query_string=query).get_data()
    assert "Penerbitan NIB/IUMK di OSS,120,2,1,50.0,115.0" in raw.decode("utf-8-sig")
    today = client.get("/staff/laporan/hari-ini").get_data(as_text=True)
    assert 'id="today-overdue"' in today and "langkah" not in today.split("today-overdue")[0]


def test_steps_of_a_case_opened_out_of_order_stay_out(db):
    """The steps are read between the period's first and last case id: a case of another day
    whose id falls between them (opened out of order) still counts nowhere."""
    with db.write() as s:
        siti = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", wib("07:00"))
        first = open_case(s, siti, wib("08:00"))
        run_steps(s, first.id, siti, [("08:00", "08:10")])
        other = open_case(s, siti, wib("08:00", day=25))  # between the two ids, not the 26th
        start_step(s, other.id, 1, siti, wib("08:00", day=25))
        finish_step(s, other.id, 1, OUTPUTS[1], siti, wib("08:40", day=25))
        last = open_case(s, siti, wib("09:00"))
        run_steps(s, last.id, siti, [("09:00", "09:20")])
    with db.read() as s:
        figures = case_figures(s, Period("day", DAY, DAY), wib("12:30"))
        empty = case_figures(s, Period("day", date(2026, 11, 24), date(2026, 11, 24)), wib("12:30"))
    step1 = figures.steps[0]
    assert (figures.opened, step1.done, step1.within, step1.median_minutes) == (2, 2, 1, 15)
    assert (empty.opened, empty.finished, [f.done for f in empty.steps]) == (0, 0, [0, 0, 0, 0])
