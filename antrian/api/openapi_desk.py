"""The OpenAPI paths of the counter desk beyond call-next: out-of-order calls, the waiting
list, closing a counter for a while."""

from __future__ import annotations

from antrian.api.openapi_errors import BAD_BODY, NO_ROUTE, THREE_CHARACTERS, error
from antrian.catalogue import PAUSE_REASONS
from antrian.operations.calling import REASON_MAX

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


NUMBER = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}  # larger: no route (404)


def _counter_action(
    summary: str, ok: dict, body: dict | None = None, errors: dict | None = None
) -> dict:
    """An operation on /counters/{number}/…: role front_office (or admin)."""
    op = {
        "summary": summary,
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"name": "number", "in": "path", "required": True, "schema": NUMBER}],
        "responses": {
            "200": ok,
            "404": error("Loket tidak ada atau tidak aktif", "unknown_counter", NO_ROUTE),
            **(errors or {}),
        },
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        op["responses"].setdefault("400", error("Isi permintaan bukan objek JSON", *BAD_BODY))
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
                        "ticket_id": NUMBER,
                        "reason": {
                            "type": "string",
                            "pattern": THREE_CHARACTERS,
                            "maxLength": REASON_MAX,
                            "description": "Alasan, 3 sampai 200 huruf (spasi berturut-turut "
                            "dihitung satu)",
                        },
                    },
                },
                {
                    "400": error(
                        "Isi bukan objek JSON, ticket_id bukan angka atau reason bukan teks",
                        *BAD_BODY,
                        "bad_ticket_id",
                        "reason_required",
                    ),
                    "409": error(
                        "Tiket tidak menunggu untuk loket ini, atau loket tutup",
                        "not_waiting",
                        "counter_paused",
                    ),
                    "422": error(
                        "Alasan kurang dari 3 atau lebih dari 200 huruf",
                        "reason_required",
                        "reason_too_long",
                    ),
                },
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
                {
                    "409": error(
                        "Sudah tutup, atau masih ada tiket di loket", "already_paused", "busy"
                    ),
                    "422": error("Alasan tidak dikenal", "bad_reason"),
                },
            )
        },
        "/counters/{number}/resume": {
            "post": _counter_action(
                "Buka kembali loket",
                _json(COUNTER, "Loket"),
                None,
                {"409": error("Loket tidak sedang tutup", "not_paused")},
            )
        },
    }
