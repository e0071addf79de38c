"""The `antrian` command as the office admin runs it, in real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect

from antrian.migrate import upgrade
from antrian.models import Base

ANTRIAN = str(Path(sys.executable).parent / "antrian")


def run(args, instance, **env):
    return subprocess.run(
        [ANTRIAN, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"ANTRIAN_INSTANCE_PATH": str(instance)} | env,
    )


def test_init_migrates_seeds_and_prints_the_admin_password_once(tmp_path):
    first = run(["init"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "pengguna: admin" in first.stdout and "Katalog layanan A-E" in first.stdout
    again = run(["init"], tmp_path)
    assert again.returncode == 0 and "kata sandi" not in again.stdout
    assert (tmp_path / "secret_key").exists() and (tmp_path / "antrian.sqlite3").exists()


def test_staff_add_and_token_prints_a_usable_token_on_the_last_line(tmp_path):
    run(["init"], tmp_path)
    added = run(
        ["staff", "add", "siti", "--name", "Siti Aminah", "--password", "rahasia-1"], tmp_path
    )
    assert added.returncode == 0, added.stderr
    dup = run(["staff", "add", "siti", "--name", "X", "--password", "y"], tmp_path)
    assert dup.returncode != 0 and "sudah dipakai" in dup.stderr
    token = run(["staff", "token", "siti"], tmp_path).stdout.strip().splitlines()[-1]
    assert token.startswith("antr_") and len(token) > 30

    from antrian import create_app
    from antrian.config import load_settings

    app = create_app(
        load_settings(
            {
                "ANTRIAN_INSTANCE_PATH": str(tmp_path),
                "ANTRIAN_BACKGROUND": "0",
                "ANTRIAN_OPENING_HOURS": "off",  # init set office hours; the clock may say night
            }
        )
    )
    client = app.test_client()
    client.post("/api/v1/tickets", json={"service": "C"})
    r = client.post("/api/v1/counters/1/call-next", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.get_json()["code"] == "C-001"
    assert run(["staff", "token", "nobody"], tmp_path).returncode != 0


def test_migrations_build_exactly_the_models_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    upgrade(url)
    migrated = inspect(create_engine(url))
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in migrated.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in migrated.get_indexes(table.name)}
        assert indexes == {i.name for i in table.indexes}, table.name


def test_printer_test_reports_an_unreachable_printer_in_indonesian(tmp_path):
    r = run(["printer", "test", "tcp://127.0.0.1:1"], tmp_path)
    assert r.returncode != 0 and "Printer" in r.stderr


def test_printer_test_exits_non_zero_when_the_paper_is_out(tmp_path):
    from hardware.printing.testing import FakeNetworkPrinter

    with FakeNetworkPrinter() as printer:
        printer.paper_out()
        r = run(["printer", "test", printer.url], tmp_path)
        assert r.returncode == 1
        assert f"Printer {printer.url} belum siap: kertas habis." in r.stderr
        assert all(b"Uji cetak" not in job for job in printer.jobs)
        printer.ready()
        r = run(["printer", "test", printer.url], tmp_path)
        assert r.returncode == 0 and "Status: siap" in r.stdout
        assert b"Uji cetak" in printer.wait_jobs(2)[-1]


def test_printer_test_writes_a_test_page_to_a_file_printer(tmp_path):
    out = tmp_path / "test.bin"
    r = run(["printer", "test", f"file://{out}"], tmp_path)
    assert r.returncode == 0, r.stderr
    from hardware.printing.escpos_reader import read_escpos

    assert "Uji cetak" in read_escpos(out.read_bytes()).text


def test_a_printed_slip_leaves_no_library_chatter_in_the_log_unless_debug(tmp_path):
    out = tmp_path / "test.bin"
    quiet = run(["printer", "test", f"file://{out}"], tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert "File connection" not in quiet.stderr and "printer enabled" not in quiet.stderr
    loud = run(["--debug", "printer", "test", f"file://{out}"], tmp_path)
    assert "Closing File connection" in loud.stderr


def test_serve_refuses_a_database_older_than_the_code_and_names_the_command(tmp_path):
    upgrade(f"sqlite:///{tmp_path / 'antrian.sqlite3'}", "0002")
    r = run(["serve", "--port", "0"], tmp_path)
    assert r.returncode != 0 and "antrian init" in r.stderr and "Traceback" not in r.stderr


def test_purge_removes_old_complaint_contacts(tmp_path):
    from datetime import timedelta

    from antrian.clock import utcnow
    from antrian.db import Database
    from antrian.feedback.complaints import ComplaintForm, submit_complaint
    from antrian.feedback.models import Complaint

    assert run(["init"], tmp_path).returncode == 0
    db = Database(f"sqlite:///{tmp_path / 'antrian.sqlite3'}")
    form = ComplaintForm("sarana", "Toilet lantai dua rusak sejak lama.", "Ani", "081234567890")
    with db.write() as s:
        submit_complaint(s, form, utcnow() - timedelta(days=400), channel="phone")
        submit_complaint(s, form, utcnow() - timedelta(days=10), channel="phone")
    r = run(["purge"], tmp_path)
    assert r.returncode == 0 and "dari 1 pengaduan" in r.stdout
    with db.read() as s:
        assert [c.phone for c in s.query(Complaint).order_by(Complaint.id)] == [
            None,
            "+6281234567890",
        ]


def test_purge_removes_personal_data_past_the_retention(tmp_path):
    from datetime import timedelta

    from antrian.cases import operations as cases
    from antrian.clock import utcnow
    from antrian.db import Database
    from antrian.seed import add_staff

    run(["init"], tmp_path)
    db = Database(f"sqlite:///{tmp_path / 'antrian.sqlite3'}")
    with db.write() as s:
        officer = add_staff(s, "rina", "Rina", "x", "front_office", utcnow())
        old = cases.open_case(s, officer, utcnow() - timedelta(days=40)).id
        new = cases.open_case(s, officer, utcnow() - timedelta(days=5)).id
        for case_id in (old, new):
            cases.update_applicant(
                s, case_id, {"applicant_name": "Siti", "nik": "1405024508900001"}, officer, utcnow()
            )
    db.dispose()
    r = run(["purge", "--days", "30"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Data pribadi 1 berkas dihapus (masa simpan 30 hari)" in r.stdout
    with db.read() as s:
        assert cases.find_case(s, old).nik is None and cases.find_case(s, old).applicant_name == ""
        assert cases.find_case(s, new).nik == "1405024508900001"
    db.dispose()
