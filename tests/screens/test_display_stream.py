"""The lobby stream: snapshot, then every call with its phrase; Last-Event-ID misses nothing."""

import json

from antrian.models import Event


def test_stream_sends_a_snapshot_then_each_call_with_the_spoken_phrase(client, auth, sse):
    client.post("/api/v1/tickets", json={"service": "A"})
    stream = sse(client, "/display/events")
    snap = stream.next_frame()
    assert snap["event"] == "snapshot"
    assert {s["code"]: s["waiting"] for s in json.loads(snap["data"])["services"]}["A"] == 1
    client.post("/api/v1/counters/2/call-next", headers=auth)
    call = stream.next_event("call")
    assert (call["code"], call["counter"], call["kind"]) == ("A-001", 2, "call")
    assert call["phrase"] == "Nomor antrean A, satu, silakan menuju loket dua"
    stream.close()


def test_reconnect_with_last_event_id_replays_exactly_what_was_missed(client, auth, app, sse):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "B"})
    calls = [
        client.post(f"/api/v1/counters/{n}/call-next", headers=auth).get_json()["code"]
        for n in (1, 2, 3)
    ]
    with app.extensions["antrian.db"].read() as s:
        first_call = s.query(Event).filter_by(kind="ticket.called").order_by(Event.id).first()
    stream = sse(client, "/display/events", headers={"Last-Event-ID": str(first_call.id)})
    missed = [stream.next_event("call") for _ in range(2)]
    assert [m["code"] for m in missed] == calls[1:]
    assert missed[0]["id"] > first_call.id
    stream.close()


def test_heartbeat_keeps_an_idle_stream_alive(client, sse):
    stream = sse(client, "/display/events")
    assert stream.next_frame()["event"] == "snapshot"
    assert stream.next_frame()["event"] == "heartbeat"  # SSE_HEARTBEAT_SECONDS=0.2 in tests
    stream.close()


def test_filtered_display_only_gets_its_counters(client, auth, sse):
    for _ in range(2):
        client.post("/api/v1/tickets", json={"service": "C"})
    stream = sse(client, "/display/events?counters=4")
    stream.next_frame()
    client.post("/api/v1/counters/1/call-next", headers=auth)
    client.post("/api/v1/counters/4/call-next", headers=auth)
    call = stream.next_event("call")
    assert (call["code"], call["counter"]) == ("C-002", 4)
    stream.close()


def test_english_display_speaks_english(client, auth, sse):
    client.post("/api/v1/tickets", json={"service": "E"})
    stream = sse(client, "/display/events?lang=en")
    stream.next_frame()
    client.post("/api/v1/counters/3/call-next", headers=auth)
    assert stream.next_event("call")["phrase"] == (
        "Queue number E, one, please proceed to counter three"
    )
    stream.close()


def test_streams_beyond_the_cap_are_told_to_retry_so_pages_keep_a_thread(app, client, sse):
    app.config["DISPLAY_STREAMS"] = 1
    first = sse(client, "/display/events")
    assert first.next_frame()["event"] == "snapshot"
    refused = client.get("/display/events")
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert client.get("/kiosk/").status_code == 200
    first.close()
    again = sse(client, "/display/events")  # the slot came back when the stream closed
    assert again.next_frame()["event"] == "snapshot"


def test_a_stream_ends_after_its_lifetime_with_the_id_to_resume_from(app, client, auth, sse):
    app.config["SSE_MAX_AGE_SECONDS"] = 0.3
    client.post("/api/v1/tickets", json={"service": "A"})
    stream = sse(client, "/display/events")
    snap = stream.next_frame()
    frames = []
    for chunk in stream.chunks:  # the generator finishes by itself
        frames.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
    assert frames and frames[-1] == f"id: {snap['id']}\nevent: heartbeat\ndata: 1\n\n"


def test_polling_fallback_pages_through_every_missed_call_in_order(client, auth):
    for _ in range(60):
        client.post("/api/v1/tickets", json={"service": "C", "print": False})
    first = client.post("/api/v1/counters/1/call-next", headers=auth)
    assert first.status_code == 200
    since = client.get("/display/state.json").get_json()["last_event_id"]
    assert client.get("/display/state.json").get_json()["calls"] == []  # knows nothing: no replay
    for n in range(55):
        client.post(f"/api/v1/counters/{n % 4 + 1}/call-next", headers=auth)
    heard = []
    while True:
        page = client.get(f"/display/state.json?after={since}").get_json()
        heard += [c["code"] for c in page["calls"]]
        if page["last_event_id"] == since:
            break
        since = page["last_event_id"]
    assert heard == [f"C-{n:03d}" for n in range(2, 57)]


def test_odd_query_strings_never_crash_the_board(client):
    for query in ["counters=%C2%B2", "counters=abc,,3", "services=;;", "lang=xx", "after=-5"]:
        assert client.get(f"/display/?{query}").status_code == 200, query
        assert client.get(f"/display/state.json?{query}").status_code == 200, query


def test_call_audio_is_the_spoken_phrase_and_nothing_else(client, auth, sse):
    import io
    import wave

    client.post("/api/v1/tickets", json={"service": "B"})
    stream = sse(client, "/display/events")
    stream.next_frame()
    client.post("/api/v1/counters/2/call-next", headers=auth)
    url = stream.next_event("call")["audio_url"]
    assert url.startswith("/display/speech/") and "code=B-001" in url
    audio = client.get(url)
    assert audio.status_code == 200 and audio.mimetype == "audio/wav"
    with wave.open(io.BytesIO(audio.data)) as wav:
        assert wav.getnframes() / wav.getframerate() > 1.0  # a spoken sentence, not a blip
    # The key names the phrase: the same key with other words is refused.
    key = url.split("/display/speech/")[1].split(".wav")[0]
    forged = client.get(f"/display/speech/{'0' * 32}.wav?code=B-001&counter=2&lang=id")
    other = client.get(f"/display/speech/{key[::-1]}.wav?code=C-999&counter=1&lang=id")
    assert forged.status_code == 404 and other.status_code == 404
