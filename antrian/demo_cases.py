"""The service behind the demo's tickets: IUMK cases through the SOP's four steps (with their
register entries), complaints with answers, SKM surveys. Made through the real operations,
as the desk, the back office, the complaint desk and the phone page would."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from antrian.cases.operations import assign, open_case, update_applicant
from antrian.cases.steps import STEPS, finish_step, start_step
from antrian.db import Database
from antrian.feedback.complaints import (
    CATEGORIES,
    ComplaintForm,
    change_complaint,
    submit_complaint,
)
from antrian.feedback.surveys import submit_survey
from antrian.models import Staff, Ticket

BUSINESSES = [
    ("Warung Sembako", "47111"), ("Kedai Kopi", "56303"), ("Bengkel Motor", "45407"),
    ("Usaha Kue Basah", "10792"), ("Toko Pakaian", "47711"), ("Rumah Makan", "56101"),
    ("Jasa Fotokopi", "82190"), ("Penjahit", "14111"),
]  # fmt: skip
COMPLAINTS = [
    "Antrean terlalu lama di loket IUMK.", "Petugas sangat membantu, tetapi ruang tunggu panas.",
    "Informasi persyaratan di kios kurang jelas.", "Mohon tambah kursi di ruang tunggu.",
]  # fmt: skip


def _minutes(rng: random.Random, standard: int) -> float:
    """Around the standard, some over it: the SOP's clock tells them apart."""
    return max(2.0, rng.lognormvariate(0, 0.35) * standard * 0.8)


def serve_case(db: Database, ticket_id: int, officer: Staff, back_office: Staff, now: datetime,
               rng: random.Random, serial: int) -> datetime:  # fmt: skip
    """An IUMK ticket at the desk: steps 1 and 2 now, 3 in the back office, 4 at handover.
    Returns when the applicant leaves the counter (after step 2)."""
    name, kbli = BUSINESSES[serial % len(BUSINESSES)]
    with db.write() as s:
        case = open_case(s, officer, now, ticket_id=ticket_id)
        fields = {"applicant_name": f"Pemohon {serial:04d}", "business_name": f"{name} {serial}",
                  "kbli": kbli, "legal_form": "perorangan"}  # fmt: skip
        update_applicant(s, case.id, fields, officer, now)
        case_id = case.id
    t = now
    outputs = {1: {"oss_username": f"pemohon{serial:04d}"}, 2: {"documents": ["ktp", "npwp"]}}
    for step in (1, 2):
        with db.write() as s:
            start_step(s, case_id, step, officer, t)
            t += timedelta(minutes=_minutes(rng, STEPS[step].standard_minutes))
            finish_step(s, case_id, step, outputs[step], officer, t)
    leaves = t
    with db.write() as s:
        assign(s, case_id, "back_office", "Berkas lengkap, mohon diproses di OSS.", officer, t)
        start_step(s, case_id, 3, back_office, t)
        t += timedelta(minutes=_minutes(rng, STEPS[3].standard_minutes))
        nib = f"{9120000000000 + serial:013d}"
        step3 = {"nib": nib, "licence_number": f"IUMK/{serial:04d}", "issued_on": ""}
        finish_step(s, case_id, 3, step3, back_office, t)
        assign(s, case_id, "front_office", "NIB terbit, siap diserahkan.", back_office, t)
        t += timedelta(minutes=rng.randint(5, 40))
        start_step(s, case_id, 4, officer, t)
        t += timedelta(minutes=_minutes(rng, STEPS[4].standard_minutes))
        step4 = {"handed_over_to": f"Pemohon {serial:04d}", "handed_on": ""}
        finish_step(s, case_id, 4, step4, officer, t)
    return leaves


def complain(db: Database, now: datetime, rng: random.Random, answerer: Staff) -> None:
    form = ComplaintForm(category=rng.choice(list(CATEGORIES)), text=rng.choice(COMPLAINTS))
    with db.write() as s:
        complaint = submit_complaint(s, form, now, channel="kiosk")
        days = rng.choice([0, 1, 1, 2, 3, 4, 6])
        if days < 6 or rng.random() < 0.5:
            change_complaint(s, complaint.id, "take", answerer, now + timedelta(hours=1))
            change_complaint(
                s, complaint.id, "answer", answerer, now + timedelta(days=days, hours=2),
                answer="Terima kasih atas masukan Anda; sudah kami tindak lanjuti.",
            )  # fmt: skip


def survey(db: Database, ticket_id: int, now: datetime, rng: random.Random) -> None:
    """Most walk-ins are satisfied; a few are not."""
    base = rng.choice([4, 4, 3, 3, 3, 2])
    answers = {f"u{n}": min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1]))) for n in range(1, 10)}
    with db.write() as s:
        submit_survey(s, s.get(Ticket, ticket_id), answers, "", now, channel="phone")
