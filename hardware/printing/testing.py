"""A network printer on 127.0.0.1 for tests: the real socket path, no real paper.

Records what each connection sent (one job per connection, as raw port 9100 printing does)
and answers the real-time status request DLE EOT n with the bytes it is told to, like a
TM-T20II. It can be switched off and on again on the same port (`stop`, `start`), run out of
paper (`paper_out`, `ready`), and die with a slip in it (`die_during_next_slip`): the slip's
bytes are swallowed, the connection is reset, and the printer stays off until `start`.
"""

from __future__ import annotations

import re
import socket
import socketserver
import struct
import threading
import time

DLE_EOT = b"\x10\x04"
READY = {1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1E, 2: 0x32, 3: 0x12, 4: 0x72}  # offline, stopped by paper end, sensor empty
_CODE = re.compile(r"\b[A-E]-\d{3}\b")
COVER_OPEN = {1: 0x1E, 2: 0x16, 3: 0x12, 4: 0x12}  # offline, cover open


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # switched on again on the same port at once
    daemon_threads = True


class FakeNetworkPrinter:
    def __init__(self, answers: dict[int, int] | None = None):
        self.jobs: list[bytes] = []
        self.answers: dict[int, int] = dict(answers or {})  # empty: never answers status
        self.lost: list[bytes] = []  # slips that were in the printer when it died
        self.slip_seconds = 0.0  # how long a slip takes to print before status is answered
        self._die_next = False
        self._open: set[socket.socket] = set()
        self._guard = threading.Lock()
        self.port = 0
        self._server: _Server | None = None
        self.start()
        self.url = f"tcp://127.0.0.1:{self.port}"

    @property
    def connections(self) -> list[bytes]:
        return self.jobs

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Switch the printer on (again), listening on its port."""
        if self._server is not None:
            return
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.fake = self  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._server = server
        self._thread.start()

    def stop(self) -> None:
        """Switch the printer off: connections are refused and open ones are reset."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        self._thread.join(2)
        with self._guard:
            for sock in list(self._open):
                _reset(sock)

    def paper_out(self) -> None:
        self.answers.update(PAPER_OUT)

    def cover_open(self) -> None:
        self.answers.update(COVER_OPEN)

    def ready(self) -> None:
        self.answers.update(READY)

    def die_during_next_slip(self) -> None:
        """The next slip's bytes never reach paper: the printer dies as they arrive."""
        self._die_next = True

    def slips(self) -> list[tuple[str, bool]]:
        """What came out on paper: (ticket code, says CETAK ULANG) per slip, in order."""
        from .escpos_reader import read_escpos
        from .layouts import REPRINT_MARK

        found = []
        for job in self.jobs:
            text = read_escpos(job).text
            if code := _CODE.search(text):
                found.append((code.group(), REPRINT_MARK in text))
        return found

    def wait_jobs(self, count: int = 1, timeout: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.jobs) >= count, f"printer got {len(self.jobs)} of {count} jobs"
        return list(self.jobs)

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> FakeNetworkPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a printer losing power does not say goodbye."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def _is_status_only(data: bytes) -> bool:
    return set(data.split(DLE_EOT)) <= {b"", b"\x01", b"\x02", b"\x03", b"\x04"}


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        fake: FakeNetworkPrinter = self.server.fake  # type: ignore[attr-defined]
        with fake._guard:
            fake._open.add(self.request)
        received = bytearray()
        pending = b""
        printing = False
        try:
            while data := self.request.recv(65536):
                received += data
                if not printing and not _is_status_only(bytes(received)):
                    printing = True
                    time.sleep(fake.slip_seconds)  # paper first, then the next answer
                if fake._die_next and not _is_status_only(bytes(received)):
                    fake._die_next = False
                    fake.lost.append(bytes(received))
                    fake.stop()  # resets this connection too: nothing was confirmed
                    return
                pending += data
                while (i := pending.find(DLE_EOT)) >= 0 and len(pending) > i + 2:
                    n, pending = pending[i + 2], pending[i + 3 :]
                    if n in fake.answers:
                        self.request.sendall(bytes([fake.answers[n]]))
        except OSError:
            return  # switched off mid-connection: nothing printed
        finally:
            with fake._guard:
                fake._open.discard(self.request)
        fake.jobs.append(bytes(received))
