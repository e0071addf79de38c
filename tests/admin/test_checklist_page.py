"""The admin edits the kiosk's checklist per service; the kiosk asks what the data says."""

import re

from antrian.models import ChecklistItem, Event, Ticket


def item_id(app, key: str) -> int:
    with app.extensions["antrian.db"].read() as s:
        return s.query(ChecklistItem).filter_by(key=key).one().id


def test_an_edited_and_an_added_requirement_reach_the_kiosk(app, client, admin_csrf):
    npwp = item_id(app, "npwp")
    r = client.post(
        f"/staff/admin/persyaratan/A/{npwp}",
        data={
            "csrf_token": admin_csrf,
            "key": "npwp",
            "label_id": "NPWP aktif",
            "label_en": "An active NPWP",
            "missing_id": "Aktifkan NPWP di KPP.",
            "missing_en": "Activate your NPWP at the tax office.",
        },
    )
    assert r.status_code == 303
    client.post(
        "/staff/admin/persyaratan/A",
        data={"csrf_token": admin_csrf, "key": "foto", "label_id": "Pas foto 3x4",
              "label_en": "Passport photo 3x4", "missing_id": "Bawa dua lembar pas foto."},
    )  # fmt: skip
    kiosk = client.get("/kiosk/layanan/A?lang=en").get_data(as_text=True)
    assert "An active NPWP" in kiosk and "Passport photo 3x4" in kiosk
    assert "Valid NPWP tax number" not in kiosk
    html = client.get("/kiosk/layanan/A?lang=id").get_data(as_text=True)
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "service": "A",
        "request_key": re.search(r'name="request_key" value="([^"]+)"', html).group(1),
        "has_email": "1", "has_nik": "1", "has_npwp": "1",
    }  # fmt: skip
    told = client.post("/kiosk/tiket", data=form).get_data(as_text=True)
    assert "Pas foto 3x4</strong> — Bawa dua lembar pas foto." in told
    assert client.post("/kiosk/tiket", data=form | {"confirm_missing": "foto"}).status_code == 303
    with app.extensions["antrian.db"].read() as s:
        assert s.query(Ticket).one().checklist == {
            "applicant_type": "perorangan", "email": True, "nik": True, "akta": True,
            "npwp": True, "foto": False,
        }  # fmt: skip
        assert s.query(Event).filter_by(kind="checklist.changed").count() == 2


def test_a_bad_key_is_refused_and_what_was_typed_stays(app, client, admin_csrf):
    r = client.post(
        "/staff/admin/persyaratan/B",
        data={"csrf_token": admin_csrf, "key": "Foto Diri!", "label_id": "Pas foto"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Kunci: huruf kecil" in html
    assert 'value="Foto Diri!"' in html and 'value="Pas foto"' in html


def test_removing_the_last_item_stops_asking(app, client, admin_csrf):
    for key in ("email", "nik", "akta", "npwp"):
        r = client.post(
            f"/staff/admin/persyaratan/hapus/{item_id(app, key)}", data={"csrf_token": admin_csrf}
        )
        assert r.status_code == 303
    page = client.get("/kiosk/layanan/A").get_data(as_text=True)
    assert 'id="requirements"' not in page and 'name="priority"' in page
