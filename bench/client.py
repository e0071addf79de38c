"""A keep-alive HTTP/1.1 client per thread (a socket and a few lines of parsing) and latency
statistics.

The client shares the server's two cores, so it is kept lean: http.client cost ~0.4 ms of CPU
per request (header objects, email.parser), a tenth of the whole server's work per ticket.
Here a request is one sendall of prepared bytes and the answer is read by Content-Length.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit


class Closed(ConnectionError):
    """The server closed the connection before answering."""


class Client:
    """One persistent connection; reconnects (and counts it) when the server closes it."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.headers = {
            "Host": f"{self.host}:{self.port}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.connections_opened = 0

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, float]:
        """(status, body, seconds). Retries once on a connection the server had closed."""
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in dict(self.headers, **(headers or {})).items()]
        lines.append(f"Content-Length: {len(payload)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        for attempt in (0, 1):
            if self.sock is None:
                self.sock = self._connect()
                self.connections_opened += 1
            start = time.perf_counter()
            try:
                self.sock.sendall(message)
                status, will_close, data = self._read_response()
            except (Closed, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - start
            if will_close:
                self.close()
            return status, data, elapsed
        raise AssertionError("unreachable")

    def _read_response(self) -> tuple[int, bool, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        fields = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if "chunked" in fields.get("transfer-encoding", "").lower():
            raise ValueError("chunked answers are not expected from the API")
        length = int(fields.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        data, self.buffer = self.buffer[:length], self.buffer[length:]
        will_close = fields.get("connection", "").lower() == "close"
        return int(status_line.split()[1]), will_close, data

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed("connection closed by the server")
        self.buffer += chunk

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
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self.buffer = b""


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
