"""The OpenAPI description of /api/v1/complaints and /api/v1/surveys (antrian/api/openapi.py
merges it)."""

from __future__ import annotations

from antrian.feedback.complaints import CATEGORIES, STATUSES
from antrian.feedback.elements import ELEMENTS

ERROR = {"$ref": "#/components/schemas/Error"}
COMPLAINT = {"$ref": "#/components/schemas/Complaint"}
STAFF_COMPLAINT = {"$ref": "#/components/schemas/StaffComplaint"}
STAFF = [{"bearer": []}, {"cookie": []}]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _complaint_action(summary: str, body: dict | None = None) -> dict:
    op = {
        "summary": summary,
        "security": STAFF,
        "parameters": [
            {"name": "complaint_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "responses": {
            "200": _json(STAFF_COMPLAINT, "Pengaduan setelah tindakan"),
            "401": _json(ERROR, "Belum masuk"),
            "404": _json(ERROR, "Pengaduan tidak ditemukan"),
            "409": _json(ERROR, "Status pengaduan tidak mengizinkan tindakan ini"),
            "422": _json(ERROR, "Jawaban kosong atau terlalu panjang"),
        },
    }
    if body:
        op["requestBody"] = _body(body)
    return {"post": op}


def feedback_paths() -> dict:
    answers = {
        "type": "object",
        "required": [e.column for e in ELEMENTS],
        "properties": {
            e.column: {
                "type": "integer",
                "minimum": 1,
                "maximum": 4,
                "description": f"{e.name_id}: " + " / ".join(e.answers_id),
            }
            for e in ELEMENTS
        },
    }
    return {
        "/complaints": {
            "post": {
                "summary": "Sampaikan pengaduan (publik, dibatasi per klien)",
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["category", "text"],
                        "properties": {
                            "category": {"enum": list(CATEGORIES)},
                            "text": {"type": "string", "minLength": 10, "maxLength": 2000},
                            "name": {"type": "string", "maxLength": 120},
                            "phone": {"type": "string", "example": "081234567890"},
                            "print": {
                                "type": "boolean",
                                "default": False,
                                "description": "Cetak tanda terima di printer kios",
                            },
                        },
                    }
                ),
                "responses": {
                    "201": _json(COMPLAINT, "Pengaduan diterima, dengan nomornya"),
                    "422": _json(ERROR, "Kategori, isi atau nomor ponsel tidak valid"),
                    "429": _json(ERROR, "Terlalu banyak permintaan"),
                },
            },
            "get": {
                "summary": "Daftar pengaduan untuk petugas",
                "security": STAFF,
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"enum": list(STATUSES)}},
                    {"name": "category", "in": "query", "schema": {"enum": list(CATEGORIES)}},
                    {"name": "late", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "complaints": {"type": "array", "items": STAFF_COMPLAINT}
                            },
                        },
                        "Pengaduan, yang terbuka dahulu",
                    ),
                    "401": _json(ERROR, "Belum masuk"),
                },
            },
        },
        "/complaints/{token}": {
            "get": {
                "summary": "Status dan jawaban sebuah pengaduan (publik, tanpa data pribadi)",
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": _json(COMPLAINT, "Pengaduan"),
                    "404": _json(ERROR, "Tidak ada"),
                },
            }
        },
        "/complaints/{complaint_id}/take": _complaint_action("Tangani (baru → diproses)"),
        "/complaints/{complaint_id}/answer": _complaint_action(
            "Jawab (→ dijawab; tampil di halaman pemohon)",
            {
                "type": "object",
                "required": ["answer"],
                "properties": {"answer": {"type": "string"}},
            },
        ),
        "/complaints/{complaint_id}/close": _complaint_action("Selesai (dijawab → selesai)"),
        "/surveys": {
            "post": {
                "summary": "Isi survei kepuasan (SKM) untuk tiket yang sudah selesai, sekali",
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["ticket_token", "answers"],
                        "properties": {
                            "ticket_token": {"type": "string"},
                            "answers": answers,
                            "comment": {"type": "string", "maxLength": 1000},
                        },
                    }
                ),
                "responses": {
                    "201": _json({"type": "object"}, "Survei tersimpan"),
                    "404": _json(ERROR, "Tiket tidak ditemukan"),
                    "409": _json(ERROR, "Tiket belum selesai, atau survei sudah diisi"),
                    "422": _json(ERROR, "Jawaban kurang atau di luar skala 1-4"),
                },
            }
        },
        "/surveys/ikm": {
            "get": {
                "summary": "NRR tiap unsur, IKM dan mutu pelayanan untuk satu periode",
                "security": STAFF,
                "parameters": [
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "service", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Ikm"}, "Indeks"),
                    "401": _json(ERROR, "Belum masuk"),
                },
            }
        },
    }


def feedback_schemas() -> dict:
    complaint = {
        "type": "object",
        "required": ["code", "status", "category", "received_at", "token", "status_url"],
        "properties": {
            "code": {"type": "string", "example": "PGD-2026-0001"},
            "status": {"enum": list(STATUSES)},
            "category": {"enum": list(CATEGORIES)},
            "received_at": {"type": "string", "format": "date-time"},
            "answer": {"type": ["string", "null"]},
            "answered_at": {"type": ["string", "null"], "format": "date-time"},
            "token": {"type": "string"},
            "status_url": {"type": "string", "format": "uri"},
        },
    }
    staff = {
        "allOf": [
            COMPLAINT,
            {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "channel": {"enum": ["kiosk", "phone", "api"]},
                    "text": {"type": "string"},
                    "name": {"type": ["string", "null"]},
                    "phone_masked": {"type": ["string", "null"], "example": "0812****7890"},
                    "handler": {"type": ["string", "null"]},
                    "deadline": {"type": "string", "format": "date"},
                    "late": {"type": "boolean"},
                    "working_days_to_answer": {"type": ["integer", "null"]},
                },
            },
        ]
    }
    ikm = {
        "type": "object",
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "respondents": {"type": "integer"},
            "elements": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "example": "U1"},
                        "name": {"type": "string"},
                        "nrr": {"type": "number"},
                    },
                },
            },
            "ikm": {"type": ["number", "null"], "description": "(jumlah 9 NRR / 9) x 25"},
            "grade": {"enum": ["A", "B", "C", "D", None]},
            "performance": {"type": ["string", "null"]},
        },
    }
    return {"Complaint": complaint, "StaffComplaint": staff, "Ikm": ikm}
