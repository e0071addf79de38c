"""Ticket issue throughput and latency at 1, 4 and 16 concurrent kiosk clients.

Each client thread keeps one HTTP/1.1 keep-alive connection and POSTs /api/v1/tickets
{"service": "A"} as fast as it can, until the level's fixed count (or --duration) is reached.
Before the clock starts, 20 warm-up tickets are issued and each client issues 3 on its own
connection (counted in the checks below, not in the timings).
Every level runs on a fresh server, so levels do not inherit each other's table sizes.
Checks: 0 duplicate ticket codes, and the numbers 1..N without gaps.

    .venv/bin/python -m bench.issue_tickets [--count 2000] [--levels 1,4,16] [--duration S]
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time

from bench.client import Client, latency_summary, run_threads
from bench.server import running_server

WARMUP = 20
CLIENT_WARMUP = 3  # per client, on its own connection


def issue_level(
    base_url: str,
    clients: int,
    count: int | None = None,
    duration: float | None = None,
    service: str = "A",
    warmup: int = WARMUP,
    server=None,
) -> dict:
    """Run one concurrency level against a running server; returns its numbers."""
    codes: list[str] = []
    numbers: list[int] = []
    lock = threading.Lock()

    warm = Client(base_url)
    for _ in range(warmup):
        status, body, _ = warm.post_json("/api/v1/tickets", {"service": service})
        if status != 201:
            raise RuntimeError(f"warm-up issue failed: {status} {body}")
        codes.append(body["code"])
        numbers.append(body["number"])
    warm.close()

    ticket_no = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[dict] = []
    conns = [0] * clients

    def worker(i: int, barrier: threading.Barrier) -> None:
        client = Client(base_url)
        # Steady state, as kiosks that have been up all morning: the connection is open and
        # the worker holding it has served it before the clock starts (with several workers,
        # each one's first requests otherwise compile the statements inside the timed run).
        for _ in range(CLIENT_WARMUP):
            status, body, _ = client.post_json("/api/v1/tickets", {"service": service})
            if status != 201:
                raise RuntimeError(f"warm-up issue failed: {status} {body}")
            with lock:
                codes.append(body["code"])
                numbers.append(body["number"])
        barrier.wait()
        deadline = time.perf_counter() + duration if duration else None
        mine = latencies[i]
        while True:
            if deadline is not None:
                if time.perf_counter() >= deadline:
                    break
            elif next(ticket_no) >= count:
                break
            try:
                status, body, elapsed = client.post_json("/api/v1/tickets", {"service": service})
            except OSError as exc:
                with lock:
                    errors.append({"error": repr(exc)})
                client.close()
                continue
            if status == 201 and body and "code" in body:
                mine.append(elapsed)
                with lock:
                    codes.append(body["code"])
                    numbers.append(body["number"])
            else:
                with lock:
                    errors.append({"status": status, "body": body})
        conns[i] = client.connections_opened
        client.close()

    cpu0 = server.cpu_seconds() if server else 0.0
    me0 = time.process_time()
    wall = run_threads(clients, worker)
    server_cpu = (server.cpu_seconds() - cpu0) if server else float("nan")
    bench_cpu = time.process_time() - me0
    all_lat = [x for per in latencies for x in per]
    ok = len(all_lat)
    dupes = len(codes) - len(set(codes))
    expected = set(range(1, len(numbers) + 1))
    return {
        "clients": clients,
        "issued": ok,
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_s": round(wall, 3),
        "tickets_per_s": round(ok / wall, 1) if wall else 0.0,
        **latency_summary(all_lat),
        "duplicate_codes": dupes,
        "number_gaps": len(expected - set(numbers)),
        "connections_opened": sum(conns),
        # Uneven when the clients' connections are shared unevenly between workers.
        "tickets_per_client_min_max": [min(map(len, latencies)), max(map(len, latencies))],
        # CPU seconds used per wall second: how busy the server (and this client) really were.
        "server_cpu_cores": round(server_cpu / wall, 2) if wall else None,
        "server_cpu_ms_per_ticket": round(1000 * server_cpu / ok, 2) if ok else None,
        "bench_cpu_cores": round(bench_cpu / wall, 2) if wall else None,
    }


def run(
    levels=(1, 4, 16),
    count: int | None = 2000,
    duration: float | None = None,
    database_url_factory=None,
    workers: int = 1,
    log=print,
    server_opts: dict | None = None,
) -> list[dict]:
    """`server_opts`: extra running_server() arguments (e.g. patches=, extra_env=)."""
    results = []
    for clients in levels:
        url = database_url_factory() if database_url_factory else None
        with running_server(database_url=url, workers=workers, **(server_opts or {})) as srv:
            row = issue_level(
                srv.base_url,
                clients,
                count=None if duration else count,
                duration=duration,
                server=srv,
            )
            row["database"], row["workers"] = srv.database, workers
            row["rss_after"] = srv.rss()
            row["rss_idle"] = srv.notes["rss_idle"]
        log(
            f"  issue {clients:>2} clients [{row['database']} w{workers}]: "
            f"{row['tickets_per_s']:.0f} tickets/s  p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms"
            f"  p99 {row['p99_ms']} ms  errors {row['errors']}  dupes {row['duplicate_codes']}"
            f"  server cpu {row['server_cpu_cores']} cores "
            f"({row['server_cpu_ms_per_ticket']} ms/ticket)"
            f"  bench cpu {row['bench_cpu_cores']}"
            f"  tickets/client {row['tickets_per_client_min_max']}"
        )
        results.append(row)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="issues per level (default 2000)")
    ap.add_argument("--duration", type=float, default=None, help="seconds per level instead")
    ap.add_argument("--levels", default="1,4,16")
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    factory = (lambda: args.database_url) if args.database_url else None
    rows = run(
        [int(x) for x in args.levels.split(",")], args.count, args.duration, factory, args.workers
    )
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
