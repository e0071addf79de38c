"""Run every benchmark, print one table, write bench/results/<timestamp>.json.

    .venv/bin/python -m bench.run_all              # SQLite: issue, call-next, SSE, footprint, slow
    .venv/bin/python -m bench.run_all --quick      # smaller counts, 20 s idle window
    .venv/bin/python -m bench.run_all --postgres   # + the same on PostgreSQL, --workers 4
    .venv/bin/python -m bench.run_all --postgres --pg-url postgresql+psycopg://...  (existing)

Targets (issue #13, 2-core machine): issuing p99 < 50 ms at 4 clients, >= 200 tickets/s with
p99 < 100 ms at 16; call to all 50 displays p99 < 100 ms; under 150 MB and under 1 % of a core
idle with 10 displays; issuing p99 < 100 ms beside 1,000 half-sent requests (issue #14).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import call_next, footprint, issue_tickets, slow_clients, sse_fanout
from bench.postgres import postgres_cluster
from bench.server import REPO

RESULTS = Path(__file__).resolve().parent / "results"

TARGET_TPS, TARGET_ISSUE_P99, TARGET_FANOUT_P99 = 200.0, 100.0, 100.0
TARGET_ISSUE_P99_4 = 50.0


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except OSError:
        return ""


def environment() -> dict:
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    mem = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            if k in ("MemTotal", "MemAvailable"):
                mem[k] = int(v.split()[0])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": next(
            (
                ln.split(":", 1)[1].strip()
                for ln in open("/proc/cpuinfo")
                if ln.startswith("model name")
            ),
            platform.processor(),
        ),
        "loadavg_at_start": [float(x) for x in load],
        "mem_kb": mem,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty_files": len([ln for ln in _git("status", "--porcelain").splitlines() if ln]),
    }


def _mb(kb: int | float) -> str:
    return f"{kb / 1024:.0f} MB"


def _ok(flag: bool | None) -> str:
    return "" if flag is None else ("PASS" if flag else "MISS")


def table(results: dict) -> str:
    lines = []

    def row(*cells):
        lines.append(" | ".join(str(c) for c in cells))

    row(
        "benchmark",
        "db / workers",
        "throughput",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "errors / integrity",
        "target",
    )
    row(*["---"] * 9)
    for key in ("issue_sqlite", "issue_postgres"):
        for r in results.get(key, []):
            target = None
            if r["clients"] == 16:
                target = r["tickets_per_s"] >= TARGET_TPS and r["p99_ms"] < TARGET_ISSUE_P99
            elif r["clients"] == 4:
                target = r["p99_ms"] < TARGET_ISSUE_P99_4
            row(
                f"issue, {r['clients']} clients",
                f"{r['database']} w{r['workers']}",
                f"{r['tickets_per_s']:.0f} tickets/s",
                r["p50_ms"],
                r["p95_ms"],
                r["p99_ms"],
                r["max_ms"],
                f"{r['errors']} err, {r['duplicate_codes']} dup codes, {r['number_gaps']} gaps",
                _ok(target),
            )
    for key in ("call_next_sqlite", "call_next_postgres"):
        r = results.get(key)
        if r:
            row(
                "call-next, 4 counters",
                f"{r['database']} w{r['workers']}",
                f"{r['calls_per_s']:.0f} calls/s",
                r["p50_ms"],
                r["p95_ms"],
                r["p99_ms"],
                r["max_ms"],
                f"{r['errors']} err, {r['double_calls']} double calls, "
                f"{r['never_called']} never called",
                "",
            )
    for key in ("sse_sqlite", "sse_postgres"):
        s = results.get(key)
        if not s:
            continue
        for name in ("fanout", "fanout_burst"):
            f = s.get(name)
            if not f:
                continue
            target = f["to_all_p99_ms"] < TARGET_FANOUT_P99 if name == "fanout" else None
            row(
                f"call -> all {f['displays']} displays ({f['mode']})",
                f"{s['database']} w{s['workers']}",
                f"{f['calls']} calls",
                f["to_all_p50_ms"],
                f["to_all_p95_ms"],
                f["to_all_p99_ms"],
                f["to_all_max_ms"],
                f"exactly once: {f['every_display_every_call_once']} (missing "
                f"{f['missing_deliveries']}, dup {f['duplicate_deliveries']})",
                _ok(target),
            )
    slow = results.get("slow_clients")
    if slow:
        row(
            f"issue, {slow['clients']} clients beside {slow['slow_connections']} half-sent",
            "sqlite w1",
            f"{slow['tickets_per_s']:.0f} tickets/s",
            slow["p50_ms"],
            slow["p95_ms"],
            slow["p99_ms"],
            slow["max_ms"],
            f"{slow['errors']} err",
            _ok(slow["p99_ok"]),
        )
    fp = results.get("footprint")
    if fp:
        row(
            f"footprint after {fp['tickets']} tickets",
            "sqlite w1",
            f"{fp['rss_mb']} MB in {fp['processes']} process(es)",
            "",
            "",
            "",
            "",
            f"idle, 10 displays: {100 * fp['idle_cores_10_displays']:.2f} % of a core",
            _ok(fp["rss_ok"] and fp["idle_ok"]),
        )

    out = "\n".join(lines)
    extra = []
    for key in ("sse_sqlite", "sse_postgres"):
        s = results.get(key)
        if not s:
            continue
        if s.get("idle"):
            i = s["idle"]
            extra.append(
                f"idle display [{s['database']} w{s['workers']}]: {i['bytes']} B in "
                f"{i['seconds']:.0f} s ({i['heartbeats']} heartbeats) = "
                f"{i['bytes_per_min']:.0f} B/min payload, ~{i['wire_bytes_per_min_est']:.0f}"
                f" B/min on the wire; server CPU idle {i['server_cpu_ms_per_min_idle']} "
                f"ms/min"
            )
        fl = s.get("first_load")
        if fl and key == "sse_sqlite":
            parts = ", ".join(
                f"{r['path']} {r['bytes']} B" for r in fl["resources"] if not r.get("external")
            )
            extra.append(
                f"/display/ first load: {fl['requests']} requests, {fl['body_bytes']} B "
                f"bodies, {fl['with_headers_bytes']} B with headers (gzip: "
                f"{fl['gzip_body_bytes']} B); repeat visit {fl['repeat_visit_bytes']} B"
                f" [{parts}]"
            )
        f = s.get("fanout")
        if f and f["calls_per_worker"]:
            extra.append(
                f"displays per worker [{s['database']} w{s['workers']}]: "
                f"{sorted(f['displays_per_worker'].values())}; calls taken per worker: "
                f"{sorted(f['calls_per_worker'].values())}"
            )
    mem = []
    for label, rss in results.get("memory", {}).items():
        mem.append(
            f"{label}: total {_mb(rss['total_kb'])} (processes "
            f"{', '.join(_mb(p) for p in rss['processes_kb'])}; peak "
            f"{_mb(rss['total_peak_kb'])})"
        )
    return out + "\n\n" + "\n".join(extra) + "\n\nmemory (RSS):\n  " + "\n  ".join(mem)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small counts (a smoke run, ~2 min)")
    ap.add_argument(
        "--postgres",
        action="store_true",
        help="also run on PostgreSQL with --workers 4 (private throw-away cluster)",
    )
    ap.add_argument("--pg-url", default=None, help="use this PostgreSQL instead of starting one")
    ap.add_argument("--pg-workers", type=int, default=4)
    ap.add_argument(
        "--idle-seconds",
        type=float,
        default=None,
        help="idle-display window (default 60 s, --quick 20 s)",
    )
    ap.add_argument(
        "--only",
        default="issue,call,sse,footprint,slow",
        help="comma list of: issue, call, sse, footprint, slow",
    )
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    args = ap.parse_args()

    q = args.quick
    cfg = {
        "issue_count": 300 if q else 2000,
        "call_tickets": 400 if q else 2000,
        "sse_displays": 50,
        "sse_calls": 20 if q else 50,
        "sse_burst_calls": 20 if q else 40,
        "sse_spacing": 0.1,
        "idle_seconds": args.idle_seconds or (20.0 if q else 60.0),
        "slow_connections": 1000,
        "slow_issues": 200 if q else 500,
    }
    only = set(args.only.split(","))
    started = time.time()
    results: dict = {"config": cfg, "environment": environment(), "memory": {}}
    print(f"antrian bench: {json.dumps(cfg)}\n  environment: {results['environment']}")

    sw = 1  # SQLite is served by one process
    if "issue" in only:
        print("issue (SQLite):")
        results["issue_sqlite"] = issue_tickets.run(count=cfg["issue_count"], workers=sw)
        last = results["issue_sqlite"][-1]
        results["memory"][f"sqlite w{sw} idle"] = last["rss_idle"]
        results["memory"][f"sqlite w{sw} after 16-client issue"] = last["rss_after"]
    if "call" in only:
        print("call-next (SQLite):")
        results["call_next_sqlite"] = call_next.run(cfg["call_tickets"], workers=sw)
    if "sse" in only:
        print(f"SSE displays (SQLite, {sw} worker(s)):")
        results["sse_sqlite"] = sse_fanout.run(
            None,
            sw,
            cfg["sse_displays"],
            cfg["sse_calls"],
            cfg["sse_spacing"],
            cfg["idle_seconds"],
            burst=cfg["sse_burst_calls"],
        )
        results["memory"][f"sqlite w{sw} with 50 SSE streams"] = results["sse_sqlite"]["fanout"][
            "rss_with_streams"
        ]
    if "footprint" in only:
        print("footprint (SQLite):")
        results["footprint"] = footprint.run(cfg["issue_count"], cfg["idle_seconds"])
    if "slow" in only:
        print("slow clients (SQLite):")
        results["slow_clients"] = slow_clients.run(cfg["slow_connections"], cfg["slow_issues"])

    if args.postgres or args.pg_url:
        w = args.pg_workers
        with postgres_cluster(args.pg_url) as pg:
            new_db = pg.new_database if pg.owned else (lambda: pg.url)
            print(f"PostgreSQL ({pg.url.split('@')[-1]}), --workers {w}:")
            if "sse" in only:
                results["sse_postgres"] = sse_fanout.run(
                    new_db(),
                    w,
                    cfg["sse_displays"],
                    cfg["sse_calls"],
                    cfg["sse_spacing"],
                    cfg["idle_seconds"] if not q else None,
                    burst=cfg["sse_burst_calls"],
                )
                results["memory"][f"postgresql w{w} with 50 SSE streams"] = results["sse_postgres"][
                    "fanout"
                ]["rss_with_streams"]
            if "issue" in only:
                results["issue_postgres"] = issue_tickets.run(
                    count=cfg["issue_count"], database_url_factory=new_db, workers=w
                )
            if "call" in only:
                results["call_next_postgres"] = call_next.run(cfg["call_tickets"], new_db(), w)

    results["environment"]["loadavg_at_end"] = [
        float(x) for x in open("/proc/loadavg").read().split()[:3]
    ]
    results["duration_s"] = round(time.time() - started, 1)
    text = table(results)
    results["table"] = text
    print("\n" + text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = RESULTS / f"{stamp}{'-quick' if q else ''}.json"
        path.write_text(json.dumps(results, indent=2, default=str))
        print(f"\nwritten: {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
