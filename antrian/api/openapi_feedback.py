"""The OpenAPI description of /api/v1/complaints and /api/v1/surveys (antrian/api/openapi.py
merges it)."""

from __future__ import annotations

from antrian.api.openapi_errors import BAD_BODY, NO_ROUTE, PHONE, at_least, error, or_blank
from antrian.feedback.complaints import CATEGORIES, STATUSES, TEXT_MAX
from antrian.feedback.elements import ELEMENTS

ERROR = {"$ref": "#/components/schemas/Error"}
COMPLAINT = {"$ref": "#/components/schemas/Complaint"}
STAFF_COMPLAINT = {"$ref": "#/components/schemas/StaffComplaint"}
STAFF = [{"bearer": []}, {"cookie": []}]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}  # larger: no route (404)
NO_COMPLAINT = error("Pengaduan tidak ditemukan", "unknown_complaint", NO_ROUTE)
RATE_LIMITED = error("Terlalu banyak permintaan dari alamat ini", "rate_limited")


def _complaint_action(summary: str, body: dict | None = None) -> dict:
    op = {
        "summary": summary,
        "security": STAFF,
        "parameters": [{"name": "complaint_id", "in": "path", "required": True, "schema": ID}],
        "responses": {
            "200": _json(STAFF_COMPLAINT, "Pengaduan setelah tindakan"),
            "404": NO_COMPLAINT,
            "409": error("Status pengaduan tidak mengizinkan tindakan ini", "complaint_status"),
        },
    }
    if body:
        op["requestBody"] = _body(body)
        op["responses"]["400"] = error("Isi permintaan bukan objek JSON", *BAD_BODY)
        op["responses"]["422"] = error("Jawaban kosong, terlalu pendek atau panjang", "bad_answer")
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
                            "text": {
                                "type": "string",
                                "pattern": at_least(10),
                                "maxLength": TEXT_MAX,
                                "description": "10 sampai 2000 huruf (spasi di awal dan akhir "
                                "tidak dihitung)",
                            },
                            "name": {"type": "string", "maxLength": 120},
                            "phone": {
                                "type": "string",
                                "pattern": or_blank(PHONE),
                                "maxLength": 40,
                                "example": "0812 3456 7890",
                                "description": "Boleh kosong. Nomor Indonesia: HP 08… 10–13 "
                                "digit, telepon 0761… 9–12 digit; spasi, titik, tanda hubung, "
                                "kurung dan garis miring diabaikan",
                            },
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
                    "400": error("Isi permintaan bukan objek JSON", *BAD_BODY),
                    "422": error("Kategori, isi atau nomor ponsel tidak valid", "bad_complaint"),
                    "429": RATE_LIMITED,
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
                    "404": error("Tidak ada", "unknown_complaint", NO_ROUTE),
                },
            }
        },
        "/complaints/{complaint_id}/take": _complaint_action("Tangani (baru → diproses)"),
        "/complaints/{complaint_id}/answer": _complaint_action(
            "Jawab (→ dijawab; tampil di halaman pemohon)",
            {
                "type": "object",
                "required": ["answer"],
                "properties": {
                    "answer": {
                        "type": "string",
                        "pattern": at_least(5),
                        "maxLength": TEXT_MAX,
                        "description": "5 sampai 2000 huruf (spasi di awal dan akhir tidak "
                        "dihitung)",
                    }
                },
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
                    "201": _json(
                        {
                            "type": "object",
                            "required": ["ok", "service"],
                            "properties": {
                                "ok": {"const": True},
                                "service": {"type": "string", "example": "A"},
                            },
                        },
                        "Survei tersimpan",
                    ),
                    "400": error("Isi permintaan bukan objek JSON", *BAD_BODY),
                    "404": error("Tiket tidak ditemukan", "unknown_ticket"),
                    "409": error(
                        "Tiket belum selesai, atau survei sudah diisi",
                        "survey_not_open",
                        "survey_done",
                    ),
                    "422": error(
                        "Jawaban kurang, di luar skala 1-4, atau saran terlalu panjang",
                        "bad_survey",
                    ),
                    "429": RATE_LIMITED,
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
                    {
                        "name": "service",
                        "in": "query",
                        "description": "Kode layanan; tanpa ini semua layanan",
                        "schema": {"type": "string", "pattern": "^[A-Za-z]{1,8}$"},
                    },
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Ikm"}, "Indeks"),
                    "400": error("Tanggal tidak valid", "bad_date", "bad_request"),
                    "404": error("Layanan tidak dikenal atau tidak aktif", "unknown_service"),
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
