"""Where does the time go? cProfile + SQL timing of one in-process run (no gunicorn).

The app is built with `create_app()` exactly as a gunicorn worker builds it (spooler threads
included) and driven by Flask test clients from several threads, so the profile covers the
request code, SQLAlchemy, SQLite and the spooler, without HTTP parsing. Every thread is
profiled (threading.setprofile starts a cProfile.Profile in each new thread) and the results
are merged. SQL statements run through SQLAlchemy are timed with its engine events; issuing's
`Prepared` statements, BEGIN and COMMIT go straight to the driver and are not. For the SQLite
write lock's waits and holds use `--patch lock_stats` ($TMPDIR/lock-<pid>.log).

    .venv/bin/python -m bench.profile_inprocess issue  [--threads 16] [--count 1000]
    .venv/bin/python -m bench.profile_inprocess fanout [--displays 50] [--calls 30]
    .venv/bin/python -m bench.profile_inprocess spooler --no-spooler [--count 500]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.client import latency_summary
from bench.server import _run_cli

_profiles: list[cProfile.Profile] = []
_plock = threading.Lock()


def _bootstrap(frame, event, arg):  # noqa: ARG001 - the sys.setprofile signature
    sys.setprofile(None)
    prof = cProfile.Profile()
    with _plock:
        _profiles.append(prof)
    prof.enable()


class SqlTimer:
    """Per-statement-kind time and count (statements run through SQLAlchemy)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.by_kind: dict[str, list[float]] = defaultdict(list)

    @staticmethod
    def kind(statement: str) -> str:
        s = " ".join(statement.split())
        m = re.match(
            r"(?i)(BEGIN(?: IMMEDIATE)?|COMMIT|ROLLBACK|SELECT|INSERT INTO \S+|"
            r"UPDATE \S+|DELETE FROM \S+|PRAGMA \S+)",
            s,
        )
        head = m.group(1) if m else s[:30]
        if head.upper() == "SELECT":
            t = re.search(r"(?i)\bFROM (\w+)", s)
            head += f" {t.group(1)}" if t else ""
        return head

    def attach(self, engine) -> None:
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, executemany):
            self.local.t = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, params, context, executemany):
            now = time.perf_counter()
            dt = now - getattr(self.local, "t", now)
            kind = self.kind(statement)
            with self.lock:
                self.by_kind[kind].append(dt)

    def report(self, per: int) -> dict:
        rows = {}
        for kind, times in sorted(self.by_kind.items(), key=lambda kv: -sum(kv[1])):
            rows[kind] = {
                "count": len(times),
                "per_unit": round(len(times) / per, 2),
                "total_s": round(sum(times), 3),
                "mean_ms": round(1000 * sum(times) / len(times), 3),
            }
        return {"statements": rows}


def build_app(instance: Path, extra_env: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTRIAN_")}
    env.update(
        ANTRIAN_INSTANCE_PATH=str(instance),
        ANTRIAN_ISSUE_RATE_LIMIT="off",
        ANTRIAN_KIOSK_PRINTER_URL=f"file://{instance}/kiosk.bin",
        ANTRIAN_COUNTER_PRINTER_URL=f"file://{instance}/loket.bin",
        **(extra_env or {}),
    )
    _run_cli(["init"], env)
    token = _run_cli(["staff", "token", "admin"], env).strip().splitlines()[-1]
    os.environ.update({k: v for k, v in env.items() if k.startswith("ANTRIAN_")})
    if extra_env and "PATH" in extra_env:
        os.environ["PATH"] = extra_env["PATH"]
    from antrian import create_app
    from antrian.config import load_settings

    app = create_app(load_settings())
    return app, token


def _request_timer(app):
    times: list[float] = []
    lock = threading.Lock()
    from flask import g

    @app.before_request
    def _start():
        g._bench_t = time.perf_counter()

    @app.after_request
    def _end(resp):
        t = getattr(g, "_bench_t", None)
        if t is not None:
            with lock:
                times.append(time.perf_counter() - t)
        return resp

    return times


def scenario_issue(app, token, threads: int, count: int) -> dict:
    seq = iter(range(count))
    lock = threading.Lock()
    lat: list[float] = []

    def worker():
        client = app.test_client()
        while True:
            with lock:
                if next(seq, None) is None:
                    return
            t = time.perf_counter()
            r = client.post("/api/v1/tickets", json={"service": "A"})
            dt = time.perf_counter() - t
            assert r.status_code == 201, r.data
            with lock:
                lat.append(dt)

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 3), "per_s": round(count / wall, 1), **latency_summary(lat)}


