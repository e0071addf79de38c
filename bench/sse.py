"""A raw-socket Server-Sent Events client for many displays at once.

Each display is one TCP connection sending `GET /display/events` like a browser's EventSource
(HTTP/1.1, so the server answers chunked). One reader thread multiplexes every socket with
`selectors`, stamps each recv() with time.perf_counter() and feeds an HTTP -> de-chunk -> SSE
parser. Bytes are counted as they come off the socket (HTTP headers + chunk framing + SSE text:
what a browser's TCP stream carries; TCP/IP headers are not included).
"""

from __future__ import annotations

import json
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field


class ChunkedDecoder:
    """HTTP/1.1 chunked transfer decoding, incremental."""

    def __init__(self) -> None:
        self.buf = b""
        self.need = None  # bytes of chunk data still to come; None = reading a size line
        self.trailer = False
        self.done = False

    def feed(self, data: bytes) -> bytes:
        self.buf += data
        out = bytearray()
        while True:
            if self.trailer:
                if len(self.buf) < 2:
                    break
                self.buf = self.buf[2:]  # the CRLF after chunk data
                self.trailer = False
            if self.need is None:
                nl = self.buf.find(b"\r\n")
                if nl < 0:
                    break
                size = int(self.buf[:nl].split(b";")[0], 16)
                self.buf = self.buf[nl + 2 :]
                if size == 0:
                    self.done = True
                    break
                self.need = size
            take = self.buf[: self.need]
            out += take
            self.buf = self.buf[len(take) :]
            self.need -= len(take)
            if self.need:
                break
            self.need = None
            self.trailer = True
        return bytes(out)


@dataclass
class Display:
    """One SSE connection and everything it received."""

    index: int
    sock: socket.socket
    header_buf: bytes = b""
    status: int | None = None
    chunked: bool = False
    decoder: ChunkedDecoder | None = None
    text_buf: str = ""
    frame: dict = field(default_factory=dict)
    bytes_in: int = 0
    closed: bool = False
    # event name -> list of (perf_counter time, id, data)
    events: dict[str, list[tuple[float, str | None, str]]] = field(default_factory=dict)
    bytes_log: list[tuple[float, int]] = field(default_factory=list)

    def count(self, name: str) -> int:
        return len(self.events.get(name, ()))


class DisplayFleet:
    """N displays connected to `path`, read by one selector thread."""

    def __init__(
        self, host: str, port: int, n: int, path: str = "/display/events", log_bytes: bool = False
    ):
        self.host, self.port, self.path = host, port, path
        self.n = n
        self.log_bytes = log_bytes
        self.displays: list[Display] = []
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sse-reader", daemon=True)

    # -- lifecycle
    def connect(self) -> None:
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: text/event-stream\r\nCache-Control: no-cache\r\n"
            "User-Agent: antrian-bench-display\r\nConnection: keep-alive\r\n\r\n"
        ).encode()
        for i in range(self.n):
            sock = socket.create_connection((self.host, self.port), timeout=10)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(request)
            sock.setblocking(False)
            display = Display(index=i, sock=sock)
            self.displays.append(display)
            self.selector.register(sock, selectors.EVENT_READ, display)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for d in self.displays:
            try:
                self.selector.unregister(d.sock)
            except (KeyError, ValueError):
                pass
            d.sock.close()
        self.selector.close()

    def __enter__(self) -> DisplayFleet:
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- waiting helpers
    def wait_for(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def all_have(self, event: str, count: int = 1) -> bool:
        return all(d.count(event) >= count for d in self.displays)

    # -- reading
    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _mask in self.selector.select(timeout=0.2):
                display: Display = key.data
                try:
                    data = display.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                now = time.perf_counter()
                if not data:
                    display.closed = True
                    self.selector.unregister(display.sock)
                    with self.changed:
                        self.changed.notify_all()
                    continue
                with self.changed:
                    display.bytes_in += len(data)
                    if self.log_bytes:
                        display.bytes_log.append((now, len(data)))
                    if self._feed(display, data, now):
                        self.changed.notify_all()

    def _feed(self, d: Display, data: bytes, now: float) -> bool:
        if d.status is None:
            d.header_buf += data
            end = d.header_buf.find(b"\r\n\r\n")
            if end < 0:
                return False
            head, data = d.header_buf[:end].decode("latin-1"), d.header_buf[end + 4 :]
            lines = head.split("\r\n")
            d.status = int(lines[0].split()[1])
            headers = {
                k.strip().lower(): v.strip()
                for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
            }
            d.chunked = "chunked" in headers.get("transfer-encoding", "").lower()
            d.decoder = ChunkedDecoder() if d.chunked else None
        body = d.decoder.feed(data) if d.decoder else data
        if not body:
            return d.status is not None
        d.text_buf += body.decode("utf-8")
        got = False
        while "\n\n" in d.text_buf:
            block, d.text_buf = d.text_buf.split("\n\n", 1)
            fields: dict[str, list[str]] = {}
            for line in block.split("\n"):
                if not line or line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
            if "data" not in fields:
                continue  # e.g. a bare `retry:` frame
            name = fields.get("event", ["message"])[-1]
            ev_id = fields.get("id", [None])[-1]
            d.events.setdefault(name, []).append((now, ev_id, "\n".join(fields["data"])))
            got = True
        return got


def call_codes(display: Display) -> list[tuple[float, str, int]]:
    """(time, ticket code, event id) of every `call` event a display received."""
    out = []
    for t, _ev_id, data in display.events.get("call", ()):
        msg = json.loads(data)
        out.append((t, msg["code"], msg["id"]))
    return out
