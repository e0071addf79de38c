"""The slips a person takes home: queue ticket, Tanda Terima Berkas, IUMK handover, complaint.

Slips are plain frozen dataclasses filled by the core; this module never reads a database.
Times are local (WIB) datetimes. UU 27/2022: the ticket carries no personal data at all and
NIK/NPWP-like digit runs on public slips are masked; the receipt shows the NIK only masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from escpos.escpos import Escpos
from escpos.magicencode import Encoder
from escpos.printer import Dummy

from .composer import Composer
from .profiles import get_profile
from .text import format_date_id, format_datetime_id, format_time_id, same

Translate = Callable[[str], str]  # a gettext: Indonesian text in, the slip's language out

THANK_YOU = "Terima kasih atas kunjungan Anda."  # the ticket marks it with _() for English


@dataclass(frozen=True)
class OfficeInfo:
    name: str
    address: str
    phone: str = ""
    logo_path: str | None = None


@dataclass(frozen=True)
class TicketSlip:
    code: str  # e.g. "A-001"
    service_name: str
    issued_at_local: datetime
    people_ahead: int
    status_url: str  # the /t/<token> phone status page, printed as a QR code
    prepare_line: str  # what to have ready, from the SOP requirements
    priority_label: str | None = None
    lang: str = "id"  # the language it was taken in: its labels and date print in it


@dataclass(frozen=True)
class ReceiptSlip:
    """Tanda Terima Berkas: SOP step 2 output."""

    receipt_no: str
    ticket_code: str
    applicant_name: str
    nik_masked: str  # already masked by the core, e.g. "140502******0001"
    business_name: str
    documents: list[str]
    officer_name: str
    received_at_local: datetime
    status_url: str = ""  # the case's phone page, printed as a QR code


@dataclass(frozen=True)
class HandoverSlip:
    """NIB/IUMK handover: SOP step 4 output."""

    ticket_code: str
    applicant_name: str
    nib: str
    licence_number: str
    officer_name: str
    handed_at_local: datetime


@dataclass(frozen=True)
class ComplaintSlip:
    complaint_no: str
    received_at_local: datetime
    category: str
    summary: str  # only its first line is printed
    status_url: str


Slip = TicketSlip | ReceiptSlip | HandoverSlip | ComplaintSlip

_UNMASKED_NIK = re.compile(r"^\s*(\d{6})\d{6}(\d{4})\s*$")


def mask_nik(value: str) -> str:
    """Keep an already masked NIK as given; mask a bare 16-digit one rather than print it."""
    match = _UNMASKED_NIK.match(value)
    return f"{match.group(1)}******{match.group(2)}" if match else value


def _header(c: Composer, office: OfficeInfo) -> None:
    c.style(align="center")
    c.logo(office.logo_path)
    c.style(bold=True)
    c.line(office.name)
    c.style(bold=False)
    c.line(office.address)
    if office.phone:
        c.line(f"Telp. {office.phone}")
    c.rule()


def _title(c: Composer, title: str) -> None:
    c.style(align="center", bold=True, size=(1, 2))
    c.line(title)
    c.style(bold=False, size=(1, 1))


def _when(c: Composer, moment: datetime, _: Translate = same, locale: str = "id") -> None:
    text = format_datetime_id(moment, locale=locale)
    if len(text) <= c.columns:
        c.line(text)
    else:  # 58 mm: keep the date whole rather than leave "WIB" alone on a line
        c.line(format_date_id(moment, locale=locale))
        c.line(_("Pukul %(time)s") % {"time": format_time_id(moment)})


def _signatures(c: Composer, left: tuple[str, str], right: tuple[str, str]) -> None:
    c.style(align="left")
    c.line()
    c.two_columns([left[0], "", "", "", f"({left[1]})"], [right[0], "", "", "", f"({right[1]})"])


def render_ticket(c: Composer, slip: TicketSlip, office: OfficeInfo, _: Translate = same) -> None:
    """The walk-in's slip, in the language the ticket was taken in (`_`, from the core)."""
    _header(c, office)
    _title(c, slip.service_name)
    c.line(_("Nomor Antrean"))
    c.big(slip.code)
    _when(c, slip.issued_at_local, _, slip.lang)
    c.line(_("Antrean di depan Anda: %(ahead)s") % {"ahead": slip.people_ahead})
    if slip.priority_label:
        c.style(bold=True)
        c.line(_(slip.priority_label))
        c.style(bold=False)
    c.qr(slip.status_url)
    c.line(_("Pindai kode QR untuk melihat status antrean."))
    c.rule()
    c.line(slip.prepare_line)
    c.line(_("Terima kasih atas kunjungan Anda."))


def render_receipt(c: Composer, slip: ReceiptSlip, office: OfficeInfo) -> None:
    _header(c, office)
    _title(c, "TANDA TERIMA BERKAS")
    c.style(align="left")
    c.pairs(
        [
            ("No. Tanda Terima", slip.receipt_no),
            ("Nomor Antrean", slip.ticket_code),
            ("Tanggal", format_date_id(slip.received_at_local)),
            ("Pukul", format_time_id(slip.received_at_local)),
            ("Nama Pemohon", slip.applicant_name),
            ("NIK", mask_nik(slip.nik_masked)),
            ("Nama Usaha", slip.business_name),
        ]
    )
    c.rule()
    c.line("Berkas yang diterima:")
    c.numbered(slip.documents or ["-"])
    c.rule()
    if slip.status_url:
        c.qr(slip.status_url)
        c.style(align="center")
        c.line("Pindai kode QR untuk melihat proses berkas Anda.")
        c.style(align="left")
    c.line("Simpan tanda terima ini dan tunjukkan saat pengambilan NIB/IUMK.")
    _signatures(c, ("Petugas,", slip.officer_name), ("Pemohon,", slip.applicant_name))


