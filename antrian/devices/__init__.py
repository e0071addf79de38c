"""The office's hardware services, wired to the queue: printer status monitor, counter
displays, call-button boxes.

Started by the one process of the server that runs the background work
(antrian/background.py); a device that is misconfigured is logged and left out, never a reason
for the queue not to start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import serial
from flask import Flask

from antrian.config import Settings
from antrian.db import Database
from antrian.devices.call_boxes import call_box_handler
from antrian.devices.config import DeviceConfigError, parse_call_boxes, parse_counter_displays
from antrian.devices.displays import CounterDisplayService
from antrian.events import Notifier
from antrian.printer_status import PrinterMonitor, url_lock
from antrian.printing.directory import printer_urls

log = logging.getLogger("antrian.devices")

__all__ = ["Hardware", "start_hardware"]


class Hardware:
    """What this process runs; `stop()` ends it all (tests, shutdown)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        notifier: Notifier | None,
        stop: threading.Event,
        *,
        opener: Callable[..., Any] = serial.serial_for_url,
        display_options: dict[str, float] | None = None,
        port_options: dict[str, float] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.notifier = notifier
        self.stop_event = stop
        self.opener = opener
        self.display_options = display_options or {}
        self.port_options = {"timeout": 0.2, "retry_interval": 2.0, **(port_options or {})}
        self.monitor: PrinterMonitor | None = None
        self.displays: CounterDisplayService | None = None
        self.call_boxes: list = []
        self.errors: list[str] = []  # configuration problems, for the admin page and the log
        self.started = threading.Event()

    def start(self) -> None:
        self._start_monitor()
        self._start_displays()
        self._start_call_boxes()
        self._start_backups()
        self.started.set()

    def _start_monitor(self) -> None:
        self.monitor = PrinterMonitor(
            self.db,
            {},
            {},
            self.settings.printer_status_seconds,
            stop=self.stop_event,
            directory=partial(printer_urls, self.db, self.settings),
            lock_for=partial(url_lock, self.settings.instance_path),
        )
        self.monitor.start()

    def _start_displays(self) -> None:
        from hardware.serial_devices import build_bank

        try:
            specs = parse_counter_displays(self.settings.counter_displays)
            specs = {c: {**self.port_options, **spec} for c, spec in specs.items()}
            bank = build_bank(specs, opener=self.opener) if specs else None
        except (DeviceConfigError, ValueError) as exc:
            self._config_error(str(exc))
            return
        if bank is None:
            return
        self.displays = CounterDisplayService(
            self.db, bank, self.notifier, stop=self.stop_event, **self.display_options
        )
        self.displays.start()
        log.info("Tampilan loket aktif untuk loket %s", sorted(specs))

    def _start_call_boxes(self) -> None:
        from hardware.serial_devices import CallBoxListener, ReconnectingPort

        try:
            boxes = parse_call_boxes(self.settings.call_boxes, self.settings.call_box_staff)
        except DeviceConfigError as exc:
            self._config_error(str(exc))
            return
        for box in boxes:
            port = ReconnectingPort(
                box.port, baudrate=box.baudrate, opener=self.opener, **self.port_options
            )
            listener = CallBoxListener(
                port, call_box_handler(self.db, box.staff), expected_counter=box.counter
            )
            listener.start()
            self.call_boxes.append(listener)
            log.info("Kotak panggil loket %d di %s (akun %s)", box.counter, box.port, box.staff)

    def _start_backups(self) -> None:
        from antrian.backup_schedule import DailyBackups, parse_time

        if self.settings.backup_time.lower() == "off":
            return
        try:
            at = parse_time(self.settings.backup_time)
        except ValueError as exc:
            self._config_error(str(exc))
            return
        DailyBackups(
            self.settings.database_url,
            self.settings.backups_path,
            at,
            self.settings.backup_keep,
            self.stop_event,
        ).start()

    def _config_error(self, message: str) -> None:
        self.errors.append(message)
        log.error("Konfigurasi perangkat serial salah, perangkat ini tidak dijalankan: %s", message)

    def stop(self) -> None:
        self.stop_event.set()
        if self.monitor is not None:
            self.monitor.stop()
        if self.displays is not None:
            self.displays.stop()
        for listener in self.call_boxes:
            listener.stop()
            listener.port.close()


def start_hardware(app: Flask, **options: Any) -> Hardware:
    hardware = Hardware(
        app.extensions["antrian.db"],
        app.config["ANTRIAN"],
        app.extensions.get("antrian.notifier"),
        app.extensions["antrian.stop"],
        **options,
    )
    app.extensions["antrian.hardware"] = hardware
    hardware.start()
    return hardware
