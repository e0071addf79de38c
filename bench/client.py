"""A keep-alive HTTP/1.1 client per thread (stdlib http.client) and latency statistics."""

from __future__ import annotations

import http.client
import json
import math
import socket
import threading
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit


class Client:
    """One persistent connection; reconnects (and counts it) when the server closes it."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn: http.client.HTTPConnection | None = None
        self.connections_opened = 0

    def _connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, float]:
        """(status, body, seconds). Retries once on a connection the server had closed."""
        payload = json.dumps(body).encode() if body is not None else None
        hdrs = dict(self.headers, **(headers or {}))
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = self._connect()
                self.connections_opened += 1
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=payload, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - start
                if resp.will_close:
                    self.close()
                return resp.status, data, elapsed
            except (
                http.client.RemoteDisconnected,
                ConnectionResetError,
                BrokenPipeError,
                http.client.CannotSendRequest,
                http.client.BadStatusLine,
            ):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def post_json(self, path: str, body: dict | None = None):
        status, data, elapsed = self.request("POST", path, body if body is not None else {})
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, parsed, elapsed

    def get_json(self, path: str):
        status, data, elapsed = self.request("GET", path)
        return status, (json.loads(data) if data else None), elapsed

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); nan for no data."""
    if not values:
        return math.nan
    data = sorted(values)
    k = (len(data) - 1) * pct / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def latency_summary(seconds: Sequence[float]) -> dict:
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else math.nan,
    }


def run_threads(count: int, target: Callable[[int, threading.Barrier], None]) -> float:
    """Start `count` threads that each call target(i, barrier) and wait on the barrier before
    their timed part; returns the wall time from the barrier's release to the last finish."""
    barrier = threading.Barrier(count + 1)
    errors: list[BaseException] = []

    def wrap(i: int) -> None:
        try:
            target(i, barrier)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=wrap, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    return wall
