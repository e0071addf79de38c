"""Start and stop a real Antrian server for a benchmark; measure its memory and CPU.

    with running_server() as srv:                      # SQLite: one process
        srv.base_url, srv.token, srv.rss()
    with postgres_cluster() as pg:                     # bench/postgres.py
        with running_server(database_url=pg.new_database(), workers=4) as srv:
            ...

Every server gets a fresh instance folder (and, on PostgreSQL, a fresh database), is started as
`.venv/bin/antrian serve` in its own process group, and is stopped by the pid we started.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
ANTRIAN = VENV_BIN / "antrian"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def closed_port(host: str = "127.0.0.1") -> int:
    """A port where a connect() is refused at once: a printer that is switched off/unplugged."""
    for _ in range(20):
        port = free_port(host)
        with socket.socket() as probe:
            probe.settimeout(1.0)
            if probe.connect_ex((host, port)) != 0:
                return port
    raise RuntimeError("no closed port found")


# --------------------------------------------------------------------------- /proc helpers


def _status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # comm may contain spaces/parentheses: split after the last ')'.
    return raw[raw.rindex(")") + 2 :].split()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def children_of(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields and int(fields[1]) == pid:  # fields[1] is ppid
            kids.append(int(entry))
    return sorted(kids)


def cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    if not fields:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    except (FileNotFoundError, PermissionError):
        pass
    return inodes


def tcp_connections(port: int) -> list[tuple[int, int]]:
    """(remote port, inode) of ESTABLISHED sockets whose local port is `port` (IPv4 and 6)."""
    rows = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, state, inode = parts[1], parts[2], parts[3], int(parts[9])
                    if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                        rows.append((int(remote.rsplit(":", 1)[1], 16), inode))
        except FileNotFoundError:
            continue
    return rows


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    base_url: str
    host: str
    port: int
    token: str
    instance: Path
    database_url: str
    workers: int
    threads: int | None
    proc: subprocess.Popen
    log_path: Path
    notes: dict = field(default_factory=dict)

    @property
    def database(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return self.instance / "antrian.sqlite3" if self.database == "sqlite" else None

    def pids(self) -> list[int]:
        """Every process of the server: the one on SQLite, the master and its workers else."""
        return sorted({self.proc.pid, *children_of(self.proc.pid)})

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself, or the master's workers."""
        return children_of(self.proc.pid) or [self.proc.pid]

    def rss(self) -> dict:
        """VmRSS (now) and VmHWM (peak) in KiB of each process of the server, and the sum."""
        pids = self.pids()
        out = {
            "processes_kb": [_status_kb(p, "VmRSS") or 0 for p in pids],
            "processes_peak_kb": [_status_kb(p, "VmHWM") or 0 for p in pids],
            "threads": [_status_kb(p, "Threads") or 0 for p in pids],
        }
        out["total_kb"] = sum(out["processes_kb"])
        out["total_peak_kb"] = sum(out["processes_peak_kb"])
        return out

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(p) for p in self.pids())

    def sse_clients_per_worker(self) -> dict[int, int]:
        """How many ESTABLISHED client connections each worker process holds right now."""
        conns = {inode for _rport, inode in tcp_connections(self.port)}
        return {pid: len(socket_inodes(pid) & conns) for pid in self.worker_pids()}

    def owner_of_client_port(self, client_port: int, timeout: float = 2.0) -> int | None:
        """The worker pid that accepted the connection coming from `client_port`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            inodes = {
                inode
                for rport, inode in tcp_connections(self.port)
                if rport == client_port and inode
            }
            if inodes:
                for pid in self.worker_pids():
                    if socket_inodes(pid) & inodes:
                        return pid
            time.sleep(0.002)
        return None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(ANTRIAN), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"antrian {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_healthy(host: str, port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
            last = resp.status
        except OSError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"server not healthy after {timeout} s (last: {last})")


@contextmanager
def running_server(
    *,
    database_url: str | None = None,
    workers: int = 1,
    threads: int | None = None,
    printer_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    startup_timeout: float = 60.0,
    keep_instance: bool = False,
) -> Iterator[Server]:
    """A fresh server on a free port. `printer_url` defaults to a file in the instance."""
    instance = Path(tempfile.mkdtemp(prefix="antrian-bench-"))
    host, port = "127.0.0.1", free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTRIAN_")}
    env.update(
        ANTRIAN_INSTANCE_PATH=str(instance),
        ANTRIAN_ISSUE_RATE_LIMIT="off",
        ANTRIAN_OPENING_HOURS="off",
        ANTRIAN_KIOSK_PRINTER_URL=printer_url or f"file://{instance}/kiosk.bin",
        ANTRIAN_COUNTER_PRINTER_URL=f"file://{instance}/loket.bin",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["ANTRIAN_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    _run_cli(["init"], env)
    token = _run_cli(["staff", "token", "admin"], env).strip().splitlines()[-1].strip()

    log_path = instance / "server.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 - closed in finally
    serve = ["serve", "--host", host, "--port", str(port), "--workers", str(workers)]
    if threads:
        serve += ["--threads", str(threads)]
    command = [str(ANTRIAN), *serve]
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=REPO,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(
        base_url=f"http://{host}:{port}",
        host=host,
        port=port,
        token=token,
        instance=instance,
        database_url=database_url or f"sqlite:///{instance / 'antrian.sqlite3'}",
        workers=workers,
        threads=threads,
        proc=proc,
        log_path=log_path,
    )
    try:
        _wait_healthy(host, port, proc, startup_timeout)
        # Every worker booted (each builds its app, spooler and, on PostgreSQL, its LISTEN).
        deadline = time.monotonic() + startup_timeout
        while workers > 1 and len(children_of(proc.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5 if workers == 1 else 1.5)
        server.notes["rss_idle"] = server.rss()
        yield server
    except BaseException:
        tail = server.log_tail()
        if tail:
            print(f"--- server log ({log_path}) ---\n{tail}")
        raise
    finally:
        _stop(proc)
        log_file.close()
        if not keep_instance:
            shutil.rmtree(instance, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    kids = children_of(proc.pid)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        for pid in [proc.pid, *kids]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=10)
