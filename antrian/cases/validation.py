"""What a field check answers (shared by the checks in validators.py and nik.py)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Validation:
    valid: bool
    normalized: str | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def result(normalized: str | None, errors: list[str], warnings=None, details=None) -> Validation:
    return Validation(
        valid=not errors,
        normalized=None if errors else normalized,
        errors=errors,
        warnings=warnings or [],
        details=details or {},
    )


_SEPARATORS = re.compile(r"[\s.\-]")


def digits_only(text: str, label: str, separators: str) -> tuple[str, list[str]]:
    digits = _SEPARATORS.sub("", text)
    if not digits.isdecimal() or not digits.isascii():
        return digits, [f"{label} hanya boleh berisi angka ({separators} boleh diabaikan)."]
    return digits, []
