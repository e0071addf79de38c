"""Is this a printer address Antrian can use? Checked when the admin types one, without
opening anything: the printer may well be switched off while it is being registered."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

SCHEMES = ("tcp", "serial", "usb", "file", "cups", "dummy")
EXAMPLES = "tcp://192.168.1.50:9100, serial:///dev/ttyUSB0, usb://04b8:0202, file:///dev/usb/lp0"
MAX_LENGTH = 300  # the column's size


def printer_url_problem(url: str) -> str | None:
    """None when `url` is usable; else what is wrong with it, in plain Indonesian."""
    if len(url) > MAX_LENGTH:
        return f"Alamat printer terlalu panjang (paling banyak {MAX_LENGTH} karakter)."
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"Alamat printer tidak dikenal. Contoh yang benar: {EXAMPLES}."
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            port = -1
        if not parts.hostname or port == -1:
            return "Alamat printer jaringan harus berbentuk tcp://ALAMAT-IP:9100."
    if scheme in ("file", "serial", "cups") and not unquote(parts.netloc + parts.path).strip("/"):
        return f"Alamat printer {scheme}:// tidak berisi nama perangkat atau berkas."
    if scheme == "usb" and not _usb_ids(parts.netloc):
        return "Alamat printer USB harus berbentuk usb://VVVV:PPPP (mis. usb://04b8:0202)."
    return None


def _usb_ids(netloc: str) -> bool:
    ids = netloc.split(":")
    return len(ids) == 2 and all(
        0 < len(x) <= 4 and all(c in "0123456789abcdefABCDEF" for c in x) for x in ids
    )
