"""The JSON API as a program would use it, through the Flask client, on both databases."""

from collections import Counter as Tally

from antrian.seed import add_staff


def issue(client, service="A", priority=None, **headers):
    return client.post(
        "/api/v1/tickets", json={"service": service, "priority": priority}, headers=headers
    )


def test_issue_returns_the_ticket_with_position_and_status_url(client):
    first = issue(client)
    second = issue(client)
    assert first.status_code == 201
    body = second.get_json()
    assert body["code"] == "A-002" and body["number"] == 2 and body["service"] == "A"
    assert body["status"] == "waiting" and body["position"] == 2
    assert body["estimated_wait_minutes"] == 15 // 4 + 1  # 1 ahead x 15 min over 4 counters
    assert body["status_url"].endswith("/t/" + body["token"])
    status = client.get(f"/api/v1/tickets/{body['token']}").get_json()
    assert status["code"] == "A-002" and status["position"] == 2


def test_bad_input_gets_a_clear_indonesian_4xx_never_500(client):
    cases = [
        (client.post("/api/v1/tickets", json={"service": "Z"}), 404, "unknown_service"),
        (
            client.post("/api/v1/tickets", json={"service": "A", "priority": "vip"}),
            422,
            "bad_priority",
        ),
        (
            client.post("/api/v1/tickets", data="{nope", content_type="application/json"),
            400,
            "bad_json",
        ),
        (client.post("/api/v1/tickets", json=["A"]), 400, "bad_json"),
        (client.post("/api/v1/tickets", json={"service": 5}), 400, "bad_service"),
        (client.get("/api/v1/tickets/tidak-ada"), 404, "unknown_ticket"),
    ]
    for response, status, code in cases:
        body = response.get_json()
        assert (response.status_code, body["error"]) == (status, code), body
        assert body["message"] and not body["message"].startswith("Traceback")


def test_idempotency_key_returns_the_same_ticket_for_a_double_tap(client):
    a = issue(client, **{"Idempotency-Key": "kiosk1-42"})
    b = issue(client, **{"Idempotency-Key": "kiosk1-42"})
    c = issue(client, **{"Idempotency-Key": "kiosk1-43"})
    assert a.status_code == 201 and b.status_code == 200
    assert a.get_json()["id"] == b.get_json()["id"] != c.get_json()["id"]


def test_staff_routes_need_a_token_or_login(client):
    issue(client)
    assert client.post("/api/v1/counters/1/call-next").status_code == 401
    bad = client.post("/api/v1/counters/1/call-next", headers={"Authorization": "Bearer salah"})
    assert bad.status_code == 401 and bad.get_json()["error"] == "unauthorized"


def test_call_recall_skip_reactivate_start_finish_transfer(client, auth):
    tid = issue(client).get_json()["id"]
    called = client.post("/api/v1/counters/2/call-next", headers=auth)
    assert called.status_code == 200
    assert called.get_json().items() >= {"id": tid, "status": "called", "counter": 2}.items()
    for action, status in [("recall", "called"), ("skip", "no_show"), ("reactivate", "waiting")]:
        r = client.post(f"/api/v1/tickets/{tid}/{action}", json={"counter": 2}, headers=auth)
        assert r.status_code == 200 and r.get_json()["status"] == status, action
    client.post("/api/v1/counters/2/call-next", headers=auth)
    assert (
        client.post(f"/api/v1/tickets/{tid}/start", json={"counter": 2}, headers=auth).get_json()[
            "status"
        ]
        == "serving"
    )
    moved = client.post(
        f"/api/v1/tickets/{tid}/transfer", json={"service": "E", "counter": 2}, headers=auth
    )
    assert (
        moved.get_json().items() >= {"service": "E", "status": "waiting", "code": "A-001"}.items()
    )
    client.post("/api/v1/counters/1/call-next", headers=auth)
    done = client.post(f"/api/v1/tickets/{tid}/finish", json={"counter": 1}, headers=auth)
    assert done.get_json()["status"] == "done"


def test_call_next_with_nobody_waiting_is_409_with_a_message(client, auth):
    r = client.post("/api/v1/counters/1/call-next", headers=auth)
    assert r.status_code == 409
    assert r.get_json() == {
        "error": "queue_empty",
        "message": "Tidak ada antrean yang menunggu untuk loket ini.",
    }


