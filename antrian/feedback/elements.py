"""The nine SKM elements of PermenPANRB 14/2017 and the answer words of its questionnaire,
from 1 (worst) to 4 (best), in Indonesian and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    column: str  # u1..u9 on the surveys table
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    answers_id: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]


ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        "Persyaratan",
        "Requirements",
        "Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "How well do the requirements fit the service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    Element(
        "u2",
        "Sistem, Mekanisme dan Prosedur",
        "Systems, mechanisms and procedures",
        "Bagaimana kemudahan prosedur pelayanan di unit ini?",
        "How easy is the service procedure here?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    Element(
        "u3",
        "Waktu Penyelesaian",
        "Completion time",
        "Bagaimana kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service delivered?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    Element(
        "u4",
        "Biaya/Tarif",
        "Cost/fees",
        "Bagaimana kewajaran biaya/tarif dalam pelayanan?",
        "How fair are the service's costs/fees?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Fairly expensive", "Cheap", "Free"),
    ),
    Element(
        "u5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Service product specification",
        "Bagaimana kesesuaian produk pelayanan yang tercantum dalam standar pelayanan dengan "
        "hasil yang diberikan?",
        "How well does the result match the product in the service standard?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    Element(
        "u6",
        "Kompetensi Pelaksana",
        "Staff competence",
        "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent were the staff?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    Element(
        "u7",
        "Perilaku Pelaksana",
        "Staff behaviour",
        "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        "How polite and friendly were the staff?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        (
            "Not polite and friendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),  # fmt: skip
    Element(
        "u8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Handling of complaints, suggestions and feedback",
        "Bagaimana penanganan pengaduan pengguna layanan?",
        "How are users' complaints handled?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        ("None", "Exists but does not work", "Works, not fully", "Well managed"),
    ),  # fmt: skip
    Element(
        "u9",
        "Sarana dan Prasarana",
        "Facilities and infrastructure",
        "Bagaimana kualitas sarana dan prasarana?",
        "How good are the facilities?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
)
