"""Which serial devices the office has, from the environment.

    ANTRIAN_COUNTER_DISPLAYS  {"1": {"kind": "vfd", "port": "/dev/ttyUSB1"},
                               "2": {"kind": "led", "port": "/dev/ttyUSB2", "address": 2}}
    ANTRIAN_CALL_BOXES        {"1": "/dev/ttyUSB3",
                               "2": {"port": "/dev/ttyUSB4", "staff": "siti", "baudrate": 9600}}
    ANTRIAN_CALL_BOX_STAFF    admin              (every box acts as this account)
                              {"1": "budi", "2": "siti"}   (per counter; others: admin)

Keys are counter numbers. Errors are Indonesian `DeviceConfigError`s naming the variable, so a
typo is readable in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

DEFAULT_STAFF = "admin"


class DeviceConfigError(ValueError):
    pass


@dataclass(frozen=True)
class CallBoxConfig:
    counter: int
    port: str
    staff: str = DEFAULT_STAFF
    baudrate: int = 9600


def _json_object(raw: str, variable: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DeviceConfigError(
            f"{variable} bukan JSON yang valid: {exc.msg} (kolom {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise DeviceConfigError(f'{variable} harus berupa objek JSON, mis. {{"1": ...}}')
    return data


def _counter(key: str, variable: str) -> int:
    text = str(key).strip()
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise DeviceConfigError(f"{variable}: kunci {key!r} bukan nomor loket (1, 2, ...)")
    return int(text)


def parse_counter_displays(raw: str) -> dict[int, dict[str, Any]]:
    """`{counter: spec}` for `hardware.serial_devices.build_bank`; {} when not configured."""
    variable = "ANTRIAN_COUNTER_DISPLAYS"
    if not raw or not raw.strip():
        return {}
    specs: dict[int, dict[str, Any]] = {}
    for key, spec in _json_object(raw, variable).items():
        counter = _counter(key, variable)
        if not isinstance(spec, dict) or not spec.get("port"):
            raise DeviceConfigError(
                f'{variable}: loket {counter} butuh objek dengan "kind" dan "port", '
                f'mis. {{"kind": "vfd", "port": "/dev/ttyUSB1"}}'
            )
        if str(spec.get("kind", "")).lower() not in ("vfd", "led"):
            raise DeviceConfigError(f'{variable}: loket {counter}: "kind" harus "vfd" atau "led"')
        if str(spec["kind"]).lower() == "led" and "address" not in spec:
            raise DeviceConfigError(f'{variable}: loket {counter}: tampilan LED butuh "address"')
        specs[counter] = dict(spec)
    return specs


def _staff_for(raw: str) -> tuple[str, dict[int, str]]:
    """The default account and the per-counter accounts of ANTRIAN_CALL_BOX_STAFF."""
    variable = "ANTRIAN_CALL_BOX_STAFF"
    text = (raw or "").strip()
    if not text:
        return DEFAULT_STAFF, {}
    if not text.startswith("{"):
        return text, {}
    per_counter: dict[int, str] = {}
    for key, username in _json_object(text, variable).items():
        if not isinstance(username, str) or not username.strip():
            raise DeviceConfigError(f"{variable}: loket {key} butuh nama pengguna berupa teks")
        per_counter[_counter(key, variable)] = username.strip()
    return DEFAULT_STAFF, per_counter


def call_box_account(staff_raw: str, counter: int) -> str:
    """The account ANTRIAN_CALL_BOX_STAFF gives `counter`'s box (one set on the admin page)."""
    default_staff, per_counter = _staff_for(staff_raw)
    return per_counter.get(counter, default_staff)


def parse_call_boxes(raw: str, staff_raw: str = DEFAULT_STAFF) -> list[CallBoxConfig]:
    variable = "ANTRIAN_CALL_BOXES"
    if not raw or not raw.strip():
        return []
    default_staff, per_counter = _staff_for(staff_raw)
    boxes: list[CallBoxConfig] = []
    for key, spec in _json_object(raw, variable).items():
        counter = _counter(key, variable)
        if isinstance(spec, str):
            spec = {"port": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("port"), str) or not spec["port"]:
            raise DeviceConfigError(
                f'{variable}: loket {counter} butuh alamat port, mis. "/dev/ttyUSB3"'
            )
        try:
            baudrate = int(spec.get("baudrate", 9600))
        except (TypeError, ValueError):
            raise DeviceConfigError(f"{variable}: loket {counter}: baudrate tidak valid") from None
        staff = spec.get("staff") or per_counter.get(counter) or default_staff
        boxes.append(CallBoxConfig(counter, spec["port"], str(staff), baudrate))
    ports = [box.port for box in boxes]
    duplicates = sorted({port for port in ports if ports.count(port) > 1})
    if duplicates:
        raise DeviceConfigError(f"{variable}: satu port untuk beberapa kotak panggil: {duplicates}")
    return boxes


def config_errors(counter_displays: str, call_boxes: str, call_box_staff: str) -> list[str]:
    """What is wrong with the device variables, for the admin page (any worker can tell)."""
    errors = []
    for check in (
        lambda: parse_counter_displays(counter_displays),
        lambda: parse_call_boxes(call_boxes, call_box_staff),
    ):
        try:
            check()
        except DeviceConfigError as exc:
            errors.append(str(exc))
    return errors
