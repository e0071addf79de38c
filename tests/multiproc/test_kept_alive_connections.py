"""Kept-alive connections on `antrian serve`: a kiosk's connection stays open between its
requests, and busy kiosks never keep another client from a thread."""

from __future__ import annotations

import http.client
import threading
import time


def get(conn: http.client.HTTPConnection, path: str = "/api/v1/queue") -> int:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


def test_a_kiosk_quiet_for_longer_than_the_hold_is_still_answered_on_its_connection(serve):
    port, _token = serve(workers=1)
    kiosk = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        assert get(kiosk) == 200
        sock = kiosk.sock
        time.sleep(1.5)  # quiet for a while, well within the idle limit
        assert get(kiosk) == 200
        assert kiosk.sock is sock  # the same connection, not a reconnect
    finally:
        kiosk.close()


def test_busy_kiosks_holding_every_thread_do_not_keep_a_new_client_waiting(serve):
    # Two threads, two kiosks asking every 0.2 s: were their connections held on the threads
    # for as long as they keep asking, a third client would wait until they stop (6 s here).
    port, _token = serve(workers=1, threads=2)
    stop = threading.Event()
    answered: list[int] = []

    def busy_kiosk() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        deadline = time.monotonic() + 6
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                answered.append(get(conn))
                time.sleep(0.2)
        finally:
            conn.close()

    kiosks = [threading.Thread(target=busy_kiosk) for _ in range(2)]
    for kiosk in kiosks:
        kiosk.start()
    try:
        time.sleep(0.5)  # both kiosks served at least once: their threads hold them
        newcomer = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        started = time.monotonic()
        assert get(newcomer) == 200
        waited = time.monotonic() - started
        newcomer.close()
        assert waited < 2.0, f"a new client waited {waited:.1f} s for a thread"
    finally:
        stop.set()
        for kiosk in kiosks:
            kiosk.join(timeout=10)
    assert answered and set(answered) == {200}
