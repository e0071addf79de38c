"""The pages the case desk uses, through the Flask client: field checks, KBLI, the register."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from .conftest import make_entry

HTMX = {"HX-Request": "true"}


def test_a_field_check_answers_the_field_s_message_only(client, sign_in):
    csrf = sign_in()
    bad = client.post(
        "/staff/validasi/nik",
        data={"nik": "1405021713850003"},
        headers={**HTMX, "X-CSRFToken": csrf},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and html.lstrip().startswith(
        '<div class="field-check" id="check-nik"'
    )
    assert "Tanggal lahir" in html and "<html" not in html
    good = client.post(
        "/staff/validasi/nik",
        data={"nik": "1405065708850003"},
        headers={**HTMX, "X-CSRFToken": csrf},
    ).get_data(as_text=True)
    assert "Pelalawan, Kabupaten Pelalawan, Riau" in good and "perempuan" in good
    assert "17-08-1985" in good
    warned = client.post(
        "/staff/validasi/npwp",
        data={"npwp_pemohon": "013121661091000", "field": "npwp_pemohon"},
        headers={**HTMX, "X-CSRFToken": csrf},
    ).get_data(as_text=True)
    assert "Digit pemeriksa" in warned and "field-ok" in warned
    empty = client.post(
        "/staff/validasi/email", data={"email": ""}, headers={**HTMX, "X-CSRFToken": csrf}
    ).get_data(as_text=True)
    assert "field-error" not in empty  # nothing typed yet: nothing to complain about


def test_the_same_url_without_htmx_is_a_page_that_keeps_what_was_typed(client, sign_in):
    csrf = sign_in()
    page = client.post(
        "/staff/validasi/phone", data={"value": "0812-3456", "csrf_token": csrf}
    ).get_data(as_text=True)
    assert "<html" in page and 'value="0812-3456"' in page and "10–13 digit" in page
    # The page's form posts: a number in the address would land in the access log.
    assert 'method="post"' in page
    in_address = client.get("/staff/validasi/phone?value=0812-3456").get_data(as_text=True)
    assert "0812-3456" not in in_address
    assert client.get("/staff/validasi/ktp").status_code == 404


def test_the_console_home_leads_to_the_register_and_the_checks(client, sign_in):
    sign_in()
    home = client.get("/staff/").get_data(as_text=True)
    for url in ("/staff/register/", "/staff/validasi/nik", "/staff/kbli"):
        assert f'href="{url}"' in home, url


def test_field_checks_and_the_register_need_a_signed_in_officer(client):
    for url in ("/staff/validasi/nik", "/staff/kbli", "/staff/register/", "/staff/kbli/kelola"):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login" in response.location, url


def test_the_kbli_chooser_offers_radios_and_keeps_the_choice(client, sign_in):
    sign_in()
    html = client.get("/staff/kbli?q=warung+makan", headers=HTMX).get_data(as_text=True)
    assert 'type="radio" name="kbli" value="56102"' in html and "Rumah/Warung Makan" in html
    kept = client.get("/staff/kbli?q=keripik&kbli=56102", headers=HTMX).get_data(as_text=True)
    assert 'value="56102" checked' in kept and 'value="10794"' in kept
    many = client.get("/staff/kbli?q=eceran", headers=HTMX).get_data(as_text=True)
    assert many.count('type="radio"') == 20 and "20 kode pertama" in many
    nothing = client.get("/staff/kbli?q=zzzz", headers=HTMX).get_data(as_text=True)
    assert "Tidak ada KBLI" in nothing


def test_an_admin_adds_a_kbli_code_and_bad_input_keeps_what_was_typed(client, sign_in):
    csrf = sign_in("kepala", "admin")
    bad = client.post(
        "/staff/kbli/kelola", data={"code": "1039", "title": "Industri Tahu", "csrf_token": csrf}
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "5 digit" in html
    assert 'value="1039"' in html and 'value="Industri Tahu"' in html
    ok = client.post(
        "/staff/kbli/kelola",
        data={"code": "10392", "title": "Industri Tahu Kedelai", "csrf_token": csrf},
    )
    assert ok.status_code == 303
    assert "10392" in client.get("/staff/kbli?q=tahu", headers=HTMX).get_data(as_text=True)


def test_only_an_admin_manages_kbli(client, sign_in):
    csrf = sign_in()
    assert client.get("/staff/kbli/kelola").status_code == 403
    data = {"code": "10392", "title": "Industri Tahu Kedelai", "csrf_token": csrf}
    assert client.post("/staff/kbli/kelola", data=data).status_code == 403


def _fill(app, now, count=60):
    with app.extensions["antrian.db"].write() as s:
        for n in range(1, count + 1):
            make_entry(s, n, issued_on=date(2026, 11, 26) - timedelta(days=count - n), now=now)
        make_entry(
            s,
            999,
            issued_on=date(2026, 11, 26),
            now=now,
            applicant_name="Ani Lestari",
            business_name="Keripik Nenas Berkah",
            kbli="10794",
            nib="9120000000999",
        )


def test_the_register_page_searches_and_pages(app, client, sign_in, now):
    sign_in()
    _fill(app, now)
    page = client.get("/staff/register/").get_data(as_text=True)
    assert "<html" in page and "<b>61</b> entri" in page and "Halaman 1 dari 2" in page
    assert "0061/IUMK/DPMPTSP/2026" in page and "Ani Lestari" in page
    found = client.get("/staff/register/?q=nenas", headers=HTMX).get_data(as_text=True)
    assert "<html" not in found and "<b>1</b> entri" in found and "Keripik Nenas Berkah" in found
    second = client.get("/staff/register/?halaman=2").get_data(as_text=True)
    assert "0001/IUMK/DPMPTSP/2026" in second and "Halaman 2 dari 2" in second
    bad = client.get("/staff/register/?dari=kemarin").get_data(as_text=True)
    assert "kemarin" in bad and "TTTT-BB-HH" in bad and 'value="kemarin"' not in bad


def test_the_exports_hold_the_search_and_the_print_page_has_a_signature(app, client, sign_in, now):
    sign_in()
    _fill(app, now, count=3)
    csv = client.get("/staff/register/buku-register.csv?kbli=10794")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and "Ani Lestari" in lines[1]
    xlsx = client.get("/staff/register/buku-register.xlsx?dari=2026-11-25")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == [
        "0002/IUMK/DPMPTSP/2026",
        "0003/IUMK/DPMPTSP/2026",
        "0004/IUMK/DPMPTSP/2026",
    ]
    printed = client.get("/staff/register/cetak?q=ani").get_data(as_text=True)
    assert "BUKU REGISTER IZIN USAHA MIKRO KECIL" in printed and "Ani Lestari" in printed
    assert "Kepala DPMPTSP" in printed and "NIP." in printed and "1 entri" in printed


def test_an_admin_changes_the_number_format(app, client, sign_in, now):
    csrf = sign_in("kepala", "admin")
    bad = client.post("/staff/register/format", data={"format": "IUMK/{year}", "csrf_token": csrf})
    assert bad.status_code == 303
    assert "tidak disimpan" in client.get(bad.location).get_data(as_text=True)
    ok = client.post(
        "/staff/register/format", data={"format": "{number:03d}/IUMK/{year}", "csrf_token": csrf}
    )
    assert ok.status_code == 303
    _fill(app, now, count=1)
    assert "001/IUMK/2026" in client.get("/staff/register/").get_data(as_text=True)


def test_the_register_api(app, client, auth, now):
    _fill(app, now, count=5)
    body = client.get("/api/v1/register?kbli=10794", headers=auth).get_json()
    assert body["total"] == 1 and body["entries"][0]["applicant_name"] == "Ani Lestari"
    assert body["entries"][0]["register_number"] == "0006/IUMK/DPMPTSP/2026"
    paged = client.get("/api/v1/register?per_page=2&page=3", headers=auth).get_json()
    assert (paged["pages"], paged["page"], len(paged["entries"])) == (3, 3, 2)
    assert client.get("/api/v1/register?dari=x", headers=auth).status_code == 400
    assert client.get("/api/v1/register").status_code == 401
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "get" in doc["paths"]["/register"]
