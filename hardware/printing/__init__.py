"""Thermal receipt printers: transports chosen by URL, slip layouts, status, test page.

This package is the pure hardware layer: it knows nothing of Flask or of the ``antrian``
package. The spooler renders a slip once with :func:`render_bytes` and moves the bytes with
:func:`send_bytes`.

Two python-escpos 3.1 quirks are handled here, before any submodule imports ``escpos``:

* ``escpos.capabilities`` reads ``ESCPOS_CAPABILITIES_PICKLE_DIR`` at import time; without it
  every process creates a fresh temp dir and re-parses the whole capability database (slow,
  and it litters the temp dir).
* ``escpos.capabilities`` calls ``logging.basicConfig()`` at import time and the escpos
  printers log through the root logger (``logging.info``), which calls ``basicConfig()`` again
  whenever the root logger has no handler. We configure logging first so the output carries a
  timestamp and the logger name instead of escpos' bare default. An application that wants
  its own logging setup configures it before importing this package (or uses ``force=True``).
"""

from __future__ import annotations

import getpass
import logging
import os
import tempfile

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _user_tag() -> str:
    # Per-user directory: a shared /tmp dir created by another user would not be writable and
    # escpos would crash at import while writing its pickle.
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers): fall back to the numeric id
        return str(os.getuid()) if hasattr(os, "getuid") else "default"


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(format=LOG_FORMAT, level=logging.WARNING)


def _configure_escpos_cache() -> None:
    if os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"):
        return
    cache_dir = os.path.join(tempfile.gettempdir(), f"antrian-escpos-{_user_tag()}")
    os.makedirs(cache_dir, mode=0o700, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = cache_dir


_configure_logging()
_configure_escpos_cache()

# Imported only now, on purpose: the two calls above must run before escpos is imported.
from .errors import PrinterError  # noqa: E402
from .layouts import (  # noqa: E402
    ComplaintSlip,
    HandoverSlip,
    OfficeInfo,
    ReceiptSlip,
    TicketSlip,
    render,
    render_bytes,
)
from .profiles import DEFAULT_PROFILE, PaperProfile, get_profile  # noqa: E402
from .status import PrinterStatus, query_status  # noqa: E402
from .testpage import print_test_page  # noqa: E402
from .transports import open_printer, send_bytes  # noqa: E402

__all__ = [
    "DEFAULT_PROFILE",
    "ComplaintSlip",
    "HandoverSlip",
    "OfficeInfo",
    "PaperProfile",
    "PrinterError",
    "PrinterStatus",
    "ReceiptSlip",
    "TicketSlip",
    "get_profile",
    "open_printer",
    "print_test_page",
    "query_status",
    "render",
    "render_bytes",
    "send_bytes",
]
