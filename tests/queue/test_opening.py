"""Numbers only while the office serves: weekday hours, holidays and cuti bersama, days the
admin closed, a daily quota per service; the kiosk and the API say when numbers come again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from antrian import operations as ops
from antrian.models import ClosedDay, OfficeHours, Service, Ticket
from antrian.queue.opening import (
    DEFAULT_HOURS,
    Closed,
    QuotaFull,
    next_opening,
    refuse_if_closed,
)
from tests.conftest import make_app


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA).astimezone(UTC)


JAKARTA = ZoneInfo("Asia/Jakarta")
THURSDAY = date(2026, 11, 26)


@pytest.fixture
def office(db):
    with db.write() as s:
        for weekday, (opens, closes) in DEFAULT_HOURS.items():
            s.add(OfficeHours(weekday=weekday, opens=opens, closes=closes))
    return db


def refusal(db, now) -> Closed | None:
    with db.read() as s:
        try:
            refuse_if_closed(s, now)
        except Closed as closed:
            return closed
    return None


def test_open_in_hours_closed_at_night_and_told_when_it_opens(office):
    assert refusal(office, wib(THURSDAY, 9)) is None
    night = refusal(office, wib(THURSDAY, 2, 26))
    assert night.code == "closed" and night.status == 409
    assert night.resumes_at == wib(THURSDAY, 8)
    evening = refusal(office, wib(THURSDAY, 15, 0))  # closing time is closed
    assert evening.resumes_at == wib(date(2026, 11, 27), 8)


def test_weekend_resumes_on_monday(office):
    saturday = refusal(office, wib(date(2026, 11, 28), 10))
    assert saturday.resumes_at == wib(date(2026, 11, 30), 8)


def test_public_holidays_and_cuti_bersama_are_closed(office):
    independence = refusal(office, wib(date(2026, 8, 17), 9))  # a Monday
    assert independence.reason == "Hari Kemerdekaan Republik Indonesia"
    christmas_leave = refusal(office, wib(date(2026, 12, 24), 9))  # a Thursday
    assert christmas_leave.reason.startswith("Cuti Bersama")
    # After Christmas Day (Friday) and the weekend: Monday 28 December.
    assert christmas_leave.resumes_at == wib(date(2026, 12, 28), 8)


def test_a_day_the_admin_closed(office):
    with office.write() as s:
        s.add(ClosedDay(day=THURSDAY, reason="Rapat koordinasi"))
    closed = refusal(office, wib(THURSDAY, 9))
    assert closed.reason == "Rapat koordinasi"
    assert closed.resumes_at == wib(date(2026, 11, 27), 8)


def test_an_office_without_hours_is_always_open(db):
    assert refusal(db, wib(THURSDAY, 2)) is None
    with db.read() as s:
        assert next_opening(s, wib(THURSDAY, 2)) is None  # and no opening to announce


def test_past_the_daily_quota_no_number_is_given_or_used(office):
    with office.write() as s:
        s.query(Service).filter_by(code="B").update({"daily_quota": 2})
    now = wib(THURSDAY, 9)
    for _ in range(2):
        with office.write() as s:
            ops.issue_ticket(s, "B", None, None, now)
    with pytest.raises(QuotaFull) as full, office.write() as s:
        ops.issue_ticket(s, "B", None, None, now)
    assert full.value.code == "quota_full" and full.value.resumes_at == wib(date(2026, 11, 27), 8)
    with office.write() as s:  # other services go on; B's counter was not used up
        assert ops.issue_ticket(s, "C", None, None, now).code == "C-001"
        s.query(Service).filter_by(code="B").update({"daily_quota": 3})
    with office.write() as s:
        assert ops.issue_ticket(s, "B", None, None, now).code == "B-003"
    with office.read() as s:
        assert s.query(Ticket).filter_by(service_day=THURSDAY).count() == 4


@pytest.fixture
def hours_app(office, tmp_path, monkeypatch):
    app = make_app(office, tmp_path, opening_hours=True)

    def at(moment: datetime):
        monkeypatch.setattr("antrian.web.utcnow", lambda: moment)

    yield app, at
    app.extensions["antrian.db"].dispose()


def test_the_api_answers_a_closed_office_with_409_and_when(hours_app):
    app, at = hours_app
    client = app.test_client()
    at(wib(THURSDAY, 2, 26))
    r = client.post("/api/v1/tickets", json={"service": "A"})
    body = r.get_json()
    assert r.status_code == 409 and body["error"] == "closed"
    assert "tutup" in body["message"]
    assert body["resumes_at"] == wib(THURSDAY, 8).isoformat()
    at(wib(THURSDAY, 9))
    assert client.post("/api/v1/tickets", json={"service": "A"}).status_code == 201


def test_the_kiosk_says_it_is_closed_and_when_in_the_chosen_language(hours_app):
    app, at = hours_app
    client = app.test_client()
    at(wib(date(2026, 11, 28), 10))  # Saturday
    r = client.get("/kiosk/layanan/C")
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "Pelayanan sedang tutup" in html
    assert "Senin, 30 November 2026, 08:00 WIB" in html and 'id="home"' in html
    english = client.get("/kiosk/layanan/C?lang=en").get_data(as_text=True)
    assert "The service is closed now" in english and "Monday, 30 November 2026, 08:00" in english
