"""The printer status monitor against a fake network printer on 127.0.0.1 that answers DLE EOT."""

from __future__ import annotations

import re
import socket
import threading

from sqlalchemy import select

from antrian.models import Event
from antrian.printer_status import PrinterLock, PrinterMonitor, url_lock
from hardware.serial_devices.testing import wait_until


def status_events(db) -> list[Event]:
    with db.read() as s:
        return list(
            s.scalars(select(Event).where(Event.kind == "printer.status").order_by(Event.id))
        )


def monitor_for(db, printers: dict[str, str], tmp_path, **kwargs) -> PrinterMonitor:
    locks = {name: url_lock(tmp_path, url) for name, url in printers.items()}
    return PrinterMonitor(db, printers, locks, interval=kwargs.pop("interval", 30), **kwargs)


def test_an_event_is_written_when_the_status_changes_and_only_then(db, status_printer, tmp_path):
    status_printer.paper_out()
    monitor = monitor_for(
        db, {"kiosk": status_printer.url, "loket": f"file://{tmp_path / 'loket.bin'}"}, tmp_path
    )
    assert list(monitor.printers) == ["kiosk"]  # a file printer cannot answer: not asked
    monitor.check_all()
    monitor.check_all()  # same answer: nothing new
    (event,) = status_events(db)
    assert event.actor == "printer:kiosk"
    assert event.data["message"] == "Printer kiosk (tiket): kertas habis"
    assert event.data["paper_out"] is True and event.data["ready"] is False
    assert event.data["printer"] == "kiosk" and event.data["status"] == "kertas habis"

    status_printer.ready()
    monitor.check_all()
    events = status_events(db)
    assert [e.data["message"] for e in events] == [
        "Printer kiosk (tiket): kertas habis",
        "Printer kiosk (tiket): siap",
    ]
    assert events[-1].data["ready"] is True
    # The printer was only asked, never sent anything that prints.
    assert all(
        set(c.split(b"\x10\x04")) <= {b"", b"\x01", b"\x02", b"\x03", b"\x04"}
        for c in status_printer.connections
    )


def test_a_restarted_monitor_compares_with_the_log_not_its_memory(db, status_printer, tmp_path):
    status_printer.paper_out()
    monitor_for(db, {"kiosk": status_printer.url}, tmp_path).check_all()
    monitor_for(db, {"kiosk": status_printer.url}, tmp_path).check_all()
    assert len(status_events(db)) == 1


def test_an_unreachable_printer_is_reported_offline(db, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    monitor_for(db, {"loket": url}, tmp_path).check_all()
    (event,) = status_events(db)
    assert event.data["message"] == (
        "Printer loket (tanda terima): printer offline / tidak dapat dihubungi: koneksi ditolak"
    )


def test_the_printer_is_not_asked_while_the_spooler_prints(db, status_printer, tmp_path):
    from antrian.config import load_settings
    from antrian.printing.spooler import Spooler

    status_printer.paper_out()
    settings = load_settings({"ANTRIAN_INSTANCE_PATH": str(tmp_path)}).with_(
        database_url=db.url, kiosk_printer_url=status_printer.url
    )
    spooler = Spooler.from_settings(db, settings)
    monitor = monitor_for(db, {"kiosk": status_printer.url}, tmp_path)
    assert spooler.locks["kiosk"] is monitor.locks["kiosk"]  # one lock per printer, shared

    printing, done = threading.Event(), threading.Event()

    def print_a_long_slip():
        with spooler.locks["kiosk"].hold():
            printing.set()
            done.wait(5)

    threading.Thread(target=print_a_long_slip, daemon=True).start()
    assert printing.wait(2)
    assert monitor.check("kiosk") is None  # busy: skipped, asked again next round
    assert status_printer.connections == [] and status_events(db) == []
    done.set()
    assert wait_until(lambda: monitor.check("kiosk") is not None)
    assert len(status_events(db)) == 1


def test_the_lock_also_holds_off_other_processes(tmp_path):
    # A second PrinterLock on the same file stands in for another gunicorn worker's spooler:
    # only the flock is shared between them.
    path = tmp_path / ".printer-kiosk.lock"
    ours, theirs = PrinterLock(path), PrinterLock(path)
    with ours.hold() as held:
        assert held
        with theirs.hold(timeout=0.1) as got:
            assert got is False
    with theirs.hold(timeout=0) as got:
        assert got is True


def test_the_monitor_thread_asks_every_interval(db, status_printer, tmp_path):
    status_printer.paper_out()
    monitor = monitor_for(db, {"kiosk": status_printer.url}, tmp_path, interval=0.05)
    monitor.start()
    try:
        assert wait_until(lambda: len(status_events(db)) == 1, timeout=5)
        status_printer.ready()
        assert wait_until(lambda: len(status_events(db)) == 2, timeout=5)
    finally:
        monitor.stop()
    assert status_events(db)[-1].data["status"] == "siap"


def test_the_desk_shows_the_printer_problem_and_clears_it(
    db, status_printer, quiet_app, login, tmp_path
):
    app = quiet_app(kiosk_printer_url=status_printer.url)
    client = app.test_client()
    login(app, client)
    monitor = monitor_for(db, {"kiosk": status_printer.url}, tmp_path)

    status_printer.paper_out()
    monitor.check_all()
    desk = client.get("/staff/loket/1", headers={"HX-Request": "true"}).get_data(as_text=True)
    line = re.search(r'<p class="error" role="alert" id="printer-status-kiosk">(.*?)</p>', desk)
    # Paper out needs a person now: red at once, no waiting for the alert time.
    assert line and line.group(1).startswith("<b>Printer kiosk (tiket)</b>: kertas habis (sejak ")

    status_printer.ready()
    monitor.check_all()
    desk = client.get("/staff/loket/1").get_data(as_text=True)
    assert "printer-status-kiosk" not in desk and "kertas habis" not in desk
    assert '<span data-printer-ok="kiosk">Printer kiosk (tiket) ✓</span>' in desk


def test_paper_near_end_is_a_notice_not_an_error(db, status_printer, quiet_app, login, tmp_path):
    app = quiet_app(kiosk_printer_url=status_printer.url)
    client = app.test_client()
    login(app, client)
    status_printer.answers.update({1: 0x16, 2: 0x12, 3: 0x12, 4: 0x1E})
    monitor_for(db, {"kiosk": status_printer.url}, tmp_path).check_all()
    desk = client.get("/staff/loket/1").get_data(as_text=True)
    line = re.search(r'<p class="(\w+)" role="(\w+)" id="printer-status-kiosk">(.*?)</p>', desk)
    assert line.groups()[:2] == ("notice", "status")
    assert line.group(3).startswith("<b>Printer kiosk (tiket)</b>: kertas hampir habis (sejak ")
