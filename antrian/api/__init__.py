"""JSON API /api/v1: the kiosk's and the console's operations for other programs."""

from antrian.api import (  # noqa: F401  (their routes join the blueprint)
    case_routes,
    feedback_routes,
    printers,
    register_routes,
    report_routes,
    validation_routes,
)
from antrian.api.routes import api

__all__ = ["api"]
