"""The server's background work: the print spooler and the hardware services (printer status,
counter displays, call boxes), run by exactly one process of the server.

SQLite: the server is one process, and it runs them. PostgreSQL with several worker processes:
the process holding an advisory lock runs them (a serial port can be open in one process only,
and one spooler per printer keeps slips in order). The lock is held on a connection of its own,
so when that process dies PostgreSQL ends the connection, frees the lock, and another worker
takes over within OWNER_RETRY_SECONDS; the server's master starts a new worker meanwhile.
Inside the process a watchdog starts the spooler again if one of its printer threads died: a
dead thread must never silently stop printing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from typing import Any

from antrian.config import Settings
from antrian.db import Database
from antrian.events import PRINT_CHANNEL, Notifier, PostgresListener

log = logging.getLogger("antrian.background")

OWNER_LOCK = 74_200_002  # any constant; names the lock in pg_locks
OWNER_RETRY_SECONDS = 5.0
WATCH_SECONDS = 2.0


class Background:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        notifier: Notifier | None,
        extensions: dict[str, Any],
        *,
        owner_retry_seconds: float = OWNER_RETRY_SECONDS,
        watch_seconds: float = WATCH_SECONDS,
        hardware_options: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.notifier = notifier
        self.extensions = extensions  # the app's: the admin page reads the hardware there
        self.owner_retry_seconds = owner_retry_seconds
        self.watch_seconds = watch_seconds
        self.hardware_options = hardware_options or {}
        self.stop_event = threading.Event()
        self.owned = threading.Event()  # this process runs the background work now
        self.spooler = None
        self.hardware = None
        self._lock = threading.Lock()

    def start(self) -> None:
        if self.db.is_postgres:
            threading.Thread(
                target=self._hold_owner_lock, name="antrian-owner", daemon=True
            ).start()
        else:
            self._take_over()
        threading.Thread(target=self._watch, name="antrian-watchdog", daemon=True).start()

    def stop(self) -> None:
        self.stop_event.set()
        self._give_up()

    def wake_printers(self, printers: Iterable[str]) -> None:
        """After a commit in this process wrote print jobs (other processes NOTIFY)."""
        spooler = self.spooler
        if spooler is not None:
            spooler.wake(printers)

    def _notified(self, printer: str | None) -> None:
        """A NOTIFY on the print channel names the printer that got jobs (None: look at all)."""
        spooler = self.spooler
        if spooler is not None:
            spooler.wake(None if printer is None else [printer])

    def _take_over(self) -> None:
        from antrian.devices import Hardware

        with self._lock:
            if self.stop_event.is_set():
                return
            self.spooler = self._new_spooler()
            self.hardware = Hardware(
                self.db, self.settings, self.notifier, threading.Event(), **self.hardware_options
            )
            self.hardware.start()
            self.extensions["antrian.hardware"] = self.hardware
            self.owned.set()
        log.info("Proses ini menjalankan printer dan perangkat serial")

    def _give_up(self) -> None:
        with self._lock:
            self.owned.clear()
            if self.spooler is not None:
                self.spooler.stop()
                self.spooler = None
            if self.hardware is not None:
                self.hardware.stop()
                self.hardware = None
                self.extensions.pop("antrian.hardware", None)
            self.extensions.pop("antrian.spooler", None)

    def _new_spooler(self):
        from antrian.printing.spooler import Spooler

        spooler = Spooler.from_settings(self.db, self.settings)
        spooler.start()
        self.extensions["antrian.spooler"] = spooler
        return spooler

    def _watch(self) -> None:
        while not self.stop_event.wait(self.watch_seconds):
            with self._lock:
                if self.spooler is None or self.spooler.alive or self.stop_event.is_set():
                    continue
                log.error("Spooler printer berhenti tanpa diminta; dijalankan lagi")
                self.spooler.stop()
                self.spooler = self._new_spooler()

    def _hold_owner_lock(self) -> None:
        """PostgreSQL: wait for the owner lock, run the background work while holding it."""
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while not self.stop_event.is_set():
            try:
                # Named after this process, so an admin (and a test) can see in pg_stat_activity
                # which process prints.
                name = f"antrian-printers-{os.getpid()}"
                with psycopg.connect(
                    dsn, autocommit=True, connect_timeout=5, application_name=name
                ) as conn:
                    while not conn.execute(
                        "SELECT pg_try_advisory_lock(%s)", (OWNER_LOCK,)
                    ).fetchone()[0]:
                        if self.stop_event.wait(self.owner_retry_seconds):
                            return
                    self._take_over()
                    try:
                        listening = threading.Event()
                        PostgresListener(
                            dsn, self._notified, listening, channel=PRINT_CHANNEL
                        ).start()
                        # The lock lives as long as this connection: look that it still does.
                        while not self.stop_event.wait(self.owner_retry_seconds):
                            conn.execute("SELECT 1")
                    finally:
                        listening.set()
                        self._give_up()
            except Exception as exc:  # noqa: BLE001 - the database may be restarting: retry
                log.warning("Kunci pemilik printer terputus (%s); mencoba lagi", exc)
                self.stop_event.wait(self.owner_retry_seconds)
