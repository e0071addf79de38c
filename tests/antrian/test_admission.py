"""Admission control: slots in arrival order, and a slow client never holds one."""

from __future__ import annotations

import io
import socket
import threading
import time

from antrian.admission import AdmissionMiddleware, FairSemaphore


def wait_until(predicate, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


def test_slots_are_given_in_arrival_order():
    gate = FairSemaphore(1)
    gate.acquire()
    served: list[int] = []

    def request(n: int) -> None:
        gate.acquire()
        served.append(n)
        gate.release()

    threads = []
    for n in range(6):
        t = threading.Thread(target=request, args=(n,))
        t.start()
        threads.append(t)
        assert wait_until(lambda n=n: len(gate._waiters) == n + 1)  # queued before the next
    gate.release()
    for t in threads:
        t.join(2)
    assert served == [0, 1, 2, 3, 4, 5]


def echo(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


def test_a_client_sending_its_body_slowly_does_not_hold_the_only_slot():
    app = AdmissionMiddleware(echo, slots=1)
    reader, writer = socket.socketpair()
    slow_answer: list[bytes] = []
    slow = threading.Thread(
        target=lambda: slow_answer.extend(
            app({"CONTENT_LENGTH": "10", "wsgi.input": reader.makefile("rb")}, lambda *a: None)
        ),
        daemon=True,
    )
    writer.sendall(b"12345")  # half of the body, then nothing for a while
    slow.start()
    fast_answer: list[bytes] = []
    fast = threading.Thread(
        target=lambda: fast_answer.extend(
            app({"CONTENT_LENGTH": "2", "wsgi.input": io.BytesIO(b"ok")}, lambda *a: None)
        ),
        daemon=True,
    )
    fast.start()
    fast.join(2)
    assert fast_answer == [b"ok"]  # answered while the slow one is still sending
    assert slow.is_alive()
    writer.sendall(b"67890")
    slow.join(2)
    assert slow_answer == [b"1234567890"]
    reader.close()
    writer.close()
