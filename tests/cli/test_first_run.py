"""First-run trouble ends in one Indonesian line naming the setting, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def antrian(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = os.environ | {"ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance")} | env
    environment.pop("ANTRIAN_DEBUG", None)
    return subprocess.run(
        [BIN / "antrian", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, done.stderr
    return errors[0]


@pytest.mark.parametrize("command", ["init", "serve"])
def test_a_database_url_that_is_not_one(tmp_path, command):
    line = one_line(antrian(tmp_path, command, ANTRIAN_DATABASE_URL="nonsense://kantor"))
    assert "ANTRIAN_DATABASE_URL tidak valid" in line


def test_a_postgresql_that_does_not_answer_names_the_setting_not_the_password(tmp_path):
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once closed
    url = f"postgresql+psycopg://antrian:rahasia@127.0.0.1:{port}/antrian"
    line = one_line(antrian(tmp_path, "init", ANTRIAN_DATABASE_URL=url))
    assert "PostgreSQL di ANTRIAN_DATABASE_URL" in line and "tidak dapat dihubungi" in line
    assert "rahasia" not in line


def test_an_instance_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "berkas").write_text("not a folder")
    folder = tmp_path / "berkas" / "instance"
    line = one_line(antrian(tmp_path, "init", ANTRIAN_INSTANCE_PATH=str(folder)))
    assert "ANTRIAN_INSTANCE_PATH" in line and str(folder) in line


def test_debug_keeps_the_traceback(tmp_path):
    done = antrian(tmp_path, "--debug", "init", ANTRIAN_DATABASE_URL="nonsense://kantor")
    assert done.returncode != 0 and "Traceback" in done.stderr
