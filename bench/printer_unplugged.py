"""Issue latency with the kiosk printer unplugged vs a working (file) printer.

Printing happens in the spooler thread, never in the request, so a printer that refuses every
connection (tcp://127.0.0.1:<closed port>) must not change issue latency. Rounds alternate
file / unplugged on fresh servers (ABAB...) so drift on a shared machine hits both alike.
Afterwards the print_jobs table (SQLite, read with the stdlib sqlite3) shows what the spooler
did: all `done` for the file printer; `pending`/`failed` with an error for the dead one.

    .venv/bin/python -m bench.printer_unplugged [--issues 500] [--clients 4] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time

from bench.issue_tickets import issue_level
from bench.server import closed_port, running_server


def _print_jobs(srv) -> dict:
    path = srv.sqlite_path
    if path is None or not path.exists():
        return {}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        rows = con.execute(
            "SELECT status, count(*), max(attempts) FROM print_jobs WHERE printer='kiosk' "
            "GROUP BY status"
        ).fetchall()
        err = con.execute(
            "SELECT last_error FROM print_jobs WHERE last_error IS NOT NULL LIMIT 1"
        ).fetchone()
        events = con.execute(
            "SELECT kind, count(*) FROM events WHERE kind LIKE 'printer.%' GROUP BY kind"
        ).fetchall()
    finally:
        con.close()
    return {
        "jobs": {s: n for s, n, _ in rows},
        "max_attempts": max((a or 0 for *_, a in rows), default=0),
        "last_error": err[0] if err else None,
        "printer_events": dict(events),
    }


def one(printer: str, issues: int, clients: int) -> dict:
    url = None if printer == "file" else f"tcp://127.0.0.1:{closed_port()}"
    with running_server(printer_url=url) as srv:
        row = issue_level(srv.base_url, clients, count=issues, server=srv)
        time.sleep(1.5)  # let the spooler work through what is due
        row["printer"], row["printer_url"] = printer, url or "file://<instance>/kiosk.bin"
        row["print_jobs"] = _print_jobs(srv)
    return row


def run(issues: int = 500, clients: int = 4, rounds: int = 2, log=print) -> dict:
    rows = []
    for r in range(rounds):
        for printer in ("file", "unplugged"):
            row = one(printer, issues, clients)
            row["round"] = r + 1
            rows.append(row)
            log(
                f"  printer {printer:>9} round {r + 1}: p50 {row['p50_ms']} ms  p99 {row['p99_ms']}"
                f" ms  {row['tickets_per_s']:.0f} tickets/s  errors {row['errors']}  "
                f"jobs {row['print_jobs'].get('jobs')}  {row['print_jobs'].get('last_error') or ''}"
            )
    summary = {}
    for printer in ("file", "unplugged"):
        mine = [r for r in rows if r["printer"] == printer]
        summary[printer] = {
            "p50_ms": round(statistics.median(r["p50_ms"] for r in mine), 2),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in mine), 2),
            "tickets_per_s": round(statistics.median(r["tickets_per_s"] for r in mine), 1),
            "errors": sum(r["errors"] for r in mine),
        }
    f, u = summary["file"], summary["unplugged"]
    summary["p50_ratio"] = round(u["p50_ms"] / f["p50_ms"], 2) if f["p50_ms"] else None
    summary["p99_ratio"] = round(u["p99_ms"] / f["p99_ms"], 2) if f["p99_ms"] else None
    log(
        f"  printer summary (median of {rounds} rounds): file p50 {f['p50_ms']} / p99 {f['p99_ms']}"
        f" ms; unplugged p50 {u['p50_ms']} / p99 {u['p99_ms']} ms; ratio p50 "
        f"{summary['p50_ratio']} p99 {summary['p99_ratio']}"
    )
    return {"issues": issues, "clients": clients, "rounds": rows, "summary": summary}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--issues", type=int, default=500)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    print(json.dumps(run(args.issues, args.clients, args.rounds), indent=2, default=str))


if __name__ == "__main__":
    main()
