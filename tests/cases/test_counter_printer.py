"""The case desk's slips print on the printer of the counter serving the case: the desk the
officer works at, else the counter that called the case's ticket, else the default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from antrian.cases import operations as cases
from antrian.cases import steps
from antrian.config import load_settings
from antrian.devices import registry
from antrian.models import PrintJob
from antrian.printing.spooler import Spooler
from hardware.printing.testing import READY, FakeNetworkPrinter
from tests.cases.conftest import APPLICANT, called_ticket


@pytest.fixture
def settings(db, tmp_path):
    return load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path)}).with_(
        database_url=db.url, counter_printer_url=f"file://{tmp_path / 'loket.bin'}"
    )


def receipt_printer(db, now, officer, at_counter: int | None) -> str:
    """Open a case from a ticket called to counter 1, hand in the documents (step 2) at
    `at_counter`; the printer the Tanda Terima Berkas was queued for."""
    ticket_id = called_ticket(db, now, officer)
    with db.write() as s:
        case_id = cases.open_case(s, officer, now, ticket_id=ticket_id).id
        cases.update_applicant(s, case_id, APPLICANT, officer, now)
        steps.start_step(s, case_id, 1, officer, now)
        steps.finish_step(s, case_id, 1, {"oss_username": "siti.aminah"}, officer, now)
        steps.start_step(s, case_id, 2, officer, now)
        steps.finish_step(s, case_id, 2, {"documents": ["ktp"]}, officer, now, counter=at_counter)
    with db.read() as s:
        return s.scalar(select(PrintJob.printer).where(PrintJob.kind == "receipt"))


def test_a_receipt_prints_on_the_printer_of_the_counter_serving_the_case(
    db, now, officer, settings
):
    with FakeNetworkPrinter(READY) as counter_two:
        with db.write() as s:
            registry.set_counter_printer(s, 2, counter_two.url, None, settings, now)
        # The officer works at counter 2 (the pickup desk): the receipt comes out there.
        assert receipt_printer(db, now, officer, at_counter=2) == "loket-2"
        spooler = Spooler.from_settings(db, settings)
        spooler.clock = lambda: now
        assert spooler.run_once("loket-2") is True
        counter_two.wait_jobs(1)
        assert [code for code, _reprint in counter_two.slips()] == ["A-001"]


def test_without_a_desk_the_case_prints_at_the_counter_that_called_it_else_the_default(
    db, now, officer, settings
):
    # Counter 1 called the ticket; it has no printer of its own: the default counter printer.
    assert receipt_printer(db, now, officer, at_counter=None) == "loket"
    with db.write() as s:
        registry.set_counter_printer(s, 1, "tcp://192.168.1.61:9100", None, settings, now)
        s.execute(PrintJob.__table__.delete())
    assert receipt_printer(db, now, officer, at_counter=None) == "loket-1"


def test_at_the_desk_the_receipt_prints_at_the_counter_the_officer_works_at(
    app, client, sign_in, now
):
    csrf = sign_in("rina", "front_office")
    headers = {"X-CSRFToken": csrf}
    db = app.extensions["antrian.db"]
    with db.write() as s:
        registry.set_counter_printer(
            s, 2, "tcp://192.168.1.62:9100", None, app.config["ANTRIAN"], now
        )
    client.post("/api/v1/tickets", json={"service": "A"})
    assert client.post("/staff/loket/1/panggil", headers=headers).status_code == 303
    # The applicant is sent on to counter 2, where Rina opens the case.
    assert client.get("/staff/loket/2").status_code == 200
    with db.read() as s:
        ticket_id = s.scalar(select(PrintJob.ticket_id))
    opened = client.post("/staff/berkas/buka", data={"ticket_id": ticket_id}, headers=headers)
    case_path = opened.headers["Location"]
    client.post(f"{case_path}/pemohon", data=APPLICANT, headers=headers)
    for step, outputs in ((1, {"oss_username": "siti.aminah"}), (2, {"documents": "ktp"})):
        client.post(f"{case_path}/langkah/{step}/mulai", headers=headers)
        done = client.post(f"{case_path}/langkah/{step}/selesai", data=outputs, headers=headers)
        assert done.status_code == 303
    with db.read() as s:
        assert s.scalar(select(PrintJob.printer).where(PrintJob.kind == "receipt")) == "loket-2"
