"""/api/v1/cases: the same rules as the console, as JSON."""

from __future__ import annotations

from sqlalchemy import select

from antrian.models import Event, PrintJob
from tests.cases.conftest import NIK


def test_a_case_through_the_api_from_open_to_handover(client, auth, app):
    created = client.post(
        "/api/v1/cases",
        json={"applicant": {"applicant_name": "Budi", "nik": NIK, "phone": "081234567890",
                            "business_name": "Warung Budi", "kbli": "47111"}},
        headers=auth,
    )  # fmt: skip
    assert created.status_code == 201
    case = created.get_json()
    assert case["personal_data"]["nik"] == "140502******0001"
    assert case["personal_data"]["phone"] == "0812****7890"
    assert NIK not in created.get_data(as_text=True)
    url = f"/api/v1/cases/{case['id']}"
    outputs = {
        1: {"oss_username": "budi"},
        2: {"documents": ["ktp"]},
        3: {"nib": "9120301234567", "licence_number": "IUMK/9"},
        4: {"handed_over_to": "Budi"},
    }
    for n, out in outputs.items():
        assert client.post(f"{url}/steps/{n}/start", headers=auth).status_code == 200
        r = client.post(f"{url}/steps/{n}/finish", json={"outputs": out}, headers=auth)
        assert r.status_code == 200, r.get_json()
    done = client.get(url, headers=auth).get_json()
    assert done["status"] == "done" and done["receipt_number"] == "TTB-2026-0001"
    assert [s["step"] for s in done["steps"]] == [1, 2, 3, 4]
    assert done["total"]["standard_minutes"] == 165
    assert done["steps"][3]["outputs"]["register_number"]
    with app.extensions["antrian.db"].read() as s:
        assert s.scalars(select(PrintJob.kind).where(PrintJob.printer == "loket")).all() == [
            "receipt",
            "handover",
        ]


def test_api_refuses_wrong_fields_with_a_message_per_field(client, auth):
    case = client.post("/api/v1/cases", json={}, headers=auth).get_json()
    r = client.patch(
        f"/api/v1/cases/{case['id']}", json={"nik": "12345", "email": "bukan-email"}, headers=auth
    )
    assert r.status_code == 422
    body = r.get_json()
    assert body["error"] == "invalid_fields" and set(body["fields"]) == {"nik", "email"}
    out_of_order = client.post(f"/api/v1/cases/{case['id']}/steps/2/start", headers=auth)
    assert out_of_order.status_code == 409 and "Langkah 1" in out_of_order.get_json()["message"]


def test_reveal_and_assign_through_the_api(client, auth, app):
    case = client.post(
        "/api/v1/cases", json={"applicant": {"applicant_name": "Budi", "nik": NIK}}, headers=auth
    ).get_json()
    url = f"/api/v1/cases/{case['id']}"
    assert client.post(f"{url}/reveal", headers=auth).get_json()["nik"] == NIK
    r = client.post(f"{url}/assign", json={"team": "technical", "note": "OSS galat"}, headers=auth)
    assert r.get_json()["team"] == "technical"
    listed = client.get("/api/v1/cases?team=technical", headers=auth).get_json()
    assert [c["id"] for c in listed] == [case["id"]]
    with app.extensions["antrian.db"].read() as s:
        kinds = s.scalars(select(Event.kind).where(Event.kind.like("case.%"))).all()
    assert "case.personal_data_revealed" in kinds and "case.assigned" in kinds


def test_cases_api_needs_a_staff_token(client):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.post("/api/v1/cases", json={}).status_code == 401
    bogus = {"Authorization": "Bearer antr_bogus"}
    assert client.get("/api/v1/cases/1", headers=bogus).status_code == 401
