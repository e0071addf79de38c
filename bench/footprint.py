"""The whole server's footprint: memory after a 2,000-ticket rush, CPU while idle with 10 displays.

Targets (issue #13): under 150 MB RSS for every process the server runs, after the rush; under
1 % of a core (600 ms of CPU a minute) while idle with 10 displays open.

    .venv/bin/python -m bench.footprint [--tickets 2000] [--idle-seconds 60]
"""

from __future__ import annotations

import argparse
import json
import time

from bench.client import Client
from bench.issue_tickets import issue_level
from bench.server import running_server
from bench.sse import DisplayFleet

RSS_TARGET_MB = 150
IDLE_TARGET_CORE = 0.01
PRINT_WAIT_SECONDS = 300.0


def slips_waiting(base_url: str, token: str) -> int:
    """Print jobs not yet printed, over every printer (GET /api/v1/printers)."""
    client = Client(base_url, token=token)
    try:
        status, printers, _ = client.get_json("/api/v1/printers")
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"/api/v1/printers answered {status}")
    return sum(p["waiting"] for p in printers)


def wait_for_printing(srv, timeout: float = PRINT_WAIT_SECONDS) -> float:
    """Seconds until every slip of the rush is printed. The kiosks' writes come first in a rush
    (each slip is two writes, in turn with theirs: antrian/db.py WriterTurn), so the printer
    catches up after it; the server is not idle before that."""
    t0 = time.monotonic()
    while slips_waiting(srv.base_url, srv.token):
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"slips still waiting after {timeout:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - t0


def run(tickets: int = 2000, idle_seconds: float = 60.0, log=print, **server_opts) -> dict:
    with running_server(**server_opts) as srv:
        rush = issue_level(srv.base_url, 16, count=tickets, server=srv)
        printed_after = wait_for_printing(srv)
        rss = srv.rss()
        with DisplayFleet(srv.host, srv.port, 10) as fleet:
            if not fleet.wait_for(lambda: fleet.all_have("snapshot"), timeout=30):
                raise RuntimeError("the displays got no snapshot")
            time.sleep(2.0)
            cpu0, t0 = srv.cpu_seconds(), time.monotonic()
            time.sleep(idle_seconds)
            cores = (srv.cpu_seconds() - cpu0) / (time.monotonic() - t0)
    out = {
        "tickets": rush["issued"],
        "rss_mb": round(rss["total_kb"] / 1024, 1),
        "processes": len(rss["processes_kb"]),
        "slips_printed_after_s": round(printed_after, 1),
        "idle_cores_10_displays": round(cores, 4),
        "rss_ok": rss["total_kb"] / 1024 < RSS_TARGET_MB,
        "idle_ok": cores < IDLE_TARGET_CORE,
    }
    log(
        f"  footprint [{srv.database} w{srv.workers}]: {out['rss_mb']} MB RSS in "
        f"{out['processes']} process(es) after {out['tickets']} tickets "
        f"(their slips all printed {out['slips_printed_after_s']} s after the rush) "
        f"({'PASS' if out['rss_ok'] else 'MISS'} < {RSS_TARGET_MB} MB); idle with 10 displays "
        f"{100 * cores:.2f} % of a core ({'PASS' if out['idle_ok'] else 'MISS'} < 1 %)"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tickets", type=int, default=2000)
    ap.add_argument("--idle-seconds", type=float, default=60.0)
    args = ap.parse_args()
    print(json.dumps(run(args.tickets, args.idle_seconds), indent=2))


if __name__ == "__main__":
    main()
