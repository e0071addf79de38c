"""The phone page's server push: a bare "changed" when its ticket or its queue moves."""

import json


def test_the_phone_stream_says_changed_for_its_queue_only(client, auth, sse):
    mine = client.post("/api/v1/tickets", json={"service": "B"}).get_json()
    stream = sse(client, f"/t/{mine['token']}/events")
    assert stream.next_frame()["event"] == "snapshot"
    client.post("/api/v1/tickets", json={"service": "C"})  # another queue: nothing
    client.post("/api/v1/counters/1/call-next", headers=auth)  # calls B-001: mine
    frame = stream.next_frame()
    while frame["event"] == "heartbeat":
        frame = stream.next_frame()
    assert frame["event"] == "changed"
    assert set(json.loads(frame["data"])) == {"id"}  # nothing about the ticket travels


def test_an_unknown_ticket_has_no_stream(client):
    assert client.get("/t/not-a-token/events").status_code == 404
