"""JSON API /api/v1: the kiosk's and the console's operations for other programs."""

from antrian.api import validation_routes  # noqa: F401  (its routes join the blueprint)
from antrian.api.routes import api

__all__ = ["api"]
