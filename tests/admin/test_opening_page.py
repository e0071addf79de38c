"""The admin sets the hours, closes a day and sets a quota; the kiosk follows."""

from datetime import date

from antrian.models import ClosedDay, Event, OfficeHours, Service


def hours_form(csrf: str, **changes) -> dict:
    form = {"csrf_token": csrf}
    for day in range(5):
        form |= {f"open_{day}": "1", f"opens_{day}": "08:00", f"closes_{day}": "15:00"}
    return form | changes


def test_hours_closed_days_and_quota_are_saved_with_an_event(app, client, admin_csrf):
    page = client.get("/staff/admin/jam-layanan/").get_data(as_text=True)
    assert "Jam pengambilan nomor" in page and "Kuota harian per layanan" in page
    r = client.post("/staff/admin/jam-layanan/jam", data=hours_form(admin_csrf, opens_4="07:30"))
    assert r.status_code == 303
    client.post(
        "/staff/admin/jam-layanan/tutup",
        data={"csrf_token": admin_csrf, "day": "2026-12-01", "reason": "Rapat koordinasi"},
    )
    client.post(
        "/staff/admin/jam-layanan/kuota",
        data={"csrf_token": admin_csrf, "service": "A", "quota": "40"},
    )
    with app.extensions["antrian.db"].read() as s:
        hours = {h.weekday: (h.opens, h.closes) for h in s.query(OfficeHours)}
        assert hours[4] == ("07:30", "15:00") and 5 not in hours and 6 not in hours
        assert s.get(ClosedDay, date(2026, 12, 1)).reason == "Rapat koordinasi"
        assert s.query(Service).filter_by(code="A").one().daily_quota == 40
        assert s.query(Event).filter_by(kind="opening.changed").count() == 3


def test_bad_hours_are_refused_in_indonesian_and_nothing_changes(app, client, admin_csrf):
    r = client.post("/staff/admin/jam-layanan/jam", data=hours_form(admin_csrf, opens_0="16:00"))
    assert r.status_code == 422 and "Jam buka harus sebelum jam tutup" in r.get_data(as_text=True)
    with app.extensions["antrian.db"].read() as s:
        assert s.query(OfficeHours).count() == 0


def test_the_page_is_for_admins_only(client, login):
    login("petugas", roles="front_office")
    assert client.get("/staff/admin/jam-layanan/").status_code == 403
