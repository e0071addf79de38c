"""Paper profiles: what a layout needs to know about a printer model.

python-escpos has its own capability database; we keep the few facts a layout depends on here,
because the database disagrees with the hardware on one point that matters: it gives the
TM-T88V 42 columns (its 512-dot mode), while on 80 mm paper the office's TM-T88V prints the
full 576 dots, 48 columns of font A, like the TM-T20II.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PrinterError


@dataclass(frozen=True)
class PaperProfile:
    name: str
    escpos_profile: str  # profile name in the python-escpos capability database
    paper_mm: int
    columns: int  # characters per line in font A at normal size
    dots: int  # printable width in dots
    native_qr: bool  # GS ( k QR support; without it the QR is sent as a raster image
    cutter: bool  # without a cutter the slip is fed out to be torn off
    qr_module: int  # QR module size: dots per module (native) or pixels (image)


PROFILES: dict[str, PaperProfile] = {
    p.name: p
    for p in (
        PaperProfile("TM-T88V", "TM-T88V", 80, 48, 576, True, True, 6),
        PaperProfile("TM-T20II", "TM-T20II", 80, 48, 576, True, True, 6),
        PaperProfile("POS-5890", "POS-5890", 58, 32, 384, False, False, 6),
    )
}

DEFAULT_PROFILE = "TM-T20II"


def get_profile(name: str | None = None) -> PaperProfile:
    """Return the profile named ``name`` (case-insensitive); ``None`` means the default."""
    wanted = (name or DEFAULT_PROFILE).strip().upper()
    for key, profile in PROFILES.items():
        if key.upper() == wanted:
            return profile
    choices = ", ".join(PROFILES)
    raise PrinterError(f"Profil printer tidak dikenal: {name!r}. Pilihan: {choices}.")
