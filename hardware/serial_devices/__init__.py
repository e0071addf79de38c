"""Serial devices of the office: counter displays (VFD / LED) and call-button boxes.

Talks to the rest of the system only through plain callbacks and values: no
Flask, no ``antrian`` imports, so it can be tested and run on its own.
"""

from .call_box import CallBoxCommand, CallBoxError, CallBoxListener, parse_command
from .counter_display import (
    CounterDisplayBank,
    CounterDisplayDriver,
    LedCounterDisplay,
    VfdPoleDisplay,
    build_bank,
    build_driver,
)
from .port import ReconnectingPort

__all__ = [
    "CallBoxCommand",
    "CallBoxError",
    "CallBoxListener",
    "CounterDisplayBank",
    "CounterDisplayDriver",
    "LedCounterDisplay",
    "ReconnectingPort",
    "VfdPoleDisplay",
    "build_bank",
    "build_driver",
    "parse_command",
]
