"""`antrian serve --workers 2` on PostgreSQL (SQLite runs one process): the issue limit holds
across both processes and both routes."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.multiproc.test_workers_share_events import fresh_pg_database  # noqa: F401 (fixture)


@pytest.mark.postgres
def test_one_address_gets_the_limit_across_workers_and_routes(fresh_pg_database, serve):  # noqa: F811
    port, _token = serve(
        workers=2,
        extra_env={"ANTRIAN_ISSUE_RATE_LIMIT": "10/day", "ANTRIAN_DATABASE_URL": fresh_pg_database},
    )
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    accepted, refused, workers = 0, 0, set()
    for attempt in range(30):  # every request on a new connection: both workers answer
        try:
            if attempt % 2:
                html = browser.open(f"{base}/kiosk/layanan/B", timeout=10).read().decode()
                fields = dict(re.findall(r'name="(csrf_token|request_key)" value="([^"]+)"', html))
                data = urllib.parse.urlencode({"service": "B", **fields}).encode()
                answer = browser.open(f"{base}/kiosk/tiket", data=data, timeout=10)
            else:
                request = urllib.request.Request(
                    f"{base}/api/v1/tickets",
                    data=json.dumps({"service": "A"}).encode(),
                    headers={"Content-Type": "application/json"},
                )
                answer = urllib.request.urlopen(request, timeout=10)
            accepted += 1
            workers.add(answer.headers["X-Served-By"])
        except urllib.error.HTTPError as err:
            assert err.code == 429, err.read()[:300]
            refused += 1
            workers.add(err.headers["X-Served-By"])
    assert (accepted, refused) == (10, 20)
    assert len(workers) == 2  # both processes answered and shared the count
