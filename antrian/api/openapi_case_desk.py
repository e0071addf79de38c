"""The OpenAPI description of /api/v1/cases, the case desk (merged into antrian/api/openapi.py)."""

from __future__ import annotations

from antrian.api.openapi_errors import (
    BAD_BODY,
    EMAIL,
    NIK,
    NO_ROUTE,
    NPWP,
    PHONE,
    at_least,
    error,
    or_blank,
)
from antrian.cases.models import TEAMS
from antrian.cases.operations import APPLICANT_FIELDS, LEGAL_FORMS
from antrian.cases.steps import DOCUMENTS

MAX_ID = 2**31 - 1  # antrian/input_guard.py MAX_DB_INT: a larger id is no route (404)
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
CASE = {"$ref": "#/components/schemas/Case"}
SECURITY = [{"bearer": []}, {"cookie": []}]
CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": ID}
STEP = {
    "name": "step",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 4},
}


def _personal(pattern: str, description: str, max_length: int = 64) -> dict:
    """A personal-data field: the pattern, or blank (clears it), or null."""
    return {
        "type": ["string", "null"],
        "pattern": or_blank(pattern),
        "maxLength": max_length,
        "description": description,
    }


APPLICANT = {
    "type": "object",
    "description": "Kolom yang dikirim saja yang diubah; NIK, NPWP, HP, e-mail diperiksa dan "
    "dinormalkan (HP menjadi +62…, NPWP 15 digit menjadi 16). Kosong atau null menghapus "
    "NIK, NPWP, HP dan e-mail. Spasi di awal dan akhir diabaikan.",
    "properties": {
        **{name: {"type": ["string", "null"]} for name in APPLICANT_FIELDS},
        "applicant_name": {
            "type": "string",
            "pattern": at_least(1),
            "description": "Wajib berisi; disimpan paling banyak 120 huruf",
        },
        "nik": _personal(
            NIK,
            "16 digit (spasi, titik, tanda hubung diabaikan): kode wilayah, tanggal lahir "
            "(perempuan +40), nomor urut bukan 0000. Kode wilayah yang tidak ada di kode "
            "wilayah Kemendagri, atau tanggal yang tidak ada di kalender, dijawab 422.",
        ),
        "npwp": _personal(
            NPWP,
            "15 digit (format lama) atau 16 digit; 16 digit yang tidak diawali 0 adalah NIK "
            "dan diperiksa seperti NIK (422 bila tidak sah).",
        ),
        "phone": _personal(PHONE, "Nomor Indonesia: HP 08… 10–13 digit, telepon 0761… 9–12 digit"),
        "email": _personal(
            EMAIL,
            "Satu @; paling banyak 64 karakter sebelum @ dan 253 sesudahnya (422 bila lebih)",
            318,
        ),
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


# The refusals of each operation, with the codes antrian/cases/operations.py and steps.py raise.
NO_CASE = error("Berkas tidak ditemukan", "unknown_case", NO_ROUTE)
NO_STEP = "unknown_step"  # a step outside 1-4 (the path's schema already says so)


def _op(
    summary: str,
    params: list,
    body: dict | None = None,
    ok: str = "200",
    conflicts: tuple[str, ...] = (),
    invalid: tuple[str, ...] = (),
    **extra,
) -> dict:
    responses = {ok: _answer(CASE, "Berkas"), "404": NO_CASE}
    if conflicts:
        responses["409"] = error("Status berkas tidak mengizinkan", *conflicts)
    if invalid:
        responses["422"] = error(
            "Isian salah (`invalid_fields`: `fields` memberi pesan per kolom) atau aturan "
            "berkas yang tidak dapat ditulis dalam skema",
            *invalid,
            fields="invalid_fields" in invalid,
        )
    op = {
        "summary": summary,
        "security": SECURITY,
        "parameters": params,
        "responses": {**responses, **extra},
    }
    if body:
        op["requestBody"] = _body(body)
        op["responses"].setdefault("400", error("Isi permintaan bukan objek JSON", *BAD_BODY))
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
                    },
                    "400": error("Tim tidak dikenal", "unknown_team", "bad_request"),
                },
            },
            "post": _op(
                "Buka berkas dari tiket A/B yang dipanggil, atau tanpa tiket",
                [],
                {
                    "type": "object",
                    "properties": {
                        "ticket_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
                        "applicant": APPLICANT,
                    },
                },
                ok="201",
                conflicts=("wrong_status",),
                invalid=("invalid_fields", "not_a_case_service"),
                **{
                    "400": error(
                        "Isi bukan objek JSON, atau ticket_id bukan bilangan bulat",
                        *BAD_BODY,
                        "bad_ticket",
                    ),
                    "404": error("Tiket tidak ditemukan", "unknown_ticket"),
                },
            ),
        },
        "/cases/{case_id}": {
            "get": _op("Satu berkas (data pribadi tersamar)", [CASE_ID]),
            "patch": _op(
                "Ubah data pemohon",
                [CASE_ID],
                APPLICANT,
                conflicts=("purged",),
                invalid=("invalid_fields",),
            ),
        },
        "/cases/{case_id}/steps/{step}/start": {
            "post": _op(
                "Mulai langkah SOP (berurutan, satu per satu)",
                [CASE_ID, STEP],
                conflicts=("case_closed", "step_open", "step_done", "step_order"),
                invalid=(NO_STEP,),
            )
        },
        "/cases/{case_id}/steps/{step}/finish": {
            "post": _op(
                "Selesaikan langkah dengan hasilnya (kolom yang wajib bergantung pada langkah; "
                "langkah 2 ke atas butuh nama pemohon, langkah 4 nama usaha dan KBLI)",
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
                conflicts=("case_closed", "step_not_open"),
                invalid=("invalid_fields", NO_STEP, "register"),
            )
        },
        "/cases/{case_id}/steps/{step}/correct": {
            "post": _op(
                "Koreksi hasil langkah yang selesai, dengan alasan (tercatat)",
                [CASE_ID, STEP],
                {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {
                        "outputs": OUTPUTS,
                        "reason": {"type": "string", "pattern": at_least(1)},
                    },
                },
                conflicts=("step_open",),
                invalid=("invalid_fields", NO_STEP, "no_change"),
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
                    # A note for the back office or the technical team (invalid_fields).
                    "if": {"properties": {"team": {"enum": ["back_office", "technical"]}}},
                    "then": {
                        "required": ["note"],
                        "properties": {"note": {"type": "string", "pattern": at_least(1)}},
                    },
                },
                conflicts=("case_closed",),
                # same_team: the case is in that team already (business state).
                invalid=("invalid_fields", "unknown_team", "same_team"),
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
                    },
                    "404": NO_CASE,
                    "409": error("Data pribadi sudah dihapus (masa simpan habis)", "purged"),
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
