"""Case fixtures: officers, a called ticket to open a case from, register entries."""

from __future__ import annotations

import re
from datetime import date

import pytest

from antrian import operations as ops
from antrian.cases.register import add_register_entry
from antrian.seed import add_staff
from antrian.staff_sessions import session_token

NIK = "1405024508900001"  # Pangkalan Kerinci, Pelalawan; a woman born 5 August 1990
APPLICANT = {
    "applicant_name": "Siti Aminah",
    "nik": "1405 0245 0890 0001",
    "phone": "0812-3456-7890",
    "email": "siti.aminah@contoh.id",
    "legal_form": "perorangan",
    "business_name": "Keripik Nenas Siti",
    "business_address": "Jl. Lintas Timur No. 5, Pangkalan Kerinci",
    "kbli": "10794",
}


@pytest.fixture
def officer(db, now):
    with db.write() as s:
        staff = add_staff(s, "fo1", "Rina Front Office", "sandi-rahasia", "front_office", now)
        s.flush()
        s.expunge(staff)
    return staff


@pytest.fixture
def officer_on_sqlite(sqlite_db, now):
    with sqlite_db.write() as s:
        staff = add_staff(s, "fo1", "Rina Front Office", "sandi-rahasia", "front_office", now)
        s.flush()
        s.expunge(staff)
    return staff


def called_ticket(db, now, officer, service: str = "A") -> int:
    """A ticket of `service` issued and called to counter 1; returns its id."""
    with db.write() as s:
        ops.issue_ticket(s, service, "elderly", {"applicant_type": "perorangan"}, now)
    with db.write() as s:
        return ops.call_next(s, 1, s.merge(officer), now).id


@pytest.fixture
def sign_in(app, client, now):
    """Sign an account in (Flask-Login's session key) and return the page's CSRF token."""

    def signed_in(username: str = "petugas", roles: str = "front_office") -> str:
        with app.extensions["antrian.db"].write() as s:
            staff = add_staff(s, username, username.title(), "sandi-rahasia-1", roles, now)
            token = session_token(staff)  # the id and its session version
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        page = client.get("/staff/").get_data(as_text=True)
        return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    return signed_in


def make_entry(session, n: int, *, issued_on: date, now, **overrides):
    values = {
        "case_id": n,
        "applicant_name": f"Pemohon {n:05d}",
        "business_name": f"Usaha {n:05d}",
        "kbli": "47112" if n % 3 else "56102",
        "nib": f"91201{n:08d}",
        "licence_number": f"IUMK/{n:05d}/2026",
        "officer": "Siti Petugas",
        "issued_on": issued_on,
        "now": now,
    }
    values.update(overrides)
    return add_register_entry(session, **values)
