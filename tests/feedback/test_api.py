"""/api/v1/complaints and /api/v1/surveys."""

from __future__ import annotations

COMPLAINT = {"category": "biaya", "text": "Diminta uang Rp50.000 untuk mempercepat NIB.",
             "phone": "+62 812-3456-7890"}  # fmt: skip


def test_a_complaint_through_the_api_from_receipt_to_answer(client, auth):
    r = client.post("/api/v1/complaints", json=COMPLAINT)
    assert r.status_code == 201
    made = r.get_json()
    assert made["code"].startswith("PGD-20") and made["code"].endswith("-0001")
    assert made["status"] == "baru" and "phone" not in made and "text" not in made
    token = made["token"]
    listed = client.get("/api/v1/complaints", headers=auth).get_json()["complaints"]
    assert [(c["code"], c["phone_masked"], c["late"]) for c in listed] == [
        (made["code"], "0812****7890", False)
    ]
    cid = listed[0]["id"]
    assert client.post(f"/api/v1/complaints/{cid}/close", headers=auth).status_code == 409
    r = client.post(f"/api/v1/complaints/{cid}/answer", headers=auth, json={"answer": ""})
    assert r.status_code == 422 and r.get_json()["error"] == "bad_answer"
    answer = "Terima kasih. Layanan NIB gratis; petugas itu sedang kami periksa."
    r = client.post(f"/api/v1/complaints/{cid}/answer", headers=auth, json={"answer": answer})
    assert r.status_code == 200 and r.get_json()["status"] == "dijawab"
    assert r.get_json()["handler"] == "petugas"
    public = client.get(f"/api/v1/complaints/{token}").get_json()
    assert (public["status"], public["answer"]) == ("dijawab", answer)
    assert "phone_masked" not in public and "name" not in public


def test_complaint_errors_are_json_in_indonesian(client):
    r = client.post("/api/v1/complaints", json={"category": "x", "text": 5})
    assert r.status_code == 422 and r.get_json()["error"] == "bad_complaint"
    r = client.post("/api/v1/complaints", json={"category": "x", "text": "pendek"})
    assert r.status_code == 422 and "kategori" in r.get_json()["message"]
    assert client.get("/api/v1/complaints/tidak-ada-ini").status_code == 404


def test_staff_endpoints_need_a_token(client):
    assert client.get("/api/v1/complaints").status_code == 401
    assert client.get("/api/v1/surveys/ikm").status_code == 401
    assert client.post("/api/v1/complaints/1/take").status_code == 401


def test_a_survey_through_the_api_and_its_ikm(client, auth):
    ticket = client.post("/api/v1/tickets", json={"service": "E"}).get_json()
    answers = {f"u{n}": 4 for n in range(1, 10)}
    body = {"ticket_token": ticket["token"], "answers": answers}
    r = client.post("/api/v1/surveys", json=body)
    assert r.status_code == 409 and r.get_json()["error"] == "survey_not_open"
    client.post("/api/v1/counters/1/call-next", headers=auth)
    client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=auth, json={"counter": 1})
    r = client.post("/api/v1/surveys", json={**body, "answers": {"u1": 4}})
    assert r.status_code == 422 and "Sarana dan Prasarana" in r.get_json()["message"]
    assert client.post("/api/v1/surveys", json=body).status_code == 201
    assert client.post("/api/v1/surveys", json=body).get_json()["error"] == "survey_done"
    ikm = client.get("/api/v1/surveys/ikm?from=2026-01-01&to=2030-12-31", headers=auth)
    data = ikm.get_json()
    assert (data["respondents"], data["ikm"], data["grade"]) == (1, 100.0, "A")
    assert [e["code"] for e in data["elements"]] == [f"U{n}" for n in range(1, 10)]
    other = client.get("/api/v1/surveys/ikm?from=2026-01-01&to=2030-12-31&service=A", headers=auth)
    assert other.get_json()["respondents"] == 0
    bad = client.get("/api/v1/surveys/ikm?from=kemarin", headers=auth)
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_date"


def test_complaints_are_rate_limited_per_client(db, tmp_path, now):
    from antrian import create_app
    from antrian.config import load_settings

    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "rl")}).with_(
        database_url=db.url, complaint_rate_limit="2/hour", start_background=False
    )
    client = create_app(settings, TESTING=True).test_client()
    statuses = [client.post("/api/v1/complaints", json=COMPLAINT).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert (
        "Terlalu banyak" in client.post("/api/v1/complaints", json=COMPLAINT).get_json()["message"]
    )
