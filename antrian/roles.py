"""Who may do what: the roles of the SOP. An account holds one or several; `admin` passes every
check. Stored on the account as a comma-separated list (antrian.models.Staff.roles)."""

from __future__ import annotations

from collections.abc import Iterable

# The SOP's people (SOP.md): the counter, the back office, the technical team, the heads of
# office who read but never change, and whoever runs the installation.
ROLES: dict[str, str] = {
    "front_office": "Petugas Front Office / Perbantuan",
    "back_office": "Petugas Back Office",
    "technical": "Tim Teknis",
    "supervisor": "Pimpinan (Kasi, Kabid, Sekretaris, Kepala Dinas): hanya membaca",
    "admin": "Administrator",
}
ALL_ROLES = tuple(ROLES)
# Who works a case (the case form, its field checks).
CASE_WORKERS = ("front_office", "back_office", "technical")
# Who takes, answers and closes complaints (Penanganan Pengaduan).
COMPLAINT_WORKERS = ("front_office", "back_office")
# Who reads cases, the register and reports: everyone working a case plus the heads of office.
READERS = ("front_office", "back_office", "technical", "supervisor")


def parse_roles(value: str | Iterable[str]) -> list[str]:
    """'admin, front_office' or ['admin'] -> ['front_office', 'admin'] (in ROLES order).

    Raises ValueError naming what is not a role, so a typo never makes a powerless account."""
    names = value.split(",") if isinstance(value, str) else list(value)
    wanted = {name.strip() for name in names if name.strip()}
    unknown = sorted(wanted - set(ROLES))
    if unknown:
        raise ValueError(f"Peran tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(ROLES)}.")
    if not wanted:
        raise ValueError("Pilih setidaknya satu peran.")
    return [role for role in ROLES if role in wanted]


def format_roles(roles: Iterable[str]) -> str:
    return ",".join(parse_roles(roles))


def grants(held: str, *needed: str) -> bool:
    """Does an account holding `held` (stored form) pass a check for any of `needed`?"""
    mine = set(held.split(","))
    return "admin" in mine or not mine.isdisjoint(needed)
