"""The OpenAPI paths of the counter desk beyond call-next: out-of-order calls, the waiting
list, closing a counter for a while."""

from __future__ import annotations

from antrian.catalogue import PAUSE_REASONS

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


COUNTER = {
    "type": "object",
    "properties": {
        "number": {"type": "integer"},
        "name": {"type": "string"},
        "paused": {"type": "boolean"},
        "pause_reason": {"enum": [*PAUSE_REASONS, None]},
        "paused_at": {"type": ["string", "null"], "format": "date-time"},
    },
}


def _counter_action(
    summary: str, ok: dict, body: dict | None = None, errors: dict | None = None
) -> dict:
    """An operation on /counters/{number}/…: role front_office (or admin)."""
    op = {
        "summary": summary,
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [
            {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "responses": {
            "200": ok,
            "401": _json(ERROR, "Belum masuk"),
            "403": _json(ERROR, "Akun tanpa peran front_office (atau admin)"),
            "404": _json(ERROR, "Loket tidak ada"),
            **(errors or {}),
        },
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def desk_paths() -> dict:
    return {
        "/counters/{number}/call": {
            "post": _counter_action(
                "Panggil tiket tertentu di luar urutan, dengan alasan (tercatat di log)",
                _json(TICKET, "Tiket yang dipanggil"),
                {
                    "type": "object",
                    "required": ["ticket_id", "reason"],
                    "properties": {
                        "ticket_id": {"type": "integer"},
                        "reason": {"type": "string", "minLength": 3, "maxLength": 200},
                    },
                },
                {"409": _json(ERROR, "Tiket tidak menunggu untuk loket ini, atau loket tutup")},
            )
        },
        "/counters/{number}/waiting": {
            "get": _counter_action(
                "Semua tiket yang menunggu untuk loket ini: lama menunggu, jawaban persyaratan",
                _json(
                    {
                        "type": "object",
                        "properties": {
                            "counter": COUNTER,
                            "waiting": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "Daftar tunggu, urut seperti akan dipanggil",
                ),
            )
        },
        "/counters/{number}/pause": {
            "post": _counter_action(
                "Tutup loket sementara; tidak ada yang dipanggil ke sana, layar menampilkan tutup",
                _json(COUNTER, "Loket"),
                {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"reason": {"enum": list(PAUSE_REASONS)}},
                },
                {"409": _json(ERROR, "Sudah tutup, atau masih ada tiket di loket")},
            )
        },
        "/counters/{number}/resume": {
            "post": _counter_action(
                "Buka kembali loket",
                _json(COUNTER, "Loket"),
                None,
                {"409": _json(ERROR, "Loket tidak sedang tutup")},
            )
        },
    }
