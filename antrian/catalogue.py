"""What the office offers: the default services and counters, priority reasons, the checklist."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a text for the catalogues (pybabel's default keyword); it is translated where it
    is shown, in the language of that screen or slip."""
    return message


# The kiosk's languages: Indonesian (the texts of the code) and English (antrian/translations).
LANGUAGES = ("id", "en")

PRIORITY_REASONS: dict[str, str] = {
    "disabled": N_("Penyandang disabilitas"),
    "elderly": N_("Lanjut usia"),
    "pregnant": N_("Ibu hamil"),
    "child": N_("Membawa anak kecil"),
}

# Why a counter is closed for a while; the lobby shows it closed, nothing is called to it.
PAUSE_REASONS: dict[str, str] = {
    "istirahat": "Istirahat",
    "salat": "Salat",
    "rapat": "Rapat",
}

# The SOP's requirement list (step 1: e-mail aktif, NIK, Akta for a legal entity, NPWP valid):
# the checklist an office starts with for services that ask for one. The admin edits it per
# service (/staff/admin/persyaratan); the ticket keeps only yes/no per key.
IUMK_CHECKLIST: list[dict] = [
    {
        "key": "email",
        "label_id": "E-mail aktif",
        "label_en": "A working e-mail address",
        "missing_id": (
            "Buat atau pulihkan alamat e-mail yang dapat Anda buka; kode OSS dikirim ke sana."
        ),
        "missing_en": (
            "Create or recover an e-mail address you can open; OSS sends its codes there."
        ),
    },
    {
        "key": "nik",
        "label_id": "NIK (KTP elektronik)",
        "label_en": "NIK (electronic ID card)",
        "missing_id": "Bawa KTP elektronik; tanpa NIK pendaftaran OSS tidak dapat dilakukan.",
        "missing_en": (
            "Bring your electronic ID card (KTP); OSS registration is impossible without a NIK."
        ),
    },
    {
        "key": "akta",
        "label_id": "Akta pendirian (khusus badan usaha: PT, CV, koperasi)",
        "label_en": "Deed of establishment (businesses only: PT, CV, cooperative)",
        "missing_id": "Badan usaha wajib membawa akta pendirian dan SK pengesahannya.",
        "missing_en": (
            "A business must bring its deed of establishment and the ministry's approval decree."
        ),
        "business_only": True,
    },
    {
        "key": "npwp",
        "label_id": "NPWP valid (status KSWP)",
        "label_en": "Valid NPWP tax number (KSWP status)",
        "missing_id": "Pastikan NPWP valid (KSWP) di kantor pajak atau DJP Online.",
        "missing_en": "Make sure your NPWP is valid (KSWP) at the tax office or on DJP Online.",
    },
]

DEFAULT_SERVICES: list[dict] = [
    {
        "code": "A",
        "prefix": "A",
        "minutes_per_ticket": 15,
        "needs_checklist": True,
        "name_id": "Penerbitan IUMK/NIB (Perbantuan OSS)",
        "name_en": "Assisted IUMK/NIB issuance (OSS)",
        "description_id": "Pendampingan penerbitan NIB dan IUMK melalui OSS.",
        "prepare_id": "Siapkan e-mail aktif, KTP (NIK), NPWP, dan akta untuk badan usaha.",
        "description_en": "Help to get your NIB and IUMK through OSS.",
        "prepare_en": (
            "Bring a working e-mail address, your ID card (NIK), NPWP, and for a business its deed."
        ),
    },
    {
        "code": "B",
        "prefix": "B",
        "minutes_per_ticket": 15,
        "needs_checklist": False,
        "name_id": "Bantuan Pendaftaran Akun OSS",
        "name_en": "OSS account registration help",
        "description_id": "Membuat akun OSS (oss.go.id) bersama petugas.",
        "prepare_id": "Siapkan e-mail aktif, KTP (NIK) dan ponsel Anda.",
        "description_en": "Create your OSS account (oss.go.id) with an officer.",
        "prepare_en": "Bring a working e-mail address, your ID card (NIK) and your phone.",
    },
    {
        "code": "C",
        "prefix": "C",
        "minutes_per_ticket": 10,
        "needs_checklist": False,
        "name_id": "Informasi dan Konsultasi",
        "name_en": "Information and consultation",
        "description_id": "Tanya jawab perizinan dan nonperizinan.",
        "prepare_id": "Catat pertanyaan Anda agar konsultasi lebih cepat.",
        "description_en": "Questions about licences and permits.",
        "prepare_en": "Write your questions down to make the consultation quicker.",
    },
    {
        "code": "D",
        "prefix": "D",
        "minutes_per_ticket": 15,
        "needs_checklist": False,
        "name_id": "Pengaduan",
        "name_en": "Complaints",
        "description_id": "Menyampaikan pengaduan pelayanan.",
        "prepare_id": "Bawa bukti pendukung pengaduan Anda bila ada.",
        "description_en": "Tell us about a problem with our service.",
        "prepare_en": "Bring any evidence for your complaint.",
    },
    {
        "code": "E",
        "prefix": "E",
        "minutes_per_ticket": 5,
        "needs_checklist": False,
        "name_id": "Pengambilan Dokumen",
        "name_en": "Document pickup",
        "description_id": "Mengambil NIB/IUMK atau dokumen yang sudah selesai.",
        "prepare_id": "Bawa Tanda Terima Berkas dan KTP Anda.",
        "description_en": "Collect your NIB/IUMK or other finished documents.",
        "prepare_en": "Bring your document receipt (Tanda Terima Berkas) and your ID card.",
    },
]

DEFAULT_COUNTERS = [{"number": n, "name": f"Loket {n}"} for n in range(1, 5)]


def checklist_answers(checklist: dict | None) -> list[tuple[str, bool]]:
    """What a kiosk applicant answered, as (short label, has it) for the desk; Akta only for a
    legal entity (badan usaha), as the kiosk asks it."""
    if not checklist:
        return []
    legal_entity = checklist.get("applicant_type") == "badan"
    return [
        (CHECKLIST_SHORT[item["key"]], bool(checklist.get(item["key"])))
        for item in IUMK_CHECKLIST
        if item["key"] in checklist and (item["key"] != "akta" or legal_entity)
    ]


CHECKLIST_SHORT = {"email": "E-mail", "nik": "NIK", "akta": "Akta", "npwp": "NPWP"}
