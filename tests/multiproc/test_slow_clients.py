"""Slow, idle and greedy clients against a real `antrian serve` (loopback only): half-sent
requests do not freeze it, and a crowd of display streams never locks the desks out."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import time

from tests.multiproc.conftest import BIN

PARTIAL = b"POST /api/v1/tickets HTTP/1.1\r\nHost: kantor\r\n"  # ...and nothing more


def issue(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        body = json.dumps({"service": "A", "print": False})
        conn.request("POST", "/api/v1/tickets", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_a_thousand_half_sent_requests_do_not_keep_the_kiosk_waiting(serve):
    port, _token = serve()
    stalled = []
    try:
        for _ in range(1000):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(PARTIAL)
            stalled.append(sock)
        # Every kiosk request is answered: no thread waits for a request to arrive whole.
        assert [issue(port) for _ in range(20)] == [201] * 20
        health = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        health.request("GET", "/healthz")
        assert health.getresponse().status == 200
        # A request that never arrives whole is not waited for: the server hangs up.
        stalled[0].settimeout(30)
        while stalled[0].recv(1024):  # until the server closes it; a timeout fails the test
            pass
    finally:
        for sock in stalled:
            sock.close()


class Stream:
    def __init__(self, port: int, path: str, cookie: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        self.response = self.conn.getresponse()
        self.status = self.response.status

    def close(self) -> None:
        self.conn.close()


def log_in(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/staff/login")
    page = conn.getresponse()
    cookie = page.getheader("Set-Cookie").split(";")[0]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    form = f"username={username}&password={password}&csrf_token={csrf}"
    conn.request(
        "POST",
        "/staff/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 303
    return answer.getheader("Set-Cookie").split(";")[0]


def test_display_streams_have_a_cap_of_their_own_and_desks_always_get_through(serve, tmp_path):
    port, _token = serve(extra_env={"ANTRIAN_DISPLAY_STREAMS": "5", "ANTRIAN_STAFF_STREAMS": "3"})
    env_instance = {
        "ANTRIAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "ANTRIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'antrian.sqlite3'}",
    }
    subprocess.run(
        [BIN / "antrian", "staff", "add", "dewi", "--name", "Dewi", "--password", "sandi-dewi-1"],
        env=os.environ | env_instance,
        check=True,
        capture_output=True,
    )
    displays = [Stream(port, "/display/events") for _ in range(8)]
    try:
        assert sorted(d.status for d in displays) == [200] * 5 + [503] * 3
        cookie = log_in(port, "dewi", "sandi-dewi-1")
        desks = [Stream(port, "/staff/events", cookie) for _ in range(3)]
        assert [d.status for d in desks] == [200, 200, 200]
        assert issue(port) == 201  # and the kiosk still has a thread
        for desk in desks:
            desk.close()
    finally:
        for display in displays:
            display.close()


def test_a_display_that_went_away_gives_its_place_back(serve):
    # A TV switched off or reloaded without closing its stream: the server learns it at the
    # stream's next write (the next event, or a heartbeat at most 15 s later) and frees its place.
    port, _token = serve(extra_env={"ANTRIAN_DISPLAY_STREAMS": "2"})
    gone = [Stream(port, "/display/events") for _ in range(2)]
    assert [d.status for d in gone] == [200, 200]
    refused = Stream(port, "/display/events")
    assert refused.status == 503
    refused.close()
    for display in gone:
        display.close()
    assert issue(port) == 201  # an event: every stream writes, the closed ones end
    deadline = time.monotonic() + 20
    while True:
        newcomer = Stream(port, "/display/events")
        status = newcomer.status
        newcomer.close()
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 200