def scenario_fanout(app, token, displays: int, calls: int, spacing: float) -> dict:
    client = app.test_client()
    for i in range(calls):
        assert client.post("/api/v1/tickets", json={"service": "ABCDE"[i % 5]}).status_code == 201
    got: dict[int, dict[str, float]] = defaultdict(dict)
    ready = threading.Semaphore(0)
    stop = threading.Event()

    def display(i: int):
        c = app.test_client()
        resp = c.get("/display/events", buffered=False)
        first = True
        buf = ""
        for chunk in resp.response:
            buf += chunk.decode() if isinstance(chunk, bytes) else chunk
            while "\n\n" in buf:
                block, buf = buf.split("\n\n", 1)
                if "event: snapshot" in block and first:
                    first = False
                    ready.release()
                if "event: call" in block:
                    data = block.split("data: ", 1)[1]
                    got[i][json.loads(data)["code"]] = time.perf_counter()
            if stop.is_set() and len(got[i]) >= calls:
                break
        resp.close()

    ts = [threading.Thread(target=display, args=(i,), daemon=True) for i in range(displays)]
    for t in ts:
        t.start()
    for _ in range(displays):
        ready.acquire(timeout=30)
    staff = app.test_client()
    sent = {}
    for i in range(calls):
        t0 = time.perf_counter()
        r = staff.post(
            f"/api/v1/counters/{i % 4 + 1}/call-next",
            headers={"Authorization": f"Bearer {token}"},
            json={},
        )
        assert r.status_code == 200, r.data
        sent[r.get_json()["code"]] = t0
        time.sleep(max(0.0, t0 + spacing - time.perf_counter()))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(len(got[i]) < calls for i in range(displays)):
        time.sleep(0.05)
    stop.set()
    to_all = [
        max(got[i].get(code, float("inf")) for i in range(displays)) - t0
        for code, t0 in sent.items()
    ]
    return {
        "to_all": latency_summary([x for x in to_all if x != float("inf")]),
        "complete": all(len(got[i]) == calls for i in range(displays)),
    }


def scenario_spooler(app, token, count: int) -> dict:
    """Issue `count` tickets with no spooler running, then let one spooler drain them alone:
    the spooler's own cost per printed ticket (claim, render, send, mark done)."""
    from antrian.config import load_settings
    from antrian.printing.spooler import Spooler

    client = app.test_client()
    for _ in range(count):
        assert client.post("/api/v1/tickets", json={"service": "A"}).status_code == 201
    spooler = Spooler.from_settings(app.extensions["antrian.db"], load_settings())
    cpu0, t0, printed = time.process_time(), time.perf_counter(), 0
    while batch := spooler.print_batch("kiosk").printed:
        printed += batch
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {
        "printed": printed,
        "wall_s": round(wall, 3),
        "spooler_cpu_ms_per_job": round(1000 * cpu / max(printed, 1), 2),
        "spooler_wall_ms_per_job": round(1000 * wall / max(printed, 1), 2),
    }


def report(top: int = 35) -> str:
    stats = None
    for prof in _profiles:
        prof.disable()
        stats = pstats.Stats(prof) if stats is None else (stats.add(prof) or stats)
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("scenario", choices=["issue", "fanout", "spooler"])
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--displays", type=int, default=50)
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--spacing", type=float, default=0.1)
    ap.add_argument("--no-speech", action="store_true", help="hide espeak-ng (PATH=/nonexistent)")
    ap.add_argument("--no-profile", action="store_true", help="timings only (no cProfile cost)")
    ap.add_argument(
        "--no-spooler",
        action="store_true",
        help="ANTRIAN_BACKGROUND=0: no spooler threads (request cost alone)",
    )
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    ap.add_argument("--patch", default="", help="bench.experiments patches, e.g. no_checkpointer")
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--dump", default=None, help="write merged pstats to this file")
    args = ap.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="antrian-prof-"))
    try:
        if not args.no_profile:
            threading.setprofile(_bootstrap)
        extra = {"PATH": "/nonexistent"} if args.no_speech else {}
        if args.no_spooler:
            extra["ANTRIAN_BACKGROUND"] = "0"
        if args.database_url:
            extra["ANTRIAN_DATABASE_URL"] = args.database_url
        if args.patch:
            from bench.experiments import PATCHES

            for name in args.patch.split(","):
                PATCHES[name]()
        app, token = build_app(instance, extra)
        timer = SqlTimer()
        timer.attach(app.extensions["antrian.db"].engine)
        req_times = _request_timer(app)
        cpu0 = time.process_time()
        if args.scenario == "spooler":
            # The spooler runs on this thread, which threading.setprofile does not reach.
            main_profile = None if args.no_profile else cProfile.Profile()
            if main_profile:
                _profiles.append(main_profile)
                main_profile.enable()
            result = scenario_spooler(app, token, args.count)
            if main_profile:
                main_profile.disable()
            per = args.count
        elif args.scenario == "issue":
            result = scenario_issue(app, token, args.threads, args.count)
            per = args.count
        else:
            result = scenario_fanout(app, token, args.displays, args.calls, args.spacing)
            per = args.calls
        cpu = time.process_time() - cpu0
        result["process_cpu_s"] = round(cpu, 3)
        result["cpu_ms_per_unit"] = round(1000 * cpu / per, 2)
        result["request_handler"] = latency_summary(req_times)
        result["sql"] = timer.report(per)
        threading.setprofile(None)
        spooler = app.extensions.get("antrian.spooler")
        if spooler:
            spooler.stop()
        app.extensions["antrian.stop"].set()
        print(json.dumps(result, indent=2))
        if not args.no_profile:
            print(report(args.top))
            if args.dump:
                stats = pstats.Stats(_profiles[0])
                for p in _profiles[1:]:
                    stats.add(p)
                stats.dump_stats(args.dump)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
