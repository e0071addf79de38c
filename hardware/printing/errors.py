"""The one exception the printing layer raises towards the spooler, CLI and staff screens."""

from __future__ import annotations


class PrinterError(Exception):
    """A printer could not be used. ``message`` is Indonesian and shown to staff as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
