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


def case_paths() -> dict:
    return {
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
                                "properties": {
                                    "kind": {"enum": list(KINDS)},
                                    "value": {"type": "string", "example": "1405020101900001"},
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
