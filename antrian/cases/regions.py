"""Kemendagri's kode wilayah, province to district, for reading the first six digits of a NIK.

The table (antrian/cases/data/kode_wilayah.json) names its source and date; scripts/
kode_wilayah.py rebuilds it. Codes are plain digits: "14" Riau, "1405" Kabupaten Pelalawan,
"140502" Pangkalan Kerinci.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _table() -> dict:
    raw = resources.files("antrian.cases").joinpath("data", "kode_wilayah.json").read_text("utf-8")
    return json.loads(raw)


def region_name(code: str) -> str | None:
    """The name of a province (2 digits), regency/city (4) or district (6); None if unknown."""
    return _table()["regions"].get(code)


def source() -> str:
    table = _table()
    return f"{table['source']} ({table['via']})"