def render_handover(c: Composer, slip: HandoverSlip, office: OfficeInfo) -> None:
    _header(c, office)
    _title(c, "TANDA SERAH TERIMA NIB / IUMK")
    c.style(align="left")
    c.pairs(
        [
            ("Nomor Antrean", slip.ticket_code),
            ("Nama Pemohon", slip.applicant_name),
            ("NIB", slip.nib),
            ("Nomor IUMK", slip.licence_number),
            ("Tanggal", format_date_id(slip.handed_at_local)),
            ("Pukul", format_time_id(slip.handed_at_local)),
        ]
    )
    c.rule()
    c.line("NIB dan IUMK telah diserahkan kepada pemohon dan diterima dalam keadaan baik.")
    _signatures(
        c, ("Yang menyerahkan,", slip.officer_name), ("Yang menerima,", slip.applicant_name)
    )


def render_complaint(c: Composer, slip: ComplaintSlip, office: OfficeInfo) -> None:
    _header(c, office)
    _title(c, "TANDA TERIMA PENGADUAN")
    c.style(align="left")
    c.pairs(
        [
            ("No. Pengaduan", slip.complaint_no),
            ("Tanggal", format_date_id(slip.received_at_local)),
            ("Pukul", format_time_id(slip.received_at_local)),
            ("Kategori", slip.category),
        ]
    )
    first_line = next((s for s in slip.summary.splitlines() if s.strip()), "")
    c.line(f"Ringkasan: {first_line.strip()}")
    c.qr(slip.status_url)
    c.line("Pindai kode QR untuk memantau tindak lanjut pengaduan Anda.")
    c.rule()
    c.line("Pengaduan Anda ditangani sesuai SOP Penanganan Pengaduan.")
    c.line(THANK_YOU)


_RENDERERS: dict[type, tuple[Callable[..., None], bool, bool]] = {
    # slip type: (renderer, mask NIK/NPWP-like numbers in free text, prints in the slip's language)
    TicketSlip: (render_ticket, True, True),
    ReceiptSlip: (render_receipt, False, False),
    HandoverSlip: (render_handover, False, False),
    ComplaintSlip: (render_complaint, True, False),
}


REPRINT_MARK = "*** CETAK ULANG ***"
REPRINT_NOTE = "Mungkin salinan dari slip yang sudah tercetak."


def _reprint_mark(c: Composer) -> None:
    c.style(align="center", bold=True)
    c.line(REPRINT_MARK)
    c.style(bold=False)
    c.line(REPRINT_NOTE)
    c.rule()


def render(
    printer: Escpos,
    slip: Slip,
    office: OfficeInfo,
    profile: str | None = None,
    reprint: bool = False,
    gettext: Translate = same,
) -> None:
    """Print ``slip`` on ``printer``: reset, body, then cut (or feed out on 58 mm).

    ``reprint``: the slip may be a second copy (a print that was not confirmed, or staff asked
    for another): it says so at the top, so two slips with one number are explained.
    ``gettext`` translates the labels of a slip a walk-in takes (the ticket, in the language
    it was taken in); staff slips are Indonesian."""
    try:
        renderer, redact, translated = _RENDERERS[type(slip)]
    except KeyError:
        raise TypeError(f"unknown slip type: {type(slip).__name__}") from None
    composer = Composer(printer, get_profile(profile), redact=redact)
    composer.begin()
    if reprint:
        _reprint_mark(composer)
    if translated:
        renderer(composer, slip, office, gettext)
    else:
        renderer(composer, slip, office)
    composer.finish()


class _SlipEncoder(Encoder):
    """python-escpos's text encoder, made cheap for the spooler's rush (the printer process
    spent ~40% of its CPU in it): the code page maps, which it builds once per printer object
    (once per slip here), are shared by every slip of a profile, and plain ASCII, most of a
    slip, is encoded in one call instead of a Python loop over its characters (the same bytes:
    the loop maps an ASCII character to its own code)."""

    _maps: dict[str, dict[str, dict[str, int]]] = {}

    def __init__(self, codepages, profile: str) -> None:
        super().__init__(codepages)
        self.available_characters = self._maps.setdefault(profile, {})

    def encode(self, text, encoding, defaultchar="?"):
        if text.isascii():
            return text.encode("ascii")
        return super().encode(text, encoding, defaultchar)


def render_bytes(
    slip: Slip,
    office: OfficeInfo,
    profile: str | None = None,
    reprint: bool = False,
    gettext: Translate = same,
) -> bytes:
    """Render ``slip`` once into ESC/POS bytes (python-escpos ``Dummy``) for the spooler."""
    escpos_profile = get_profile(profile).escpos_profile
    printer = Dummy(profile=escpos_profile)
    printer.magic.encoder = _SlipEncoder(printer.profile.get_code_pages(), escpos_profile)
    render(printer, slip, office, profile, reprint, gettext)
    return printer.output
