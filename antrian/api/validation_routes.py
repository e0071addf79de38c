"""POST /api/v1/validate: the case form's field checks for other programs."""

from __future__ import annotations

from flask import jsonify

from antrian.api.routes import api, error, json_body
from antrian.auth import api_role_required
from antrian.cases.validators import KINDS, UnknownKind, validate
from antrian.roles import CASE_WORKERS


@api.post("/validate")
@api_role_required(*CASE_WORKERS)
def validate_field():
    body = json_body()
    kind, value = body.get("kind"), body.get("value")
    if not isinstance(value, str):
        return error("bad_value", "Kolom 'value' wajib berupa teks.", 400)
    try:
        result = validate(kind if isinstance(kind, str) else "", value)
    except UnknownKind:
        return error(
            "unknown_kind", f"Kolom 'kind' harus salah satu dari: {', '.join(KINDS)}.", 400
        )
    return jsonify(result.as_dict())
