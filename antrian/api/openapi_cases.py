"""The OpenAPI paths of the case desk's reference parts: field checks (and the register)."""

from __future__ import annotations

from antrian.cases.validators import KINDS

ERROR = {"$ref": "#/components/schemas/Error"}
STAFF = [{"bearer": []}, {"cookie": []}]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


VALIDATION = {
    "type": "object",
    "required": ["valid", "normalized", "errors", "warnings", "details"],
    "properties": {
        "valid": {"type": "boolean"},
        "normalized": {
            "type": ["string", "null"],
            "description": "Bentuk simpan: NIK/NIB angka saja, NPWP 16 digit, telepon +62…",
        },
        "errors": {"type": "array", "items": {"type": "string"}, "description": "Menghalangi"},
        "warnings": {"type": "array", "items": {"type": "string"}, "description": "Peringatan"},
        "details": {
            "type": "object",
            "description": "NIK: region_code (6 digit), region ('Kabupaten Pelalawan, Riau'), "
            "district, birth_date (YYYY-MM-DD), sex (male/female). NPWP: form (npwp15/nik), "
            "formatted. Telepon: type (mobile/landline), national.",
        },
    },
}


REGISTER_ENTRY = {
    "type": "object",
    "properties": {
        "register_number": {"type": "string", "example": "0001/IUMK/DPMPTSP/2026"},
        "year": {"type": "integer"},
        "number": {"type": "integer"},
        "issued_on": {"type": "string", "format": "date"},
        "applicant_name": {"type": "string"},
        "business_name": {"type": "string"},
        "kbli": {"type": "string", "pattern": "^[0-9]{5}$"},
        "nib": {"type": "string", "pattern": "^[0-9]{13}$"},
        "licence_number": {"type": "string"},
        "officer": {"type": "string"},
        "case_id": {"type": ["integer", "null"]},
    },
}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def case_paths() -> dict:
    return {
        "/register": {
            "get": {
                "summary": "Buku Register: cari dan halaman, terbaru dahulu (petugas)",
                "security": STAFF,
                "parameters": [
                    _query("q", "Nama pemohon/usaha, NIB atau nomor register", {"type": "string"}),
                    _query("dari", "Tanggal terbit sejak", {"type": "string", "format": "date"}),
                    _query("sampai", "Tanggal terbit sampai", {"type": "string", "format": "date"}),
                    _query(
                        "kbli", "Kode KBLI 5 digit", {"type": "string", "pattern": "^[0-9]{5}$"}
                    ),
                    _query(
                        "page",
                        "Halaman, mulai 1",
                        {"type": "integer", "default": 1, "minimum": 1, "maximum": 2**31 - 1},
                    ),
                    _query(
                        "per_page",
                        "Entri per halaman",
                        {"type": "integer", "default": 50, "minimum": 1, "maximum": 200},
                    ),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "entries": {"type": "array", "items": REGISTER_ENTRY},
                                "total": {"type": "integer"},
                                "page": {"type": "integer"},
                                "pages": {"type": "integer"},
                                "per_page": {"type": "integer"},
                            },
                        },
                        "Satu halaman entri",
                    ),
                    "400": _json(
                        ERROR, "Tanggal atau KBLI tidak valid, atau tanggal awal sesudah akhir"
                    ),
                    "401": _json(ERROR, "Belum masuk"),
                },
            }
        },
        "/validate": {
            "post": {
                "summary": "Periksa NIK, NPWP, NIB, nomor telepon atau e-mail (petugas)",
                "security": STAFF,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["kind", "value"],
                                "additionalProperties": False,
                                "properties": {
                                    "kind": {"enum": list(KINDS)},
                                    "value": {
                                        "type": "string",
                                        "example": "1405020101900001",
                                        "pattern": "^[^\\x00]*$",  # a NUL byte is a 400
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(VALIDATION, "Hasil pemeriksaan (valid atau tidak)"),
                    "400": _json(ERROR, "Jenis tidak dikenal atau isi bukan teks"),
                    "401": _json(ERROR, "Belum masuk"),
                },
            }
        },
    }
