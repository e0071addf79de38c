"""The OpenAPI description of /api/v1/cases, the case desk (merged into antrian/api/openapi.py)."""

from __future__ import annotations

from antrian.cases.models import TEAMS
from antrian.cases.operations import APPLICANT_FIELDS, LEGAL_FORMS
from antrian.cases.steps import DOCUMENTS

ERROR = {"$ref": "#/components/schemas/Error"}
CASE = {"$ref": "#/components/schemas/Case"}
SECURITY = [{"bearer": []}, {"cookie": []}]
CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}
STEP = {
    "name": "step",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 4},
}
FIELD_ERRORS = {
    "description": "Isian salah; `fields` memberi pesan per kolom (bahasa Indonesia)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "error": {"const": "invalid_fields"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        }
    },
}
APPLICANT = {
    "type": "object",
    "description": "Kolom yang dikirim saja yang diubah; NIK, NPWP, HP, e-mail diperiksa dan "
    "dinormalkan (HP menjadi +62…, NPWP 15 digit menjadi 16).",
    "properties": {
        **{name: {"type": ["string", "null"]} for name in APPLICANT_FIELDS},
        "legal_form": {"enum": list(LEGAL_FORMS)},
        "kbli": {"type": ["string", "null"], "pattern": "^[0-9]{5}$"},
    },
}
OUTPUTS = {
    "type": "object",
    "description": "Langkah 1: oss_username. Langkah 2: documents (nomor tanda terima "
    "diberikan sistem, tanda terima dicetak). Langkah 3: nib (13 digit), licence_number, "
    "issued_on. Langkah 4: handed_over_to, handed_on (menulis Buku Register, mencetak tanda "
    "serah terima).",
    "properties": {
        "oss_username": {"type": "string"},
        "documents": {"type": "array", "items": {"enum": list(DOCUMENTS)}},
        "nib": {"type": "string", "pattern": "^[0-9]{13}$"},
        "licence_number": {"type": "string"},
        "issued_on": {"type": "string", "format": "date"},
        "handed_over_to": {"type": "string"},
        "handed_on": {"type": "string", "format": "date"},
    },
}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _answer(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary: str, params: list, body: dict | None = None, ok: str = "200", **extra) -> dict:
    op = {
        "summary": summary,
        "security": SECURITY,
        "parameters": params,
        "responses": {
            ok: _answer(CASE, "Berkas"),
            "401": _answer(ERROR, "Belum masuk"),
            "404": _answer(ERROR, "Tidak ditemukan"),
            "409": _answer(ERROR, "Status berkas tidak mengizinkan"),
            "422": FIELD_ERRORS,
            **extra,
        },
    }
    if body:
        op["requestBody"] = _body(body)
    return op


def case_desk_paths() -> dict:
    return {
        "/cases": {
            "get": {
                "summary": "Berkas terbuka yang ditangani satu tim",
                "security": SECURITY,
                "parameters": [
                    {"name": "team", "in": "query", "schema": {"enum": list(TEAMS)}},
                ],
                "responses": {
                    "200": {
                        "description": "Daftar berkas",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": CASE}}
                        },
                    }
                },
            },
            "post": _op(
                "Buka berkas dari tiket A/B yang dipanggil, atau tanpa tiket",
                [],
                {
                    "type": "object",
                    "properties": {
                        "ticket_id": {"type": ["integer", "null"]},
                        "applicant": APPLICANT,
                    },
                },
                ok="201",
            ),
        },
        "/cases/{case_id}": {
            "get": _op("Satu berkas (data pribadi tersamar)", [CASE_ID]),
            "patch": _op("Ubah data pemohon", [CASE_ID], APPLICANT),
        },
        "/cases/{case_id}/steps/{step}/start": {
            "post": _op("Mulai langkah SOP (berurutan, satu per satu)", [CASE_ID, STEP])
        },
        "/cases/{case_id}/steps/{step}/finish": {
            "post": _op(
                "Selesaikan langkah dengan hasilnya",
                [CASE_ID, STEP],
                {
                    "type": "object",
                    "properties": {
                        "outputs": OUTPUTS,
                        "counter": {
                            "type": "integer",
                            "description": "loket yang mencetak slip langkah 2 dan 4 "
                            "(bawaan: loket yang memanggil tiket berkas ini)",
                        },
                    },
                },
            )
        },
        "/cases/{case_id}/steps/{step}/correct": {
            "post": _op(
                "Koreksi hasil langkah yang selesai, dengan alasan (tercatat)",
                [CASE_ID, STEP],
                {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"outputs": OUTPUTS, "reason": {"type": "string"}},
                },
            )
        },
        "/cases/{case_id}/assign": {
            "post": _op(
                "Alihkan berkas ke back office / tim teknis dengan catatan, atau kembali",
                [CASE_ID],
                {
                    "type": "object",
                    "required": ["team"],
                    "properties": {"team": {"enum": list(TEAMS)}, "note": {"type": "string"}},
                },
            )
        },
        "/cases/{case_id}/reveal": {
            "post": {
                "summary": "Tampilkan NIK, NPWP, HP, e-mail (tercatat: siapa, kapan, berkas mana)",
                "security": SECURITY,
                "parameters": [CASE_ID],
                "responses": {
                    "200": {
                        "description": "Data pribadi",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        k: {"type": ["string", "null"]}
                                        for k in ("nik", "npwp", "phone", "email")
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
    }


CASE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "ticket": {"type": ["string", "null"], "example": "A-001"},
        "status": {"enum": ["open", "done"]},
        "team": {"enum": list(TEAMS)},
        "applicant_name": {"type": "string"},
        "personal_data": {
            "type": "object",
            "description": "Tersamar, mis. 140502******0001",
            "properties": {
                k: {"type": ["string", "null"]} for k in ("nik", "npwp", "phone", "email")
            },
        },
        "legal_form": {"type": "string"},
        "business_name": {"type": "string"},
        "business_address": {"type": "string"},
        "kbli": {"type": ["string", "null"]},
        "notes": {"type": "string"},
        "receipt_number": {"type": ["string", "null"], "example": "TTB-2026-0042"},
        "nib": {"type": ["string", "null"]},
        "opened_at": {"type": "string", "format": "date-time"},
        "closed_at": {"type": ["string", "null"], "format": "date-time"},
        "status_url": {"type": "string", "format": "uri"},
        "steps": {"type": "array", "items": {"type": "object"}},
        "total": {"type": "object"},
        "assignments": {"type": "array", "items": {"type": "object"}},
    },
}
