"""Logging for a server that runs for years: a line per event worth reading, nothing per slip.

Under systemd the journal keeps and rotates what goes to stderr; no log files of our own.
python-escpos logs "File printer enabled" / "Closing File connection" for every slip through the
ROOT logger (logging.info, not a named logger), so a level on a library logger cannot quiet it:
a filter on our handler drops those lines below WARNING unless --debug asks for everything.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _not_library_chatter(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or "/escpos/" not in record.pathname.replace("\\", "/")


def configure_logging(debug: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format=FORMAT)
    if not debug:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_not_library_chatter)
        # Alembic names each of its plugins at INFO on every migration run.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
