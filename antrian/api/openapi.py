"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from antrian.api.openapi_case_desk import CASE_SCHEMA, case_desk_paths
from antrian.api.openapi_cases import case_paths
from antrian.api.openapi_desk import desk_paths
from antrian.api.openapi_errors import error
from antrian.api.openapi_feedback import feedback_paths, feedback_schemas
from antrian.api.openapi_reports import report_paths
from antrian.catalogue import PRIORITY_REASONS

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
COUNTER = {
    **ID,
    "description": "Loket yang bertindak. Wajib bagi petugas: tiket yang sedang di loket lain "
    "ditolak (409). Admin boleh tanpa loket atau dari loket lain; dicatat sebagai `override`.",
}
RETRY_AFTER = {
    "Retry-After": {"description": "Detik sebelum mencoba lagi", "schema": {"type": "integer"}}
}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


SERVICE_CODE = {"type": "string", "pattern": "^[A-Za-z]{1,8}$", "example": "A"}


def _staff_action(summary: str, body: dict | None = None) -> dict:
    schema = body or {"type": "object", "properties": {}}
    schema = {
        **schema,
        "required": [*schema.get("required", []), "counter"],  # an admin may leave it out
        "properties": {**schema["properties"], "counter": COUNTER},
        "additionalProperties": False,
    }
    op = {
        "summary": summary,
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"name": "ticket_id", "in": "path", "required": True, "schema": ID}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {
            "200": _json(TICKET, "Tiket setelah tindakan"),
            "401": _json(ERROR, "Belum masuk"),
            "403": _json(ERROR, "Akun tanpa peran front_office (atau admin)"),
            "404": _json(ERROR, "Tiket tidak ditemukan"),
            "409": _json(
                ERROR, "Status tiket tidak mengizinkan tindakan ini, atau tiket di loket lain"
            ),
            "422": _json(ERROR, "Loket tidak disebut (`counter_required`) atau isian tidak valid"),
        },
    }
    return {"post": op}


NO_NUL = "^[^\\x00]*$"


def _text_without_nul(schema) -> None:
    """Every free-text string in a schema says what the server enforces for all of them: no
    NUL byte (antrian/input_guard.py answers one with a 400)."""
    if isinstance(schema, list):
        for item in schema:
            _text_without_nul(item)
    elif isinstance(schema, dict):
        if schema.get("type") == "string" and not {"pattern", "enum", "format"} & schema.keys():
            schema["pattern"] = NO_NUL
        if schema.get("type") == "object" and "properties" in schema:
            # The server reads the named fields only; anything else may not carry a NUL either.
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _text_without_nul(value)


def with_common_errors(paths: dict) -> dict:
    """Answers any operation may give: bad input (400: JSON, NUL byte, a value out of range),
    a body too large (413), a database that cannot be used (503 with Retry-After); with their
    one code each (antrian/error_pages.py, antrian/auth.py) where the operation names none."""
    for operations in paths.values():
        for op in operations.values():
            _text_without_nul(op.get("parameters", []))
            _text_without_nul(op.get("requestBody", {}))
            responses = op.setdefault("responses", {})
            responses.setdefault("400", _json(ERROR, "Permintaan tidak valid"))
            responses.setdefault(
                "503",
                {
                    **error("Basis data tidak dapat dipakai saat ini", "unavailable"),
                    "headers": RETRY_AFTER,
                },
            )
            if "requestBody" in op:
                responses.setdefault(
                    "413", error("Isi permintaan terlalu besar", "request_entity_too_large")
                )
            if op.get("security"):
                responses.setdefault("401", error("Belum masuk", "unauthorized"))
                responses.setdefault("403", error("Akun tidak berhak", "forbidden"))
    return paths


