"""`antrian serve` as the office runs it, on a free port."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    """`serve(workers=, threads=, extra_env=)` -> (port, staff token) of a running server on
    SQLite in tmp_path unless extra_env names another database; stopped after the test."""
    servers: list[subprocess.Popen] = []

    def start(workers: int = 1, threads: int | None = None, extra_env: dict | None = None):
        env = os.environ | {
            "ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'antrian.sqlite3'}",
            "ANTRIAN_ISSUE_RATE_LIMIT": "off",
            "ANTRIAN_KIOSK_PRINTER_URL": f"file://{tmp_path / 'kiosk.bin'}",
            **(extra_env or {}),
        }
        subprocess.run([BIN / "antrian", "init"], env=env, check=True, capture_output=True)
        token = (
            subprocess.run(
                [BIN / "antrian", "staff", "token", "admin"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        command = [BIN / "antrian", "serve", "--port", str(port), "--workers", str(workers)]
        if threads is not None:
            command += ["--threads", str(threads)]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        servers.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return port, token
            except OSError:
                time.sleep(0.2)
        pytest.fail("server did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=15)
