"""Runs the counter displays and call boxes of the serial plan, and follows it when the admin
changes a port or an account on /staff/admin/perangkat, without a restart.

How it learns of a change: it reads the plan again every `reload_seconds` (a SELECT of the
counters, a few rows). Polling rather than listening for the admin's event: it works the same
with SQLite in several processes (no cross-process wake-up there) and with PostgreSQL in
several workers, and a port swapped on the page a few seconds late is no harm.

What it does with a change: a call box whose port, account or speed changed is stopped, its
port closed, and a new one started on the new port. Displays share one bank (several LED
boards may share one port), so any change to them closes the bank and builds a new one: each
display is sent its counter's number again at once, and the unchanged ones just show the
same number twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from antrian.config import Settings
from antrian.db import Database
from antrian.devices.call_boxes import call_box_handler
from antrian.devices.config import CallBoxConfig
from antrian.devices.displays import CounterDisplayService
from antrian.devices.serial_plan import CALL_BOX, DISPLAY, serial_plan
from antrian.events import Notifier

log = logging.getLogger("antrian.devices")

RELOAD_SECONDS = 3.0


class SerialDevices:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        notifier: Notifier | None,
        *,
        opener: Callable[..., Any],
        port_options: dict[str, float],
        display_options: dict[str, float],
        reload_seconds: float | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.notifier = notifier
        self.opener = opener
        self.port_options = port_options
        self.display_options = display_options
        # Read when built, not when defined: a test shortens it without reaching in.
        self.reload_seconds = RELOAD_SECONDS if reload_seconds is None else reload_seconds
        self.displays: CounterDisplayService | None = None
        self.boxes: dict[int, tuple[CallBoxConfig, Any]] = {}  # counter -> (config, listener)
        self.errors: list[str] = []  # the plan's, for the log, the admin page and /healthz
        self._display_specs: dict[int, dict[str, Any]] = {}
        self._display_error: str | None = None  # the bank could not be built from the specs
        self._stop = stop or threading.Event()  # the hardware's: it ends the reloading too
        self._lock = threading.Lock()  # reload() and stop() never interleave
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._reload_logged()  # at once: the devices run before start() returns
        self._thread = threading.Thread(target=self._run, name="serial-devices", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            self._stop_displays()
            for number in list(self.boxes):
                self._stop_box(number)

    def reload(self) -> None:
        with self.db.read() as session:
            plan = serial_plan(session, self.settings)
        with self._lock:
            if self._stop.is_set():
                return
            errors = list(plan.errors)
            for message in errors:
                if message not in self.errors:
                    log.error("Perangkat serial tidak dijalankan: %s", message)
            # Boxes leaving a port first: the port may be a display's now (or the reverse).
            for number, (config, _listener) in list(self.boxes.items()):
                if plan.call_boxes.get(number) != config:
                    self._stop_box(number)
            self._apply_displays(plan.displays)
            for number, config in plan.call_boxes.items():
                if number not in self.boxes:
                    self._start_box(config)
            self.errors = errors + ([self._display_error] if self._display_error else [])

    def status(self) -> dict[tuple[str, int], tuple[str, bool | None]]:
        """(device kind, counter) -> (port, connected; None: not tried yet)."""
        with self._lock:
            found = {
                (CALL_BOX, n): (listener.port.url, listener.port.state)
                for n, (_config, listener) in self.boxes.items()
            }
            if self.displays is not None:
                for number, driver in self.displays.bank.drivers.items():
                    found[DISPLAY, number] = (driver.port.url, driver.port.state)
        return found

    def _run(self) -> None:
        while not self._stop.wait(self.reload_seconds):
            self._reload_logged()

    def _reload_logged(self) -> None:
        try:
            self.reload()
        except Exception:  # noqa: BLE001 - a database hiccup: keep the devices as they are
            log.exception("Perangkat serial: gagal membaca pengaturan loket; dicoba lagi")

    def _apply_displays(self, specs: dict[int, dict[str, Any]]) -> None:
        from hardware.serial_devices import build_bank

        if specs == self._display_specs:
            return
        self._stop_displays()  # its ports closed before the new bank opens any of them
        self._display_specs, self._display_error = specs, None
        if not specs:
            return
        try:
            bank = build_bank(
                {c: {**self.port_options, **spec} for c, spec in specs.items()},
                opener=self.opener,
            )
        except ValueError as exc:
            self._display_error = str(exc)
            log.error("Tampilan loket tidak dijalankan: %s", exc)
            return
        # Its own stop event: stopping this bank for a new one must not stop the hardware.
        self.displays = CounterDisplayService(
            self.db, bank, self.notifier, stop=threading.Event(), **self.display_options
        )
        self.displays.start()
        ports = ", ".join(f"loket {c}: {spec['port']}" for c, spec in sorted(specs.items()))
        log.info("Tampilan loket aktif (%s)", ports)

    def _stop_displays(self) -> None:
        if self.displays is not None:
            self.displays.stop()
            self.displays = None

    def _start_box(self, box: CallBoxConfig) -> None:
        from hardware.serial_devices import CallBoxListener, ReconnectingPort

        port = ReconnectingPort(
            box.port, baudrate=box.baudrate, opener=self.opener, **self.port_options
        )
        listener = CallBoxListener(
            port, call_box_handler(self.db, box.staff), expected_counter=box.counter
        )
        listener.start()
        self.boxes[box.counter] = (box, listener)
        log.info("Kotak panggil loket %d di %s (akun %s)", box.counter, box.port, box.staff)

    def _stop_box(self, number: int) -> None:
        _config, listener = self.boxes.pop(number)
        listener.stop()
        listener.port.close()