def openapi_document() -> dict:
    service_body = {
        "type": "object",
        "required": ["service"],
        "properties": {"service": SERVICE_CODE},
    }
    paths = {
        "/": {
            "get": {
                "summary": "Daftar bagian API ini, dengan tautannya",
                "responses": {"200": {"description": "Tautan ke setiap bagian"}},
            }
        },
        "/tickets": {
            "post": {
                "summary": "Ambil nomor antrean (publik, seperti kios)",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 80},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["service"],
                                "additionalProperties": False,
                                "properties": {
                                    "service": SERVICE_CODE,
                                    "priority": {"enum": [*PRIORITY_REASONS, None]},
                                    "print": {"type": "boolean", "default": True},
                                    "lang": {
                                        "enum": ["id", "en"],
                                        "default": "id",
                                        "description": "Bahasa slip, halaman ponsel dan panggilan",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json(TICKET, "Tiket baru"),
                    "200": _json(TICKET, "Tiket yang sama untuk Idempotency-Key yang diulang"),
                    "404": _json(ERROR, "Layanan tidak dikenal"),
                    "400": _json(ERROR, "JSON tidak valid"),
                    "409": _json(
                        ERROR,
                        "Pelayanan tutup (di luar jam layanan, hari libur, cuti bersama, hari "
                        "yang ditutup admin; error=closed) atau kuota harian layanan habis "
                        "(error=quota_full); resumes_at: kapan nomor diberikan lagi. Juga "
                        "Idempotency-Key yang sama sudah dipakai hari ini untuk layanan atau "
                        "prioritas lain "
                        "(`idempotency_key_reused`)",
                    ),
                    "422": _json(ERROR, "Prioritas atau bahasa tidak dikenal"),
                    "429": _json(
                        ERROR,
                        "Terlalu banyak tiket dari alamat ini (satu hitungan untuk kios dan API)",
                        RETRY_AFTER,
                    ),
                },
            }
        },
        "/tickets/{token}": {
            "get": {
                "summary": "Status dan posisi tiket (publik)",
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _json(TICKET, "Tiket"), "404": _json(ERROR, "Tidak ada")},
            }
        },
        "/queue": {
            "get": {
                "summary": "Jumlah menunggu per layanan, isi tiap loket, panggilan terakhir",
                "responses": {"200": _json({"$ref": "#/components/schemas/Queue"}, "Antrean")},
            }
        },
        "/counters/{number}/call-next": {
            "post": {
                "summary": "Panggil nomor berikutnya ke loket",
                "security": [{"bearer": []}, {"cookie": []}],
                "parameters": [
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": ID,
                    }
                ],
                "responses": {
                    "200": _json(TICKET, "Tiket yang dipanggil"),
                    "401": _json(ERROR, "Belum masuk"),
                    "403": _json(ERROR, "Akun tanpa peran front_office (atau admin)"),
                    "404": _json(ERROR, "Loket tidak ada atau tidak aktif"),
                    "409": _json(ERROR, "Tidak ada yang menunggu"),
                },
            }
        },
        "/tickets/{ticket_id}/recall": _staff_action("Panggil ulang"),
        "/tickets/{ticket_id}/skip": _staff_action("Lewati (tidak hadir)"),
        "/tickets/{ticket_id}/reactivate": _staff_action("Aktifkan kembali tiket yang dilewati"),
        "/tickets/{ticket_id}/start": _staff_action("Mulai melayani"),
        "/tickets/{ticket_id}/finish": _staff_action("Selesai"),
        "/tickets/{ticket_id}/transfer": _staff_action("Alihkan ke layanan lain", service_body),
        "/phrase": {
            "get": {
                "summary": "Kalimat panggilan yang diucapkan layar antrean",
                "parameters": [
                    {
                        "name": "code",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Za-z]{1,8}-?[0-9]{1,3}$"},
                    },
                    {
                        "name": "counter",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^([0-9]{1,3}|[A-Za-z]{1,30})$"},
                    },
                    {"name": "lang", "in": "query", "schema": {"enum": ["id", "en"]}},
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"text": {"type": "string"}}}, "Kalimat"
                    ),
                    "400": _json(ERROR, "Kode atau loket tidak valid"),
                },
            }
        },
    }
    from antrian.api import printers

    paths.update(case_paths())
    paths.update(report_paths())
    paths.update(feedback_paths())
    paths.update(printers.openapi_paths(ERROR, _json))
    paths.update(case_desk_paths())
    paths.update(desk_paths())

    with_common_errors(paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Antrian DPMPTSP Kabupaten Pelalawan", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Token dari `antrian staff token <username>`",
                },
                "cookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "Sesi konsol petugas; POST juga butuh X-CSRFToken",
                },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "resumes_at": {
                            "type": ["string", "null"],
                            "format": "date-time",
                            "description": "Hanya pada 409 closed/quota_full",
                        },
                    },
                },
                "Ticket": {
                    "type": "object",
                    "required": [
                        "id",
                        "code",
                        "number",
                        "service",
                        "status",
                        "issued_at",
                        "position",
                        "estimated_wait_minutes",
                        "token",
                        "status_url",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string", "example": "A-001"},
                        "number": {"type": "integer"},
                        "service": {"type": "string"},
                        "status": {"enum": ["waiting", "called", "serving", "done", "no_show"]},
                        "priority": {"type": ["string", "null"]},
                        "issued_at": {"type": "string", "format": "date-time"},
                        "position": {
                            "type": "integer",
                            "description": "1 = berikutnya; 0 bila tidak menunggu",
                        },
                        "estimated_wait_minutes": {"type": "integer"},
                        "counter": {"type": ["integer", "null"]},
                        "token": {"type": "string"},
                        "status_url": {"type": "string", "format": "uri"},
                        "lang": {"enum": ["id", "en"]},
                    },
                },
                **feedback_schemas(),
                "Printer": printers.PRINTER,
                "PrintJob": printers.PRINT_JOB,
                "Case": CASE_SCHEMA,
                "Queue": {
                    "type": "object",
                    "properties": {
                        "services": {"type": "array"},
                        "counters": {"type": "array"},
                        "last_calls": {"type": "array"},
                    },
                },
            },
        },
    }
