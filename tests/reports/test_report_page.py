"""The report page, its downloads and the API give the same figures, to the right people."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from antrian.seed import add_staff

from .test_ticket_figures import build_day


def _login(app, client, username: str, roles: str, now) -> None:
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, username, username.title(), f"sandi-{username}-1", roles, now)
    page = client.get("/staff/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": f"sandi-{username}-1", "csrf_token": csrf}
    assert client.post("/staff/login", data=form).status_code == 303


DAY = {"day": "2026-11-26"}


def test_page_downloads_and_api_agree_on_a_hand_built_day(app, client, db, now):
    build_day(db)
    _login(app, client, "kepala", "supervisor", now)

    page = client.get("/staff/laporan/", query_string=DAY)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "26 November 2026" in html and "<svg" in html
    layanan = html.split('id="tabel-layanan"')[1].split("</section>")[0]
    assert re.search(r"<td>A</td>\s*<td>[^<]+</td>\s*<td>4</td>\s*<td>2</td>\s*<td>1</td>", layanan)

    api = client.get("/api/v1/reports/queue", query_string=DAY).get_json()
    assert api["office"]["issued"] == 6 and api["office"]["waiting"]["p90"] == 23

    raw = client.get("/staff/laporan/unduh/layanan.csv", query_string=DAY)
    assert raw.status_code == 200 and "attachment" in raw.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(raw.get_data().decode("utf-8-sig"))))
    by_code = {r[0]: r for r in rows[1:]}
    a = next(s for s in api["services"] if s["key"] == "A")
    assert by_code["A"][2:5] == [str(a["issued"]), str(a["served"]), str(a["no_show"])]
    assert float(by_code["-"][8]) == api["office"]["waiting"]["median"]

    xlsx = client.get("/staff/laporan/unduh/petugas.xlsx", query_string=DAY)
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "26 November 2026" in values[0][0]
    assert values[1][:3] == ["Kode", "Nama", "Dilayani"]
    assert {tuple(v[:3]) for v in values[2:]} == {
        (o["key"], o["name"], o["served"]) for o in api["officers"]
    }


def test_reports_are_for_supervisors_and_admins(app, client, now):
    assert client.get("/staff/laporan/").status_code == 302  # to the login
    assert client.get("/api/v1/reports/queue").status_code == 401
    _login(app, client, "loket", "front_office", now)
    assert client.get("/staff/laporan/").status_code == 403
    assert client.get("/api/v1/reports/queue").status_code == 403


def test_a_bad_period_is_explained_in_indonesian(app, client, now):
    _login(app, client, "kepala", "admin", now)
    page = client.get("/staff/laporan/", query_string={"from": "2026-13-01", "to": "x"})
    assert page.status_code == 422 and "bukan tanggal" in page.get_data(as_text=True)
    api = client.get(
        "/api/v1/reports/queue", query_string={"from": "2026-11-30", "to": "2026-11-01"}
    )
    assert api.status_code == 400 and "sebelum" in api.get_json()["message"]
    assert client.get("/staff/laporan/unduh/layanan.pdf").status_code == 400
    assert client.get("/staff/laporan/unduh/rahasia.csv").status_code == 404


def test_register_entries_of_the_period_by_kbli(app, client, db, now):
    from datetime import date

    from antrian.cases.register import add_register_entry

    with db.write() as s:
        officer = add_staff(s, "siti", "Siti Aminah", "sandi-siti-1", "front_office", now)
        for n, (kbli, day) in enumerate(
            [("47111", 25), ("47111", 26), ("10792", 26), ("47111", 30), ("56103", 24)]
        ):
            add_register_entry(
                s, case_id=None, applicant_name=f"Pemohon {n}", business_name=f"Usaha {n}",
                kbli=kbli, nib=f"{1234567890120 + n}", licence_number=f"IUMK/{n}",
                officer=officer, issued_on=date(2026, 11, day), now=now,
            )  # fmt: skip
    _login(app, client, "kepala", "supervisor", now)
    period = {"from": "2026-11-25", "to": "2026-11-27"}
    api = client.get("/api/v1/reports/register", query_string=period).get_json()
    assert api["entries"] == 3
    assert [(k["kbli"], k["entries"]) for k in api["by_kbli"]] == [("47111", 2), ("10792", 1)]
    html = client.get("/staff/laporan/", query_string=period).get_data(as_text=True)
    assert '<b id="register-entries">3</b>' in html
    raw = client.get("/staff/laporan/unduh/register.csv", query_string=period).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1][0] == "47111" and rows[1][2] == "2" and rows[1][1]  # with its title
