"""A network printer on 127.0.0.1 for tests: the real socket path, no real paper.

Records what each connection sent (one job per connection, as raw port 9100 printing does)
and answers the real-time status request DLE EOT n with the bytes it is told to.
"""

from __future__ import annotations

import socketserver
import threading
import time

DLE_EOT = b"\x10\x04"
READY = {1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1E, 2: 0x32, 3: 0x12, 4: 0x72}  # offline, stopped by paper end, sensor empty


class FakeNetworkPrinter:
    def __init__(self, answers: dict[int, int] | None = None):
        self.jobs: list[bytes] = []
        self.answers: dict[int, int] = dict(answers or {})  # empty: never answers status
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self.url = f"tcp://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def connections(self) -> list[bytes]:
        return self.jobs

    def paper_out(self) -> None:
        self.answers.update(PAPER_OUT)

    def ready(self) -> None:
        self.answers.update(READY)

    def wait_jobs(self, count: int = 1, timeout: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.jobs) >= count, f"printer got {len(self.jobs)} of {count} jobs"
        return list(self.jobs)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(2)

    def __enter__(self) -> FakeNetworkPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        fake: FakeNetworkPrinter = self.server.fake  # type: ignore[attr-defined]
        received = bytearray()
        pending = b""
        while data := self.request.recv(65536):
            received += data
            pending += data
            while (i := pending.find(DLE_EOT)) >= 0 and len(pending) > i + 2:
                n, pending = pending[i + 2], pending[i + 3 :]
                if n in fake.answers:
                    self.request.sendall(bytes([fake.answers[n]]))
        fake.jobs.append(bytes(received))
