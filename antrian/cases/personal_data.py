"""Personal data of an applicant (UU 27/2022): encrypted at rest, masked on screens and slips.

The case model declares its NIK, NPWP, phone and e-mail columns as `EncryptedText`: the value
is encrypted with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`) before it reaches the
database and decrypted when read, so neither the SQLite file, a PostgreSQL dump nor a backup
holds them in clear. Fernet is randomised: equal NIKs give different ciphertexts; a case is
found by NIK through `search_token` (a keyed hash), never by comparing the column.

The key: `ANTRIAN_DATA_KEY` (one Fernet key, or several separated by commas: the first
encrypts, all decrypt, for rotating keys), else the file `data_key` in the instance folder,
created on first run with mode 0600. Losing it loses the personal data, not the cases; back
it up apart from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

KEY_ENV = "ANTRIAN_DATA_KEY"
KEY_FILE = "data_key"

_lock = threading.Lock()
_keys: list[bytes] | None = None
_cipher: MultiFernet | None = None


def data_keys(instance_path: Path, env: dict[str, str] | None = None) -> list[bytes]:
    """The keys from the environment, or the instance folder's key file (made if missing)."""
    configured = (os.environ if env is None else env).get(KEY_ENV, "").strip()
    if configured:
        return [k.strip().encode() for k in configured.split(",") if k.strip()]
    key_file = instance_path / KEY_FILE
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
    return [key_file.read_bytes().strip()]


def use_keys(keys: list[bytes]) -> None:
    """Called by create_app and the CLI with `data_keys(instance)`; a process has one key set."""
    global _keys, _cipher
    with _lock:
        _cipher = MultiFernet([Fernet(k) for k in keys])
        _keys = list(keys)


def _current() -> tuple[MultiFernet, bytes]:
    if _cipher is None:
        # Code that runs without create_app (a script, a test of an operation) uses the
        # instance folder the settings name, as the app would.
        from antrian.config import load_settings

        use_keys(data_keys(load_settings().instance_path))
    return _cipher, _keys[0]


def encrypt(value: str) -> str:
    return _current()[0].encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current()[0].decrypt(token.encode("ascii")).decode()
    except InvalidToken as err:
        raise ValueError(
            "Data pribadi tidak dapat dibuka: kunci (ANTRIAN_DATA_KEY / instance/data_key) "
            "bukan kunci yang mengenkripsinya."
        ) from err


def search_token(value: str) -> str:
    """A keyed hash to find a record by NIK without storing it in clear (store the normalised
    value's token in an indexed column beside the encrypted one)."""
    key = hmac.new(_current()[1], b"antrian search token", hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedText(TypeDecorator):
    """A Text column whose values are stored encrypted; None and "" stay as they are."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return encrypt(value) if value else value

    def process_result_value(self, value, dialect):
        return decrypt(value) if value else value


# --- Masks: what screens and slips show ------------------------------------------------------

_NON_DIGIT = re.compile(r"\D")


def mask_nik(nik: str | None) -> str:
    """'1405020101900001' -> '140502******0001': the region stays, birth date goes."""
    digits = _NON_DIGIT.sub("", nik or "")
    if len(digits) < 10:
        return "*" * len(digits)
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_phone(phone: str | None) -> str:
    """'+6281234567890' or '081234567890' -> '0812****7890'."""
    digits = _NON_DIGIT.sub("", phone or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_email(email: str | None) -> str:
    """'ani.lestari@domain.id' -> 'a***@domain.id'."""
    if not email or "@" not in email:
        return "***" if email else ""
    local_part, domain = email.rsplit("@", 1)
    return f"{local_part[:1]}***@{domain}"


def mask_npwp(npwp: str | None) -> str:
    """A NIK-form NPWP as a NIK; a legacy one keeps its tax office and status, not its serial:
    '0013121660091000' -> '01.***.***.*-091.000'."""
    digits = _NON_DIGIT.sub("", npwp or "")
    if len(digits) == 16 and not digits.startswith("0"):
        return mask_nik(digits)
    if len(digits) not in (15, 16):
        return "*" * len(digits)
    legacy = digits[-15:]
    return f"{legacy[:2]}.***.***.*-{legacy[9:12]}.{legacy[12:]}"
