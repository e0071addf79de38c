"""Issuing while 1,000 connections hold half-sent requests (issue #14, finding 7).

Each slow client opens a connection and sends `POST /api/v1/tickets HTTP/1.1`, `Host`, then
nothing. Then kiosks issue as usual: the target is issuing p99 under 100 ms at 4 clients.

    .venv/bin/python -m bench.slow_clients [--slow 1000] [--count 500] [--clients 4]
"""

from __future__ import annotations

import argparse
import json
import resource
import socket

from bench.issue_tickets import issue_level
from bench.server import running_server

PARTIAL = b"POST /api/v1/tickets HTTP/1.1\r\nHost: kantor\r\n"
P99_TARGET_MS = 100


def run(slow: int = 1000, count: int = 500, clients: int = 4, log=print, **server_opts) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, slow + 512)), hard))
    with running_server(**server_opts) as srv:
        held = []
        try:
            for _ in range(slow):
                sock = socket.create_connection((srv.host, srv.port), timeout=10)
                sock.sendall(PARTIAL)
                held.append(sock)
            row = issue_level(srv.base_url, clients, count=count, server=srv)
        finally:
            for sock in held:
                sock.close()
    row.update(slow_connections=slow, p99_ok=row["p99_ms"] < P99_TARGET_MS and not row["errors"])
    log(
        f"  issue {clients} clients beside {slow} half-sent requests [{srv.database}]: "
        f"{row['tickets_per_s']:.0f} tickets/s, p99 {row['p99_ms']} ms, errors {row['errors']} "
        f"({'PASS' if row['p99_ok'] else 'MISS'} < {P99_TARGET_MS} ms)"
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--slow", type=int, default=1000)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    out = run(args.slow, args.count, args.clients)
    print(json.dumps({k: v for k, v in out.items() if not isinstance(v, dict)}, indent=2))


if __name__ == "__main__":
    main()
