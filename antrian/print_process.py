"""The printer process: under `antrian serve` slips are printed by one process of its own.

Rendering a slip with python-escpos and sending it is Python work; inside a web worker it
took the interpreter from the requests (bench.issue_tickets: ~1.5 ms of a worker's CPU per
ticket in a rush, a third of the total). In a process of its own it runs on the other core,
and N workers no longer mean N spoolers taking turns at one printer.

Two processes: `antrian print-spooler` only keeps `antrian print-spooler --child` running,
starting it again if it dies; the child prints. Each dies with its parent (PR_SET_PDEATHSIG).

The child is woken for the printers that got jobs: on SQLite by the peer wake-up sockets (a
worker that commits print jobs names their printers in its ring), on PostgreSQL by LISTEN on
the print channel (a commit with print jobs sends one NOTIFY per printer, antrian/db.py).
Between wake-ups it looks every few seconds anyway (Spooler's IDLE_WAIT_SECONDS).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from functools import partial

from antrian.config import Settings

log = logging.getLogger("antrian.print_process")

PR_SET_PDEATHSIG = 1
RETRY_SECONDS = 5
# How the printer processes are started: `antrian` with these arguments after it. The bench's
# experiments swap in their own command, so a patched server gets a patched printer too.
CLI_COMMAND = [sys.executable, "-c", "from antrian.cli import main; main()"]


def run(settings: Settings, stop: threading.Event, ready=lambda: None) -> None:
    """Print until `stop` is set; `ready` is called once everything is running."""
    from antrian.db import Database
    from antrian.events import PRINT_CHANNEL, PostgresListener
    from antrian.peer_wake import PeerWake
    from antrian.printing.spooler import Spooler

    db = Database(settings.database_url)
    spooler = Spooler.from_settings(db, settings)
    listening = threading.Event()  # stops this attempt's listener, whatever happens
    try:
        if db.is_postgres:
            url = db.engine.url.set(drivername="postgresql")
            dsn = url.render_as_string(hide_password=False)
            # Only the printer named by the NOTIFY; all of them after a (re)connect.
            PostgresListener(
                dsn,
                lambda printer: spooler.wake(None if printer is None else [printer]),
                listening,
                channel=PRINT_CHANNEL,
            ).start()
        elif db.sqlite_path:
            # Only the printers that got jobs: a call or another printer's job is not ours.
            PeerWake(
                db.sqlite_path, lambda _events, printers: spooler.wake(printers), listening
            ).start()
        spooler.start()
        log.info("Proses printer siap: %s", ", ".join(spooler.printers))
        ready()
        stop.wait()
    finally:
        listening.set()
        spooler.stop()
        db.dispose()


def main(settings: Settings, ready=lambda: None) -> None:
    stop = threading.Event()
    _on_stop_signals(lambda *_: stop.set())
    while not stop.is_set():
        try:
            run(settings, stop, ready)
        except Exception:  # noqa: BLE001 - e.g. the database is not up yet: try again
            log.exception("Proses printer gagal mulai; mencoba lagi dalam %s detik", RETRY_SECONDS)
            stop.wait(RETRY_SECONDS)


def _on_stop_signals(handler) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)


def _die_with(parent: int) -> None:
    # Runs in the child before exec: if the server is killed outright (SIGKILL, no on_exit),
    # the kernel sends this process SIGTERM, so no orphan keeps the printers. A parent that
    # died before prctl took effect is caught by the check after it.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def supervise() -> None:
    """Keep one printing child running: a child that dies (killed, out of memory, a crash in
    a printer driver) is started again, so slips never silently stop while the server runs.
    Printing is done by `antrian print-spooler --child`; this process only waits for it."""
    stop = threading.Event()
    child: subprocess.Popen | None = None

    def on_signal(*_) -> None:
        stop.set()
        if child is not None and child.poll() is None:
            child.terminate()

    _on_stop_signals(on_signal)
    while not stop.is_set():
        child = _spawn("--child")
        code = child.wait()
        if stop.is_set():
            break
        log.error("Proses printer berhenti (kode %s); dijalankan lagi", code)
        stop.wait(RETRY_SECONDS)
    if child is not None and child.poll() is None:
        stop_process(child)


def start() -> subprocess.Popen:
    """Start `antrian print-spooler` (the supervisor) as a child of this process (the master)."""
    return _spawn()


def _spawn(*args: str) -> subprocess.Popen:
    parent = os.getpid()
    return subprocess.Popen(
        [*CLI_COMMAND, "print-spooler", *args],
        preexec_fn=partial(_die_with, parent) if sys.platform == "linux" else None,  # noqa: PLW1509
    )


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
