"""The deployment files in deploy/ are what the README says to install, and they are valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _need(tool: str) -> str:
    found = shutil.which(tool) or (
        f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None
    )
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing in CI (.ci/run installs it)")
    pytest.skip(f"{tool} not installed")


def test_the_nginx_site_passes_nginx_t_with_streams_unbuffered(tmp_path):
    nginx = _need("nginx")
    site = (DEPLOY / "nginx-antrian.conf").read_text()
    assert "proxy_buffering off" in site.split("location ~ /events$")[1]
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\n"
        "events {}\n"
        f"http {{\n access_log off;\n include {DEPLOY / 'nginx-antrian.conf'};\n}}\n"
    )
    r = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert "syntax is ok" in r.stderr


def test_the_systemd_unit_verifies_and_runs_antrian_as_an_unprivileged_restarting_service(
    tmp_path,
):
    unit = (DEPLOY / "antrian.service").read_text()
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#")
    )
    assert settings["User"] == "antrian" and "dialout" in settings["SupplementaryGroups"]
    assert settings["Restart"] == "on-failure"
    assert settings["ExecStart"].endswith("antrian serve --host 0.0.0.0 --port 8000")
    assert settings["ExecStartPre"].endswith("antrian init")
    analyze = _need("systemd-analyze")
    # The unit as installed from this checkout: its commands must exist to verify.
    here = unit.replace(
        "/opt/antrian/.venv/bin/antrian", str(Path(sys.executable).parent / "antrian")
    )
    local = tmp_path / "antrian.service"
    local.write_text(here)
    r = subprocess.run([analyze, "verify", str(local)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
