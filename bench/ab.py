"""A/B runs for the diagnosis: the same benchmark on the server as is and with prototype patches
(bench/experiments.py), alternating A, B, A, B so drift on a shared machine hits both alike.

    .venv/bin/python -m bench.ab issue  --variants base,no_peer_wake --workers 2
    .venv/bin/python -m bench.ab issue  --variants base,ANTRIAN_ADMISSION_SLOTS=1 --workers 2
    .venv/bin/python -m bench.ab fanout --variants base,nospeech [--postgres --workers 4]

A variant is `base` or patch names joined by `+` (bench/experiments.py lists them) plus the
pseudo-patches `nospooler` (ANTRIAN_BACKGROUND=0: no print spooler in the web process),
`nospeech` (no espeak-ng on PATH) and `NAME=value` (an environment variable for the server,
e.g. `ANTRIAN_ADMISSION_SLOTS=1`).
"""

from __future__ import annotations

import argparse
import json
import statistics

from bench import issue_tickets, sse_fanout
from bench.postgres import postgres_cluster


def server_opts(variant: str) -> dict:
    parts = [p for p in variant.split("+") if p and p != "base"]
    env = {}
    if "nospooler" in parts:
        env["ANTRIAN_BACKGROUND"] = "0"
    if "nospeech" in parts:
        env["PATH"] = "/nonexistent"
    env.update(p.split("=", 1) for p in parts if "=" in p)
    patches = ",".join(p for p in parts if p not in ("nospooler", "nospeech") and "=" not in p)
    return {"patches": patches or None, "extra_env": env or None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("scenario", choices=["issue", "fanout", "burst"])
    ap.add_argument("--variants", default="base,no_peer_wake")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--count", type=int, default=1000, help="issue: tickets per run")
    ap.add_argument("--clients", type=int, default=16, help="issue: concurrent clients")
    ap.add_argument("--calls", type=int, default=40, help="fanout/burst: calls per run")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--pg-url", default=None)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    variants = args.variants.split(",")
    rows: dict[str, list[dict]] = {v: [] for v in variants}

    def once(variant: str, db_url: str | None) -> dict:
        opts = server_opts(variant)
        if args.scenario == "issue":
            return issue_tickets.run(
                [args.clients],
                args.count,
                database_url_factory=(lambda: db_url) if db_url else None,
                workers=args.workers,
                server_opts=opts,
                log=lambda m: print(f"  [{variant}]{m}"),
            )[0]
        out = sse_fanout.run(
            db_url,
            args.workers,
            50,
            0 if args.scenario == "burst" else args.calls,
            0.1,
            None,
            burst=args.calls if args.scenario == "burst" else 0,
            server_opts=opts,
            log=lambda m: print(f"  [{variant}]{m}") if "fan-out" in m else None,
        )
        return out["fanout_burst" if args.scenario == "burst" else "fanout"]

    def loop(new_db) -> None:
        for _ in range(args.rounds):
            for v in variants:
                rows[v].append(once(v, new_db() if new_db else None))

    if args.postgres or args.pg_url:
        with postgres_cluster(args.pg_url) as pg:
            loop(pg.new_database if pg.owned else (lambda: pg.url))
    else:
        loop(None)

    print("\nsummary (median over rounds):")
    keys = (
        ["tickets_per_s", "p50_ms", "p99_ms", "max_ms", "errors", "duplicate_codes"]
        if args.scenario == "issue"
        else ["to_all_p50_ms", "to_all_p99_ms", "to_all_max_ms", "missing_deliveries"]
    )
    summary = {}
    for v, rs in rows.items():
        summary[v] = {k: statistics.median(r[k] for r in rs if r.get(k) is not None) for k in keys}
        if args.scenario != "issue":
            summary[v]["exactly_once_runs"] = sum(r["every_display_every_call_once"] for r in rs)
            summary[v]["runs"] = len(rs)
        print(f"  {v:<28} " + "  ".join(f"{k} {summary[v][k]}" for k in summary[v]))
    print(json.dumps({"scenario": args.scenario, "summary": summary}, default=str))


if __name__ == "__main__":
    main()
