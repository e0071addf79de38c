"""Lobby displays: call fan-out latency to 50 SSE clients, idle traffic, first-load size.

fan-out  50 displays hold GET /display/events; then K calls (POST call-next, counters 1-4 in
         turn, one every --spacing s). Per call: time from just before the POST is sent until
         the LAST of the 50 displays has the `call` event for that ticket. Every display must
         get every call exactly once. Each POST uses a fresh connection, so with --workers > 1
         the calls land on different workers; the report shows which worker took each call and
         how the displays are spread over workers (read from /proc).
idle     one display, no activity, for --idle-seconds: bytes received -> bytes per minute
         (heartbeats every 15 s), and the server's CPU while idle.
first    GET /display/ and every stylesheet/script/image it references (CSS url()s too), not
         the chime or speech audio: bytes, and what a repeat visit with validators costs.

    .venv/bin/python -m bench.sse_fanout [--displays 50] [--calls 50] [--spacing 0.1]
                                         [--idle-seconds 60] [--database-url URL --workers 4]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import threading
import time
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.call_next import preissue
from bench.client import latency_summary, run_threads
from bench.postgres import postgres_cluster
from bench.server import Server, running_server
from bench.sse import DisplayFleet, call_codes

AUDIO = (".wav", ".mp3", ".ogg", ".oga", ".m4a", ".opus")


def _post_call(srv: Server, counter: int, owner_lookup: bool):
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
    conn.connect()
    owner = srv.owner_of_client_port(conn.sock.getsockname()[1]) if owner_lookup else None
    headers = {"Authorization": f"Bearer {srv.token}", "Content-Type": "application/json"}
    t0 = time.perf_counter()
    conn.request("POST", f"/api/v1/counters/{counter}/call-next", body=b"{}", headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    t1 = time.perf_counter()
    conn.close()
    return resp.status, body, t0, t1, owner


def fanout(
    srv: Server,
    displays: int = 50,
    calls: int = 50,
    spacing: float = 0.1,
    burst: bool = False,
    log=print,
) -> dict:
    """`burst`: the four counters call at the same moment (4 threads, no spacing), which is
    when commit order and event-id order can differ on PostgreSQL."""
    preissue(srv.base_url, calls, clients=4)
    t_connect = time.perf_counter()
    with DisplayFleet(srv.host, srv.port, displays) as fleet:
        if not fleet.wait_for(lambda: fleet.all_have("snapshot"), timeout=60):
            got = sum(1 for d in fleet.displays if d.count("snapshot"))
            raise RuntimeError(f"only {got} of {displays} displays got their snapshot")
        connect_s = time.perf_counter() - t_connect
        statuses = Counter(d.status for d in fleet.displays)
        per_worker = srv.sse_clients_per_worker()
        rss_streams = srv.rss()
        cpu0 = srv.cpu_seconds()

        sent: dict[str, dict] = {}
        post_lat, failures = [], []
        lock = threading.Lock()

        def record(counter, status, body, t0, t1, owner):
            with lock:
                if status != 200:
                    failures.append({"status": status, "body": body[:200].decode(errors="replace")})
                else:
                    sent[json.loads(body)["code"]] = {"t0": t0, "counter": counter, "worker": owner}
                    post_lat.append(t1 - t0)

        if burst:

            def counter_thread(i: int, barrier: threading.Barrier) -> None:
                barrier.wait()
                for _ in range(calls // 4 + (1 if i < calls % 4 else 0)):
                    record(i + 1, *_post_call(srv, i + 1, False))

            run_threads(4, counter_thread)
        else:
            for i in range(calls):
                counter = i % 4 + 1
                t_start = time.perf_counter()
                record(counter, *_post_call(srv, counter, True))
                pause = t_start + spacing - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)

        def complete() -> bool:
            return all(len(d.events.get("call", ())) >= len(sent) for d in fleet.displays)

        fleet.wait_for(complete, timeout=20)
        time.sleep(0.3)  # let any duplicate arrive before counting
        cpu_s = srv.cpu_seconds() - cpu0
        with fleet.lock:
            received = [call_codes(d) for d in fleet.displays]
            closed = sum(1 for d in fleet.displays if d.closed)

    to_all, each = [], []
    missing = duplicates = unexpected = 0
    missing_codes = Counter()
    for code, info in sent.items():
        times = []
        for rec in received:
            got = [t for t, c, _ in rec if c == code]
            if not got:
                missing += 1
                missing_codes[code] += 1
                continue
            duplicates += len(got) - 1
            times.append(got[0] - info["t0"])
        each.extend(times)
        if len(times) == displays:
            to_all.append(max(times))
    for rec in received:
        unexpected += sum(1 for _t, c, _ in rec if c not in sent)
    # Not tracked in burst mode (the /proc lookup would slow the burst down).
    workers_used = Counter(info["worker"] for info in sent.values() if info["worker"])
    summary = latency_summary(to_all)
    row = {
        "mode": "burst (4 counters at once)" if burst else f"spaced {spacing:g} s",
        "displays": displays,
        "calls": len(sent),
        "spacing_s": None if burst else spacing,
        "call_failures": len(failures),
        "failure_samples": failures[:3],
        "connect_all_s": round(connect_s, 2),
        "http_statuses": {str(k): v for k, v in statuses.items()},
        "to_all_p50_ms": summary["p50_ms"],
        "to_all_p95_ms": summary["p95_ms"],
        "to_all_p99_ms": summary["p99_ms"],
        "to_all_max_ms": summary["max_ms"],
        "to_all_n": summary["n"],
        "per_display_p50_ms": latency_summary(each)["p50_ms"],
        "post_p50_ms": latency_summary(post_lat)["p50_ms"],
        "post_p99_ms": latency_summary(post_lat)["p99_ms"],
        "missing_deliveries": missing,
        "calls_missed_by_some_display": len(missing_codes),
        "duplicate_deliveries": duplicates,
        "unexpected_calls": unexpected,
        "every_display_every_call_once": missing == 0
        and duplicates == 0
        and unexpected == 0
        and len(sent) == calls,
        "streams_closed_early": closed,
        "displays_per_worker": {str(k): v for k, v in per_worker.items()},
        "calls_per_worker": {str(k): v for k, v in workers_used.items()},
        "rss_with_streams": rss_streams,
        "server_cpu_s_during_calls": round(cpu_s, 2),
    }
    log(
        f"  fan-out {displays} displays x {len(sent)} calls, {row['mode']} "
        f"[{srv.database} w{srv.workers}]: to-all p50 {row['to_all_p50_ms']} ms  "
        f"p99 {row['to_all_p99_ms']} ms  max {row['to_all_max_ms']} ms  "
        f"(the POST itself: p50 {row['post_p50_ms']} ms)  "
        f"exactly-once {row['every_display_every_call_once']} (missing {missing}, dup "
        f"{duplicates})  displays/worker {sorted(per_worker.values())}  calls/worker "
        f"{sorted(workers_used.values())}"
    )
    return row


def idle_traffic(srv: Server, seconds: float = 60.0, log=print) -> dict:
    with DisplayFleet(srv.host, srv.port, 1, log_bytes=True) as fleet:
        if not fleet.wait_for(lambda: fleet.all_have("snapshot"), timeout=30):
            raise RuntimeError("idle display got no snapshot")
        time.sleep(0.2)
        with fleet.lock:
            initial = fleet.displays[0].bytes_in
        start = time.perf_counter()
        cpu0 = srv.cpu_seconds()
        time.sleep(seconds)
        cpu_s = srv.cpu_seconds() - cpu0
        end = time.perf_counter()
        with fleet.lock:
            d = fleet.displays[0]
            window = [(t, n) for t, n in d.bytes_log if start <= t < end]
            beats = sum(1 for t, _i, _d in d.events.get("heartbeat", ()) if start <= t < end)
            other = {
                k: sum(1 for t, *_ in v if start <= t < end)
                for k, v in d.events.items()
                if k != "heartbeat"
            }
    payload = sum(n for _t, n in window)
    per_min = payload * 60.0 / seconds
    # Rough on-the-wire figure: each data segment + the display's ACK, 66 B of headers each
    # (Ethernet 14 + IPv4 20 + TCP 32 with timestamps).
    wire_per_min = (payload + len(window) * 2 * 66) * 60.0 / seconds
    row = {
        "seconds": seconds,
        "initial_bytes": initial,
        "bytes": payload,
        "segments": len(window),
        "heartbeats": beats,
        "other_events": {k: v for k, v in other.items() if v},
        "bytes_per_min": round(per_min, 1),
        "wire_bytes_per_min_est": round(wire_per_min, 1),
        "server_cpu_ms_per_min_idle": round(cpu_s * 1000 * 60.0 / seconds, 1),
    }
    log(
        f"  idle display {seconds:.0f} s [{srv.database} w{srv.workers}]: {payload} B "
        f"({beats} heartbeats) = {per_min:.0f} B/min payload, "
        f"~{wire_per_min:.0f} B/min on the wire;"
        f" server CPU {row['server_cpu_ms_per_min_idle']} ms/min; first bytes {initial} B"
    )
    return row


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if any(
                r in rel for r in ("stylesheet", "icon", "preload", "modulepreload", "manifest")
            ):
                self.refs.append((f"link[{rel}]", a["href"]))
        elif tag in ("script", "img", "source") and a.get("src"):
            self.refs.append((tag, a["src"]))


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _get(srv: Server, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    head = (
        len(f"HTTP/1.1 {resp.status} {resp.reason}\r\n")
        + sum(len(k) + len(v) + 4 for k, v in resp.getheaders())
        + 2
    )
    return resp, body, head


def first_load(srv: Server, path: str = "/display/", log=print) -> dict:
    resources = []
    queue = [("document", path)]
    seen = set()
    while queue:
        kind, ref = queue.pop(0)
        url = urljoin(srv.base_url + path, ref)
        parts = urlsplit(url)
        if parts.netloc != f"{srv.host}:{srv.port}":
            resources.append({"kind": kind, "path": ref, "external": True})
            continue
        rel = parts.path + (f"?{parts.query}" if parts.query else "")
        if rel in seen or parts.path.lower().endswith(AUDIO):
            continue
        seen.add(rel)
        resp, body, head = _get(srv, rel)
        item = {
            "kind": kind,
            "path": rel,
            "status": resp.status,
            "bytes": len(body),
            "header_bytes": head,
            "gzip_bytes": len(gzip.compress(body, 6)),
            "content_type": resp.getheader("Content-Type"),
            "cache_control": resp.getheader("Cache-Control"),
            "etag": bool(resp.getheader("ETag")),
            "last_modified": bool(resp.getheader("Last-Modified")),
        }
        # A repeat visit: what the browser revalidates with the validators it got.
        cond = {}
        if resp.getheader("ETag"):
            cond["If-None-Match"] = resp.getheader("ETag")
        if resp.getheader("Last-Modified"):
            cond["If-Modified-Since"] = resp.getheader("Last-Modified")
        if cond:
            r2, b2, h2 = _get(srv, rel, cond)
            item["repeat_status"], item["repeat_bytes"] = r2.status, len(b2) + h2
        else:
            item["repeat_status"], item["repeat_bytes"] = resp.status, len(body) + head
        resources.append(item)
        ctype = (resp.getheader("Content-Type") or "").lower()
        if "html" in ctype:
            parser = _Refs()
            parser.feed(body.decode("utf-8", "replace"))
            base = srv.base_url + rel
            queue.extend((k, urljoin(base, r)) for k, r in parser.refs)
        elif "css" in ctype:
            base = srv.base_url + rel
            for m in _CSS_URL.finditer(body.decode("utf-8", "replace")):
                ref2 = m.group(1) or m.group(2)
                if not ref2.startswith("data:"):
                    queue.append(("css-url", urljoin(base, ref2)))
    local = [r for r in resources if not r.get("external")]
    row = {
        "resources": resources,
        "requests": len(local),
        "body_bytes": sum(r["bytes"] for r in local),
        "with_headers_bytes": sum(r["bytes"] + r["header_bytes"] for r in local),
        "gzip_body_bytes": sum(r["gzip_bytes"] for r in local),
        "repeat_visit_bytes": sum(r["repeat_bytes"] for r in local),
        "external_refs": [r["path"] for r in resources if r.get("external")],
    }
    log(
        f"  /display/ first load: {row['requests']} requests, {row['body_bytes']} B bodies "
        f"({row['with_headers_bytes']} B with headers; gzip would be {row['gzip_body_bytes']} B); "
        f"repeat visit {row['repeat_visit_bytes']} B; "
        + ", ".join(f"{r['path']} {r['bytes']} B" for r in local)
    )
    return row


def run(
    database_url: str | None = None,
    workers: int = 1,
    displays: int = 50,
    calls: int = 50,
    spacing: float = 0.1,
    idle_seconds: float | None = 60.0,
    log=print,
    no_speech: bool = False,
    burst: int = 0,
    server_opts: dict | None = None,
) -> dict:
    out = {}
    opts = dict(server_opts or {})
    if no_speech:  # diagnostic: PATH without espeak-ng makes the server skip server-side speech
        opts["extra_env"] = {**opts.get("extra_env", {}), "PATH": "/nonexistent"}
    with running_server(database_url=database_url, workers=workers, **opts) as srv:
        out["database"], out["workers"] = srv.database, workers
        out["server_speech"] = not no_speech
        out["rss_idle"] = srv.notes["rss_idle"]
        out["first_load"] = first_load(srv, log=log)
        if calls:
            out["fanout"] = fanout(srv, displays, calls, spacing, log=log)
        if burst:
            out["fanout_burst"] = fanout(srv, displays, burst, burst=True, log=log)
        if idle_seconds:
            out["idle"] = idle_traffic(srv, idle_seconds, log=log)
        out["rss_after"] = srv.rss()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--displays", type=int, default=50)
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--spacing", type=float, default=0.1, help="seconds between calls")
    ap.add_argument("--idle-seconds", type=float, default=60.0, help="0 to skip the idle test")
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    ap.add_argument(
        "--postgres",
        action="store_true",
        help="start a private throw-away PostgreSQL (scripts/test_postgres.sh)",
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument(
        "--burst", type=int, default=0, help="also N calls by 4 counters at once (0: skip)"
    )
    ap.add_argument(
        "--no-speech",
        action="store_true",
        help="diagnostic: start the server without espeak-ng on PATH",
    )
    args = ap.parse_args()
    opts = dict(
        workers=args.workers,
        displays=args.displays,
        calls=args.calls,
        spacing=args.spacing,
        idle_seconds=args.idle_seconds,
        no_speech=args.no_speech,
        burst=args.burst,
    )
    if args.postgres or args.database_url:
        with postgres_cluster(args.database_url) as pg:
            out = run(pg.new_database() if pg.owned else pg.url, **opts)
    else:
        out = run(None, **opts)
    print(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
