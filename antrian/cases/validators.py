"""Checks of what an officer types into a case: NIK, NPWP, NIB, phone, e-mail.

`validate(kind, value)` answers the desk's per-field checks, `POST /api/v1/validate` and the
case operations alike, so the three can never disagree. Errors block saving; warnings are shown
and let the officer go on (a real person's paper may carry an odd but genuine number). Every
message is in plain Indonesian and says what to fix.
"""

from __future__ import annotations

import re
from datetime import date

from antrian.cases.nik import check_nik
from antrian.cases.validation import Validation, digits_only, result
from antrian.clock import local, utcnow

KINDS = ("nik", "npwp", "nib", "phone", "email")
LABELS = {"nik": "NIK", "npwp": "NPWP", "nib": "NIB", "phone": "Nomor telepon", "email": "E-mail"}


class UnknownKind(ValueError):
    def __init__(self, kind: str):
        super().__init__(f"Jenis pemeriksaan tidak dikenal: {kind!r}. Pilihan: {', '.join(KINDS)}.")
        self.kind = kind


def validate(kind: str, value: str | None, *, today: date | None = None) -> Validation:
    """Check one field. `today` (office date) decides a NIK's century; default: now in WIB."""
    check = _CHECKS.get(kind)
    if check is None:
        raise UnknownKind(kind)
    text = (value or "").strip()
    if not text:
        return result(None, [f"{LABELS[kind]} wajib diisi."])
    return check(text, today or local(utcnow()).date())


# --- NPWP: 15 digits (legacy, stored with a leading 0) or 16 (a NIK serves for a person) ----


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _npwp(text: str, today: date) -> Validation:
    digits, errors = digits_only(text, "NPWP", "spasi, titik dan tanda hubung")
    if errors:
        return result(None, errors)
    if len(digits) not in (15, 16):
        return result(
            None, [f"NPWP harus 15 digit (format lama) atau 16 digit; yang diketik {len(digits)}."]
        )
    if len(digits) == 16 and not digits.startswith("0"):
        # Since PMK 112/2022 a resident's NIK is their NPWP.
        nik = check_nik(digits, today)
        errors = [
            f"NPWP 16 digit ini adalah NIK, tetapi: {e[0].lower()}{e[1:]}" for e in nik.errors
        ]
        return result(digits, errors, nik.warnings, {"form": "nik", **nik.details})
    legacy = digits[-15:]
    details = {
        "form": "npwp15",
        "formatted": f"{legacy[:2]}.{legacy[2:5]}.{legacy[5:8]}.{legacy[8]}-"
        f"{legacy[9:12]}.{legacy[12:]}",
    }
    warnings = []
    if not _luhn_ok(legacy[:9]):
        warnings.append(
            "Digit pemeriksa NPWP (digit ke-9 dari 15) tidak cocok: periksa kembali nomornya "
            "pada kartu NPWP. Boleh dilanjutkan bila nomor sudah sesuai kartu."
        )
    return result("0" + legacy, [], warnings, details)


# --- NIB: 13 digits from OSS ------------------------------------------------------------------


def _nib(text: str, today: date) -> Validation:
    digits, errors = digits_only(text, "NIB", "spasi dan titik")
    if not errors and len(digits) != 13:
        errors = [f"NIB harus 13 digit; yang diketik {len(digits)} digit."]
    return result(digits, errors)


# --- Phone: Indonesian numbers, stored +62... -------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def _phone(text: str, today: date) -> Validation:
    raw = _PHONE_SEPARATORS.sub("", text)
    plus = raw.startswith("+")
    digits = raw[1:] if plus else raw
    if not digits.isdecimal() or not digits.isascii():
        return result(None, ["Nomor telepon hanya boleh berisi angka, dengan + di depan."])
    warnings = []
    if digits.startswith("62"):
        national = digits[2:]
        if national.startswith("0"):
            national = national[1:]
            warnings.append("Angka 0 sesudah kode negara 62 dihapus.")
    elif plus:
        return result(None, ["Hanya nomor Indonesia (+62 atau diawali 0) yang diterima."])
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits  # "812..." typed without its 0
    else:
        return result(None, ["Nomor telepon harus diawali 0, 62 atau +62, misalnya 0812…."])
    if national.startswith("8"):
        kind, lengths, label = "mobile", range(9, 13), "Nomor HP harus 10–13 digit (08…)"
    elif national and national[0] in "234567":
        kind, lengths, label = (
            "landline",
            range(8, 12),
            "Nomor telepon rumah/kantor harus 9–12 digit",
        )
    else:
        return result(None, ["Nomor ini bukan nomor HP (08…) atau telepon berkode area (0761…)."])
    if len(national) not in lengths:
        return result(None, [f"{label}; yang diketik {len(national) + 1} digit."])
    details = {"type": kind, "national": _group_national("0" + national, kind)}
    return result("+62" + national, [], warnings, details)


def _group_national(number: str, kind: str) -> str:
    if kind == "mobile":  # 0812-3456-7890
        return f"{number[:4]}-{number[4:8]}-{number[8:]}"
    area = 3 if number[1] == "2" and number[2] in "12" else 4  # 021, 022; else 0761...
    return f"({number[:area]}) {number[area:]}"


# --- E-mail: a syntax check -------------------------------------------------------------------

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TYPOS = {
    "gmail.co": "gmail.com",
    "gmial.com": "gmail.com",
    "gmai.com": "gmail.com",
    "gamil.com": "gmail.com",
    "gmail.con": "gmail.com",
    "yahoo.co": "yahoo.com",
    "yahoo.con": "yahoo.com",
    "yaho.com": "yahoo.com",
    "yahoo.co.in": "yahoo.co.id",
}


def _email(text: str, today: date) -> Validation:
    if any(ch.isspace() for ch in text):
        return result(None, ["Alamat e-mail tidak boleh berisi spasi."])
    if text.count("@") != 1:
        return result(None, ["Alamat e-mail harus berisi tepat satu @, misalnya nama@domain.id."])
    local_part, domain = text.split("@")
    if not local_part or not _LOCAL.fullmatch(local_part) or len(local_part) > 64:
        return result(None, [f"Bagian sebelum @ ('{local_part}') tidak valid."])
    labels = domain.lower().split(".")
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not (labels[-1].isalpha() and len(labels[-1]) >= 2 or labels[-1].startswith("xn--"))
        or len(domain) > 253
    ):
        return result(None, [f"Domain '{domain}' tidak valid; contohnya gmail.com atau desa.id."])
    domain = ".".join(labels)
    warnings = []
    if domain in _TYPOS:
        warnings.append(f"Apakah maksudnya {local_part}@{_TYPOS[domain]}?")
    return result(f"{local_part}@{domain}", [], warnings)


_CHECKS = {"nik": check_nik, "npwp": _npwp, "nib": _nib, "phone": _phone, "email": _email}
