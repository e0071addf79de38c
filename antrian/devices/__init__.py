"""The office's hardware services, wired to the queue: printer status monitor, counter
displays, call-button boxes (antrian/devices/serial_runner.py: each counter's as the admin page
and the environment give them, followed without a restart).

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
from antrian.devices.displays import CounterDisplayService
from antrian.devices.serial_runner import SerialDevices
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
        reload_seconds: float | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.notifier = notifier
        self.stop_event = stop
        self.opener = opener
        self.display_options = display_options or {}
        self.port_options = {"timeout": 0.2, "retry_interval": 2.0, **(port_options or {})}
        self.reload_seconds = reload_seconds
        self.monitor: PrinterMonitor | None = None
        self.serial: SerialDevices | None = None
        self.start_errors: list[str] = []  # configuration problems found at start
        self.started = threading.Event()

    def start(self) -> None:
        self._start_monitor()
        self._start_serial_devices()
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

    def _start_serial_devices(self) -> None:
        self.serial = SerialDevices(
            self.db,
            self.settings,
            self.notifier,
            opener=self.opener,
            port_options=self.port_options,
            display_options=self.display_options,
            reload_seconds=self.reload_seconds,
            stop=self.stop_event,
        )
        self.serial.start()

    @property
    def displays(self) -> CounterDisplayService | None:
        return self.serial.displays if self.serial else None

    @property
    def call_boxes(self) -> list:
        return [listener for _config, listener in self.serial.boxes.values()] if self.serial else []

    @property
    def errors(self) -> list[str]:
        """Configuration problems, for the admin page and /healthz: the serial devices' (read
        again with their plan) and the rest's (found at start)."""
        return (self.serial.errors if self.serial else []) + self.start_errors

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
        self.start_errors.append(message)
        log.error("Konfigurasi perangkat serial salah, perangkat ini tidak dijalankan: %s", message)

    def stop(self) -> None:
        self.stop_event.set()
        if self.monitor is not None:
            self.monitor.stop()
        if self.serial is not None:
            self.serial.stop()


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
