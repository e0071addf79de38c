"""The two slips a case prints, from the print jobs the steps queue, read back from the bytes."""

from __future__ import annotations

from sqlalchemy import select

from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.models import PrintJob
from antrian.printing.slips import slip_from_payload
from hardware.printing import OfficeInfo, render_bytes
from hardware.printing.escpos_reader import read_escpos
from tests.cases.conftest import APPLICANT, NIK, called_ticket

OFFICE = OfficeInfo("DPMPTSP Kabupaten Pelalawan", "Komplek Perkantoran Bhakti Praja")


def test_receipt_and_handover_read_right_on_paper(db, now, officer):
    ticket_id = called_ticket(db, now, officer)
    with db.write() as s:
        case_id = cases.open_case(s, officer, now, ticket_id=ticket_id).id
        cases.update_applicant(s, case_id, APPLICANT, officer, now)
        outputs = {
            1: {"oss_username": "siti.aminah"},
            2: {"documents": ["ktp", "npwp"]},
            3: {"nib": "9120301234567", "licence_number": "IUMK/503/0042"},
            4: {"handed_over_to": "Siti Aminah"},
        }
        for n in range(1, 5):
            steps.start_step(s, case_id, n, officer, now)
            steps.finish_step(s, case_id, n, outputs[n], officer, now, public_base="http://loket")
        token = cases.find_case(s, case_id).token
    with db.read() as s:
        jobs = {j.kind: j for j in s.scalars(select(PrintJob).where(PrintJob.printer == "loket"))}
    receipt = read_escpos(
        render_bytes(slip_from_payload("receipt", jobs["receipt"].payload), OFFICE, "TM-T20II")
    )
    assert receipt.unknown == [] and receipt.cuts == 1
    text = receipt.text
    assert "TANDA TERIMA BERKAS" in text and "TTB-2026-0001" in text and "A-001" in text
    assert "140502******0001" in text and NIK not in text
    assert "Siti Aminah" in text and "Keripik Nenas Siti" in text
    assert "Fotokopi KTP (NIK)" in text and "Fotokopi NPWP" in text
    assert "Kamis, 26 November 2026" in text or "26 November 2026" in text
    assert receipt.qr_payloads == [f"http://loket/t/{token}"]
    assert all(line.columns_used <= 48 for line in receipt.lines)

    handover = read_escpos(
        render_bytes(slip_from_payload("handover", jobs["handover"].payload), OFFICE, "TM-T20II")
    )
    text = handover.text
    assert "TANDA SERAH TERIMA NIB / IUMK" in text
    assert "9120301234567" in text and "IUMK/503/0042" in text and "Rina Front Office" in text
    assert NIK not in text and handover.cuts == 1
