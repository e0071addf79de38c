"""Reads Server-Sent Events frames out of a streaming Flask test response."""

from __future__ import annotations

import json

import pytest


class SSEReader:
    def __init__(self, response):
        self.chunks = iter(response.response)
        self.buffer = ""
        self.response = response

    def next_frame(self, max_chunks: int = 200) -> dict:
        for _ in range(max_chunks):
            if "\n\n" in self.buffer:
                raw, self.buffer = self.buffer.split("\n\n", 1)
                frame: dict = {}
                for line in raw.splitlines():
                    key, _, value = line.partition(": ")
                    if key == "data":
                        frame["data"] = frame.get("data", "") + value
                    elif key:
                        frame[key] = value
                if "event" in frame:
                    return frame
                continue
            chunk = next(self.chunks)
            self.buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        raise AssertionError("no SSE frame arrived")

    def next_event(self, name: str) -> dict:
        while True:
            frame = self.next_frame()
            if frame["event"] == name:
                return {"id": int(frame["id"]), **json.loads(frame["data"])}

    def close(self):
        self.response.close()


def sse_open(client, url: str, headers: dict | None = None) -> SSEReader:
    response = client.get(url, headers=headers or {}, buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    return SSEReader(response)


@pytest.fixture
def sse():
    """Opens an SSE stream through the Flask client and reads frames from it."""
    opened: list[SSEReader] = []

    def open_stream(client, url: str, headers: dict | None = None) -> SSEReader:
        reader = sse_open(client, url, headers)
        opened.append(reader)
        return reader

    yield open_stream
    for reader in opened:
        reader.close()
