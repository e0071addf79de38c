"""`antrian serve` on SQLite: one process that serves, prints and stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from hardware.printing.escpos_reader import read_escpos

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                kids.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return kids


def wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    return predicate()


def office(tmp_path) -> dict[str, str]:
    env = os.environ | {
        "ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "ANTRIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'antrian.sqlite3'}",
        "ANTRIAN_KIOSK_PRINTER_URL": f"file://{tmp_path / 'kiosk.bin'}",
    }
    subprocess.run([BIN / "antrian", "init"], env=env, check=True, capture_output=True)
    return env


def issue(port: int):
    """(status, serving pid, body) of one ticket issued over the API; None while not up yet."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request(
            "POST",
            "/api/v1/tickets",
            json.dumps({"service": "C"}),
            {"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        return response.status, response.getheader("X-Served-By"), json.loads(response.read())
    except OSError:
        return None


def test_serve_on_sqlite_is_one_process_that_prints_and_stops(tmp_path):
    env = office(tmp_path)
    paper = tmp_path / "kiosk.bin"
    port = free_port()
    server = subprocess.Popen(
        [BIN / "antrian", "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, served_by, ticket = wait_for(lambda: issue(port))
        assert status == 201 and ticket["code"] == "C-001"
        assert int(served_by) == server.pid and children(server.pid) == []
        assert wait_for(lambda: paper.exists() and "C-001" in read_escpos(paper.read_bytes()).text)
        time.sleep(0.5)  # the spooler is idle again: only the commit can wake it this fast
        assert issue(port)[2]["code"] == "C-002"
        # Within 2 s: an idle spooler looks on its own only every 3 s (0.5 s of which passed).
        assert wait_for(lambda: "C-002" in read_escpos(paper.read_bytes()).text, timeout=2.0)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=20)
    assert server.returncode == 0
    # It said why there is one process, naming the setting that gives several.
    assert "--workers 3 diabaikan" in output and "ANTRIAN_DATABASE_URL" in output


def test_a_port_in_use_is_one_line_naming_the_setting(tmp_path):
    env = office(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [BIN / "antrian", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "--port" in error[0] and f":{port}" in error[0], done.stderr
