"""POST /api/v1/validate: the field checks for programs, staff only."""

from __future__ import annotations


def test_a_nik_is_checked_with_its_details(client, auth):
    response = client.post(
        "/api/v1/validate", json={"kind": "nik", "value": "1405 0657 0885 0003"}, headers=auth
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "valid": True,
        "normalized": "1405065708850003",
        "errors": [],
        "warnings": [],
        "details": {
            "region_code": "140506",
            "region": "Kabupaten Pelalawan, Riau",
            "district": "Pelalawan",
            "birth_date": "1985-08-17",
            "sex": "female",
        },
    }


def test_an_invalid_value_is_200_with_errors_and_a_warning_is_not_an_error(client, auth):
    bad = client.post("/api/v1/validate", json={"kind": "nib", "value": "123"}, headers=auth)
    assert bad.status_code == 200
    body = bad.get_json()
    assert body["valid"] is False and body["normalized"] is None
    assert body["errors"] == ["NIB harus 13 digit; yang diketik 3 digit."]
    warned = client.post(
        "/api/v1/validate", json={"kind": "npwp", "value": "013121661091000"}, headers=auth
    ).get_json()
    assert warned["valid"] is True and warned["normalized"] == "0013121661091000"
    assert warned["warnings"]


def test_unknown_kind_or_bad_body_is_400(client, auth):
    for body, code in [
        ({"kind": "ktp", "value": "1"}, "unknown_kind"),
        ({"value": "1"}, "unknown_kind"),
        ({"kind": "nik", "value": 1405}, "bad_value"),
        (["nik"], "bad_json"),
    ]:
        response = client.post("/api/v1/validate", json=body, headers=auth)
        assert (response.status_code, response.get_json()["error"]) == (400, code), body


def test_anonymous_and_bogus_tokens_are_refused(client):
    body = {"kind": "nik", "value": "1405021708850003"}
    assert client.post("/api/v1/validate", json=body).status_code == 401
    bogus = {"Authorization": "Bearer antr_tidak-sah"}
    assert client.post("/api/v1/validate", json=body, headers=bogus).status_code == 401


def test_documented_in_openapi(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/validate"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["properties"]["kind"][
        "enum"
    ] == ["nik", "npwp", "nib", "phone", "email"]
    # 403, 413 and 503 are the answers every staff operation with a body may give.
    assert set(operation["responses"]) == {"200", "400", "401", "403", "413", "503"}
