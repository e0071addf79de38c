"""The server's own daily backup: once a day after closing time, keeping the last N.

Run by the process that owns the office's hardware (antrian/devices), so several workers make
one backup, not one each. A failed backup is logged and tried again a few minutes later; its
age on /staff/admin and /healthz turns red after two days without one.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time
from pathlib import Path

from antrian import clock
from antrian.backup import BackupError, backup, last_backup, prune

log = logging.getLogger("antrian.backup")


def backup_due(now: datetime, at: time, folder: Path) -> bool:
    """True once today's backup time has passed and no backup was made since."""
    local_now = clock.local(now)
    if local_now.time() < at:
        return False
    latest = last_backup(folder)
    if latest is None:
        return True
    made = clock.local(latest.made_dt)
    today_at = datetime.combine(local_now.date(), at, tzinfo=local_now.tzinfo)
    return made < today_at


def parse_time(text: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ValueError(f"ANTRIAN_BACKUP_TIME '{text}' bukan jam HH:MM") from exc


class DailyBackups:
    def __init__(
        self,
        database_url: str,
        folder: Path,
        at: time,
        keep: int,
        stop: threading.Event,
        check_seconds: float = 60.0,
    ) -> None:
        self.database_url = database_url
        self.folder = folder
        self.at = at
        self.keep = keep
        self.stop = stop
        self.check_seconds = check_seconds

    def run_once(self, now: datetime) -> Path | None:
        if not backup_due(now, self.at, self.folder):
            return None
        try:
            made = backup(self.database_url, self.folder, now)
        except (BackupError, OSError) as exc:
            log.error("Cadangan harian gagal: %s", exc)
            return None
        prune(self.folder, self.keep)
        log.info("Cadangan harian dibuat: %s", made)
        return made

    def start(self) -> threading.Thread:
        def loop() -> None:
            while not self.stop.is_set():
                self.run_once(clock.utcnow())
                self.stop.wait(self.check_seconds)

        thread = threading.Thread(target=loop, name="daily-backups", daemon=True)
        thread.start()
        return thread
