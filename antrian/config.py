"""Settings read from the environment, once, when the app or CLI starts.

Every setting has an `ANTRIAN_*` variable and a default that runs the whole office on one
machine with nothing to configure (SQLite in the instance folder, a file printer).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    timezone: str = "Asia/Jakarta"
    issue_rate_limit: str = "30/minute"
    session_idle_minutes: int = 30
    kiosk_printer_url: str = ""
    counter_printer_url: str = ""
    printer_profile: str = "TM-T20II"
    public_url: str = ""
    office_name: str = "DPMPTSP Kabupaten Pelalawan"
    office_address: str = "Komplek Perkantoran Bhakti Praja, Pangkalan Kerinci"
    office_phone: str = "0761-95991"
    running_text: str = (
        "Selamat datang di Mal Pelayanan DPMPTSP Kabupaten Pelalawan. "
        "Siapkan e-mail aktif, NIK, Akta (badan usaha) dan NPWP untuk pengurusan NIB/IUMK."
    )
    data_retention_days: int = 365
    opening_hours: bool = True  # refuse numbers outside office hours and on closed days
    kiosk_idle_seconds: int = 30  # a kiosk form left alone goes back to the start
    kiosk_ticket_seconds: int = 20  # the ticket screen, after the number is shown
    trusted_proxies: int = 0  # reverse proxies in front (nginx: 1) whose X-Forwarded-* count
    backup_dir: Path | None = None  # None: <instance>/backups
    backup_keep: int = 30
    backup_time: str = "17:30"  # local time, after closing; "off": no daily backup
    complaint_target_days: int = 5  # working days to answer a complaint
    kiosk_form_idle_seconds: int = 30  # a complaint or survey form left alone goes home
    complaint_rate_limit: str = "20/hour"  # per client (a kiosk is one client)
    printer_status_seconds: float = 30.0
    # A printer that cannot print (offline) for this long turns the desks' alert red;
    # paper out and an open cover need a person at once and show at once.
    printer_alert_seconds: float = 60.0
    counter_displays: str = ""  # JSON, parsed by antrian.devices.config
    call_boxes: str = ""  # JSON, parsed by antrian.devices.config
    call_box_staff: str = "admin"  # a username, or JSON {counter: username}
    start_background: bool = True
    display_streams: int = 64  # open lobby-display streams at most (each holds a thread)
    staff_streams: int = 32  # open desk streams at most, apart from the displays'
    testing: bool = False

    @property
    def backups_path(self) -> Path:
        return self.backup_dir or self.instance_path / "backups"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    get = lambda name, default: env.get(name) or default  # noqa: E731
    instance = Path(get("ANTRIAN_INSTANCE_PATH", "instance")).resolve()
    db_default = f"sqlite:///{instance / 'antrian.sqlite3'}"
    return Settings(
        instance_path=instance,
        database_url=get("ANTRIAN_DATABASE_URL", db_default),
        timezone=get("ANTRIAN_TIMEZONE", "Asia/Jakarta"),
        issue_rate_limit=get("ANTRIAN_ISSUE_RATE_LIMIT", "30/minute"),
        session_idle_minutes=int(get("ANTRIAN_SESSION_IDLE_MINUTES", "30")),
        kiosk_printer_url=get(
            "ANTRIAN_KIOSK_PRINTER_URL", f"file://{instance / 'printer-kiosk.bin'}"
        ),
        counter_printer_url=get(
            "ANTRIAN_COUNTER_PRINTER_URL", f"file://{instance / 'printer-loket.bin'}"
        ),
        printer_profile=get("ANTRIAN_PRINTER_PROFILE", "TM-T20II"),
        public_url=get("ANTRIAN_PUBLIC_URL", "").rstrip("/"),
        office_name=get("ANTRIAN_OFFICE_NAME", Settings.office_name),
        office_address=get("ANTRIAN_OFFICE_ADDRESS", Settings.office_address),
        office_phone=get("ANTRIAN_OFFICE_PHONE", Settings.office_phone),
        running_text=get("ANTRIAN_RUNNING_TEXT", Settings.running_text),
        data_retention_days=int(get("ANTRIAN_DATA_RETENTION_DAYS", "365")),
        opening_hours=get("ANTRIAN_OPENING_HOURS", "on").lower() != "off",
        kiosk_idle_seconds=int(get("ANTRIAN_KIOSK_IDLE_SECONDS", "30")),
        kiosk_ticket_seconds=int(get("ANTRIAN_KIOSK_TICKET_SECONDS", "20")),
        backup_dir=Path(env["ANTRIAN_BACKUP_DIR"]).resolve()
        if env.get("ANTRIAN_BACKUP_DIR")
        else None,
        backup_keep=int(get("ANTRIAN_BACKUP_KEEP", "30")),
        trusted_proxies=int(get("ANTRIAN_TRUSTED_PROXIES", "0")),
        backup_time=get("ANTRIAN_BACKUP_TIME", "17:30"),
        complaint_target_days=int(get("ANTRIAN_COMPLAINT_TARGET_DAYS", "5")),
        kiosk_form_idle_seconds=int(get("ANTRIAN_KIOSK_FORM_IDLE_SECONDS", "30")),
        complaint_rate_limit=get("ANTRIAN_COMPLAINT_RATE_LIMIT", "20/hour"),
        printer_status_seconds=float(get("ANTRIAN_PRINTER_STATUS_SECONDS", "30")),
        printer_alert_seconds=float(get("ANTRIAN_PRINTER_ALERT_SECONDS", "60")),
        counter_displays=get("ANTRIAN_COUNTER_DISPLAYS", ""),
        call_boxes=get("ANTRIAN_CALL_BOXES", ""),
        call_box_staff=get("ANTRIAN_CALL_BOX_STAFF", "admin"),
        start_background=get("ANTRIAN_BACKGROUND", "1") not in ("0", "false", "off"),
        display_streams=int(get("ANTRIAN_DISPLAY_STREAMS", "64")),
        staff_streams=int(get("ANTRIAN_STAFF_STREAMS", "32")),
    )


def secret_key(instance_path: Path) -> str:
    """The Flask secret key lives in the instance folder, made on first run, never committed."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
