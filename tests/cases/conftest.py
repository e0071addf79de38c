"""Fixtures of the case desk's reference parts: a signed-in account, register entries."""

from __future__ import annotations

import re
from datetime import date

import pytest

from antrian.cases.register import add_register_entry
from antrian.seed import add_staff


@pytest.fixture
def sign_in(app, client, now):
    """Sign an account in (Flask-Login's session key) and return the page's CSRF token."""

    def signed_in(username: str = "petugas", roles: str = "staff") -> str:
        with app.extensions["antrian.db"].write() as s:
            staff_id = add_staff(s, username, username.title(), "sandi-rahasia-1", roles, now).id
        with client.session_transaction() as session:
            session["_user_id"] = str(staff_id)
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
