"""The NIK check: PP KK CC DDMMYY SSSS (province, regency, district, birth date, serial).

Regions come from Kemendagri's kode wilayah (antrian/cases/regions.py); the birth date's
century is the latest that is not in the future; a woman's day is written + 40.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from antrian.cases.regions import region_name
from antrian.cases.validation import Validation, digits_only, result

_MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def check_nik(text: str, today: date) -> Validation:
    digits, errors = digits_only(text, "NIK", "spasi dan titik")
    if errors:
        return result(None, errors)
    if len(digits) != 16:
        return result(None, [f"NIK harus 16 digit; yang diketik {len(digits)} digit."])
    details: dict[str, Any] = {"region_code": digits[:6]}
    warnings: list[str] = []
    errors += _nik_region(digits, details, warnings)
    errors += _nik_birth(digits, today, details)
    if digits[12:] == "0000":
        errors.append("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")
    born = details.get("birth_date")
    if born and not errors and _age(date.fromisoformat(born), today) < 17:
        warnings.append("Pemilik NIK ini belum berusia 17 tahun; periksa kembali KTP pemohon.")
    return result(digits, errors, warnings, details)


# A NIK is not renumbered when its regency moves to a new province, so people registered
# before Kalimantan Utara (UU 20/2012) and the Papua provinces of 2022 (UU 14, 15, 16 and
# 29/2022) carry codes the current table no longer has. These are the codes the old
# provinces' regencies and cities used: a NIK with one is accepted with a warning.
_FORMER_REGENCIES = {
    "64": {*range(1, 12), *range(71, 75)},  # Kalimantan Timur, before Kalimantan Utara
    "91": {*range(1, 29), 71},  # Papua: 28 regencies and Kota Jayapura before 2022
    "92": {*range(1, 13), 71},  # Papua Barat: 12 regencies and Kota Sorong before 2022
}


def _nik_region(digits: str, details: dict[str, Any], warnings: list[str]) -> list[str]:
    province_code, regency_code, district_code = digits[:2], digits[:4], digits[:6]
    province = region_name(province_code)
    if province is None:
        return [f"Kode provinsi {province_code} (digit 1–2 NIK) tidak ada dalam kode wilayah."]
    regency = region_name(regency_code)
    if regency is None and int(digits[2:4]) in _FORMER_REGENCIES.get(province_code, ()):
        details["region"] = f"{province} (kode wilayah sebelum pemekaran)"
        warnings.append(
            f"Kode kabupaten/kota {province_code}.{digits[2:4]} sudah tidak ada di {province}: "
            "wilayahnya kini masuk provinsi hasil pemekaran. NIK tidak berubah karena "
            "pemekaran, jadi NIK lama ini dapat diterima; cocokkan dengan KTP pemohon."
        )
        return []
    if regency is None:
        return [
            f"Kode kabupaten/kota {province_code}.{digits[2:4]} (digit 3–4 NIK) tidak ada "
            f"di provinsi {province}."
        ]
    details["region"] = f"{regency}, {province}"
    district = region_name(district_code)
    if district is None:
        return [
            f"Kode kecamatan {province_code}.{digits[2:4]}.{digits[4:6]} (digit 5–6 NIK) "
            f"tidak ada di {regency}."
        ]
    details["district"] = district
    return []


def _nik_birth(digits: str, today: date, details: dict[str, Any]) -> list[str]:
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = day > 40
    if female:
        day -= 40
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        return [
            f"Tanggal lahir pada NIK (digit 7–12: {digits[6:12]}) tidak mungkin: tanggal harus "
            "01–31 (laki-laki) atau 41–71 (perempuan), bulan 01–12."
        ]
    born = None
    for year in (2000 + yy, 1900 + yy):  # the most recent century that is not in the future
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            born = candidate
            break
    if born is None:
        return [
            f"Tanggal lahir pada NIK ({day} {_MONTHS[month - 1]} {yy:02d}, digit 7–12) "
            "tidak ada di kalender."
        ]
    details["birth_date"] = born.isoformat()
    details["sex"] = "female" if female else "male"
    return []


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
