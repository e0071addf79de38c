"""Four counters draining a queue: call-next throughput, latency, and 0 double calls.

N tickets are issued first (services A-E in turn, not timed); then counters 1-4, one thread and
one keep-alive connection each, POST /api/v1/counters/<n>/call-next until the queue is empty
(409). Every ticket must be called exactly once: the set of returned ids has no repeats and
equals the set issued.

    .venv/bin/python -m bench.call_next [--tickets 2000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time

from bench.client import Client, latency_summary, run_threads
from bench.server import running_server

SERVICES = "ABCDE"


def preissue(base_url: str, n: int, clients: int = 8) -> list[int]:
    ids: list[int] = []
    lock = threading.Lock()
    seq = itertools.count()

    def worker(_i: int, barrier: threading.Barrier) -> None:
        client = Client(base_url)
        barrier.wait()
        while (k := next(seq)) < n:
            status, body, _ = client.post_json(
                "/api/v1/tickets", {"service": SERVICES[k % len(SERVICES)]}
            )
            if status != 201:
                raise RuntimeError(f"pre-issue failed: {status} {body}")
            with lock:
                ids.append(body["id"])
        client.close()

    run_threads(clients, worker)
    return ids


def drain(base_url: str, token: str, counters=(1, 2, 3, 4), server=None) -> dict:
    calls: list[list[tuple[int, float]]] = [[] for _ in counters]
    errors: list[dict] = []
    lock = threading.Lock()

    def worker(i: int, barrier: threading.Barrier) -> None:
        client = Client(base_url, token=token)
        client._connect().close()
        barrier.wait()
        path = f"/api/v1/counters/{counters[i]}/call-next"
        while True:
            status, body, elapsed = client.post_json(path)
            if status == 200:
                calls[i].append((body["id"], elapsed))
            elif status == 409:
                break  # nobody waits for this counter any more
            else:
                with lock:
                    errors.append({"counter": counters[i], "status": status, "body": body})
                if len(errors) > 50:
                    break
        client.close()

    cpu0 = server.cpu_seconds() if server else 0.0
    wall = run_threads(len(counters), worker)
    server_cpu = (server.cpu_seconds() - cpu0) if server else float("nan")
    ids = [tid for per in calls for tid, _ in per]
    lat = [s for per in calls for _, s in per]
    return {
        "calls": len(ids),
        "wall_s": round(wall, 3),
        "calls_per_s": round(len(ids) / wall, 1) if wall else 0.0,
        **latency_summary(lat),
        "errors": len(errors),
        "error_samples": errors[:5],
        "double_calls": len(ids) - len(set(ids)),
        "per_counter": [len(per) for per in calls],
        "ids": ids,
        "server_cpu_cores": round(server_cpu / wall, 2) if wall else None,
        "server_cpu_ms_per_call": round(1000 * server_cpu / len(ids), 2) if ids else None,
    }


def run(
    tickets: int = 2000,
    database_url: str | None = None,
    workers: int = 1,
    log=print,
    server_opts: dict | None = None,
) -> dict:
    with running_server(database_url=database_url, workers=workers, **(server_opts or {})) as srv:
        t0 = time.perf_counter()
        issued = preissue(srv.base_url, tickets)
        preissue_s = time.perf_counter() - t0
        row = drain(srv.base_url, srv.token, server=srv)
        called = set(row.pop("ids"))
        row.update(
            tickets=tickets,
            database=srv.database,
            workers=workers,
            preissue_s=round(preissue_s, 2),
            never_called=len(set(issued) - called),
            called_but_not_issued=len(called - set(issued)),
            rss_after=srv.rss(),
            rss_idle=srv.notes["rss_idle"],
        )
        status, queue, _ = Client(srv.base_url).get_json("/api/v1/queue")
        row["left_waiting"] = (
            sum(s["waiting"] for s in queue["services"]) if status == 200 else None
        )
    log(
        f"  call-next 4 counters [{row['database']} w{workers}]: {row['calls_per_s']:.0f} calls/s"
        f"  p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  double calls {row['double_calls']}"
        f"  never called {row['never_called']}  errors {row['errors']}"
        f"  server cpu {row['server_cpu_cores']} cores ({row['server_cpu_ms_per_call']} ms/call)"
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tickets", type=int, default=2000)
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    print(json.dumps(run(args.tickets, args.database_url, args.workers), indent=2))


if __name__ == "__main__":
    main()
