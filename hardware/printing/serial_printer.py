"""Serial printer with the two pyserial settings python-escpos 3.1 does not pass on."""

from __future__ import annotations

from typing import Any

from escpos.printer import Serial


class SerialPrinter(Serial):
    """escpos ``Serial`` plus a write timeout and RTS/CTS flow control.

    Without a write timeout a printer that holds flow control (paper out, cover open) blocks
    the spooler thread forever. escpos documents ``dsrdtr=False`` as "enable RTS/CTS" but
    never passes ``rtscts`` to pyserial, so we set it ourselves after opening.
    """

    def __init__(
        self, *args: Any, write_timeout: float = 30.0, rtscts: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.write_timeout = write_timeout
        self.rtscts = rtscts

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found=raise_not_found)
        if self._device:
            self._device.write_timeout = self.write_timeout
            if self.rtscts:
                self._device.rtscts = True
