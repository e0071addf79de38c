"""IKM per PermenPANRB 14/2017, against values worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from antrian.feedback.models import Survey
from antrian.feedback.skm import grade_of, ikm_csv, ikm_report
from antrian.models import Service

DAY = date(2026, 11, 26)


def add_surveys(db, rows, day=DAY, service="A"):
    with db.write() as s:
        service_id = s.query(Service).filter_by(code=service).one().id
        for row in rows:
            values = {f"u{n}": v for n, v in enumerate(row, start=1)}
            s.add(Survey(service_id=service_id, service_day=day, channel="phone", **values))


def test_three_respondents_by_hand(db):
    add_surveys(
        db,
        [
            (4, 4, 4, 4, 4, 4, 4, 4, 4),  # 36
            (3, 3, 3, 3, 3, 3, 3, 3, 3),  # 27
            (4, 3, 2, 4, 3, 3, 4, 2, 3),  # 28
        ],
    )
    add_surveys(db, [(1,) * 9], day=DAY + timedelta(days=1))  # outside the period
    with db.read() as s:
        report = ikm_report(s, DAY, DAY)
    assert report.respondents == 3
    # NRR: U1 11/3, U2 10/3, U3 9/3, U4 11/3, U5 10/3, U6 10/3, U7 11/3, U8 9/3, U9 10/3
    assert [str(v) for _e, v in report.nrr] == [
        "3.67", "3.33", "3.00", "3.67", "3.33", "3.33", "3.67", "3.00", "3.33",
    ]  # fmt: skip
    # IKM = (91/3 / 9) x 25 = 84.259… -> 84.26, grade B (Baik)
    assert (report.ikm, report.grade, report.performance) == (Decimal("84.26"), "B", "Baik")


def test_the_period_and_the_service_narrow_the_respondents(db):
    add_surveys(db, [(4,) * 9])
    add_surveys(db, [(1,) * 9], service="B")
    add_surveys(db, [(2,) * 9], day=DAY + timedelta(days=3))
    with db.read() as s:
        week = ikm_report(s, DAY, DAY + timedelta(days=6))
        a_only = ikm_report(s, DAY, DAY, service_id=s.query(Service).filter_by(code="A").one().id)
        empty = ikm_report(s, DAY - timedelta(days=7), DAY - timedelta(days=1))
    # (4 + 1 + 2) x 9 / 27 x 25 = 58.33 -> D
    assert (week.respondents, week.ikm, week.grade) == (3, Decimal("58.33"), "D")
    assert (a_only.respondents, a_only.ikm, a_only.grade) == (1, Decimal("100.00"), "A")
    assert (empty.respondents, empty.ikm, empty.grade, empty.nrr) == (0, None, None, ())


def test_grade_boundaries_of_the_conversion_table():
    cases = {
        "100.00": "A", "88.31": "A", "88.30": "B", "76.61": "B", "76.60": "C",
        "65.00": "C", "64.99": "D", "25.00": "D",
    }  # fmt: skip
    assert {k: grade_of(Decimal(k))[0] for k in cases} == cases


def test_csv_holds_each_element_the_index_and_the_grade(db):
    add_surveys(db, [(3,) * 9, (4, 4, 4, 4, 4, 4, 4, 4, 3)])
    with db.read() as s:
        text = ikm_csv(ikm_report(s, DAY, DAY))
    lines = text.split("\r\n")
    assert lines[0] == "Periode,2026-11-26,2026-11-26"
    assert lines[1] == "Jumlah responden,2"
    assert lines[3] == "U1,Persyaratan,3.50"
    assert lines[10] == 'U8,"Penanganan Pengaduan, Saran dan Masukan",3.50'
    assert lines[11] == "U9,Sarana dan Prasarana,3.00"
    # (7 x 8 + 6) / 18 x 25 = 62/18 x 25 = 86.11 -> B
    assert lines[12] == "IKM,Indeks Kepuasan Masyarakat,86.11"
    assert lines[13] == "Mutu,B,Baik"