def test_wrong_transitions_and_unknown_things_are_4xx(client, auth):
    tid = issue(client).get_json()["id"]
    finish = client.post(f"/api/v1/tickets/{tid}/finish", json={"counter": 1}, headers=auth)
    assert finish.status_code == 409
    assert client.post("/api/v1/tickets/9999/recall", headers=auth).status_code == 404
    assert client.post("/api/v1/counters/99/call-next", headers=auth).status_code == 404
    r = client.post(f"/api/v1/tickets/{tid}/transfer", json={}, headers=auth)
    assert r.status_code == 400 and r.get_json()["error"] == "bad_service"


def test_queue_shows_counts_counters_and_calls_without_personal_data(client, auth):
    for s in "AAB":
        issue(client, s)
    client.post("/api/v1/counters/3/call-next", headers=auth)
    q = client.get("/api/v1/queue").get_json()
    assert {s["code"]: s["waiting"] for s in q["services"]} == {
        "A": 1,
        "B": 1,
        "C": 0,
        "D": 0,
        "E": 0,
    }
    assert [c["serving"] for c in q["counters"]] == [None, None, "A-001", None]
    assert q["last_calls"][0]["code"] == "A-001"
    assert "token" not in str(q)


def test_browser_session_posts_need_the_csrf_header(client, app, now):
    with app.extensions["antrian.db"].write() as s:
        add_staff(s, "rina", "Rina", "sandi-rina-1", "front_office", now)
    login_page = client.get("/staff/login").get_data(as_text=True)
    csrf = login_page.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post(
        "/staff/login", data={"username": "rina", "password": "sandi-rina-1", "csrf_token": csrf}
    )
    assert r.status_code == 303
    issue(client)
    assert client.post("/api/v1/counters/1/call-next").status_code == 400
    ok = client.post("/api/v1/counters/1/call-next", headers={"X-CSRFToken": csrf})
    assert ok.status_code == 200 and ok.get_json()["code"] == "A-001"


def test_openapi_document_lists_every_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json"):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{")
            assert path.replace(">", "}") in documented, rule.rule


def test_numbers_stay_unique_across_many_api_issues(client):
    codes = [issue(client, "ABC"[i % 3]).get_json()["code"] for i in range(60)]
    assert max(Tally(codes).values()) == 1


def test_issue_is_rate_limited_per_client_with_a_clear_message(db, tmp_path):
    from antrian import create_app
    from antrian.config import load_settings

    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "rl")}).with_(
        database_url=db.url, issue_rate_limit="3/minute", start_background=False
    )
    client = create_app(settings, TESTING=True).test_client()
    statuses = [issue(client, "C").status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = issue(client, "C")
    assert (
        limited.get_json()["error"] == "rate_limited" and "Tunggu" in limited.get_json()["message"]
    )
    other = client.post(
        "/api/v1/tickets", json={"service": "C"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 201  # another kiosk is not affected


def test_behind_a_trusted_proxy_each_kiosk_has_its_own_rate_limit(db, tmp_path):
    from antrian import create_app
    from antrian.config import load_settings

    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path / "rl")}).with_(
        database_url=db.url, issue_rate_limit="2/minute", start_background=False
    )

    def from_kiosk(client, address):
        return client.post(
            "/api/v1/tickets",
            json={"service": "C"},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},  # nginx
        ).status_code

    trusting = create_app(settings.with_(trusted_proxies=1), TESTING=True).test_client()
    assert [from_kiosk(trusting, "10.0.0.5") for _ in range(3)] == [201, 201, 429]
    assert from_kiosk(trusting, "10.0.0.6") == 201
    # Without ANTRIAN_TRUSTED_PROXIES a forged header does not escape the limit.
    plain = create_app(settings.with_(instance_path=tmp_path / "rl2"), TESTING=True).test_client()
    assert [from_kiosk(plain, f"10.0.1.{n}") for n in range(3)] == [201, 201, 429]


def test_the_api_root_links_to_its_parts(client):
    answer = client.get("/api/v1/")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["openapi"] == "/api/v1/openapi.json"
    links = {(link["method"], link["href"]) for link in body["links"]}
    assert ("POST", "/api/v1/tickets") in links and ("GET", "/api/v1/queue") in links
    for method, href in links:
        if method == "GET" and "{" not in href:
            assert client.get(href).status_code != 404, href  # every plain link leads somewhere
