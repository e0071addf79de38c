"""`antrian serve` prints from a printer process of its own, and takes it down when it stops."""

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


def children(pid: int) -> dict[int, str]:
    kids = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                kids[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError):
            continue
    return kids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    return predicate()


def start_server(tmp_path) -> tuple[subprocess.Popen, int, Path]:
    paper = tmp_path / "kiosk.bin"
    env = os.environ | {
        "ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "ANTRIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'antrian.sqlite3'}",
        "ANTRIAN_KIOSK_PRINTER_URL": f"file://{paper}",
    }
    env.pop("ANTRIAN_SPOOLER", None)
    subprocess.run([BIN / "antrian", "init"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "antrian", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, port, paper


def printer_of(server: subprocess.Popen) -> int:
    printers = wait_for(
        lambda: [p for p, cmd in children(server.pid).items() if "print-spooler" in cmd]
    )
    assert len(printers) == 1, children(server.pid)
    return printers[0]


def issue(port: int):
    """(status, worker pid, body) of one ticket issued over the API; None while not up yet."""
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


def test_serve_prints_tickets_from_its_own_printer_process_and_stops_it(tmp_path):
    server, port, paper = start_server(tmp_path)
    try:
        printer = printer_of(server)
        child = printing_child(printer)
        status, worker, ticket = wait_for(lambda: issue(port))
        assert status == 201 and ticket["code"] == "C-001"
        assert int(worker) not in (printer, child)  # the worker only wrote the job
        assert wait_for(lambda: paper.exists() and "C-001" in read_escpos(paper.read_bytes()).text)
        time.sleep(0.5)  # the printer process is idle again, looking on its own every 3 s
        status, _worker, ticket = issue(port)
        assert status == 201 and ticket["code"] == "C-002"
        # Printed at once all the same: the worker's commit woke the printer process.
        assert wait_for(lambda: "C-002" in read_escpos(paper.read_bytes()).text, timeout=1.0)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert wait_for(lambda: not alive(printer) and not alive(child), timeout=10)


def printing_child(printer: int) -> int:
    kids = wait_for(lambda: list(children(printer)))
    assert len(kids) == 1, kids
    return kids[0]


def test_a_killed_server_takes_its_printer_processes_with_it(tmp_path):
    server, _port, _paper = start_server(tmp_path)
    printer = printer_of(server)
    child = printing_child(printer)
    server.kill()  # SIGKILL: no on_exit hook runs
    server.wait(timeout=10)
    assert wait_for(lambda: not alive(printer) and not alive(child), timeout=10)


def test_a_printing_child_that_dies_is_started_again_and_prints(tmp_path):
    server, port, paper = start_server(tmp_path)
    try:
        printer = printer_of(server)
        first = printing_child(printer)
        os.kill(first, signal.SIGKILL)  # e.g. the out-of-memory killer
        second = wait_for(lambda: [p for p in children(printer) if p != first and alive(p)])
        assert second, "no new printing child"
        assert wait_for(lambda: issue(port), timeout=15)[2]["code"] == "C-001"
        assert wait_for(lambda: paper.exists() and "C-001" in read_escpos(paper.read_bytes()).text)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
