"""JSON API /api/v1: the kiosk's and the console's operations for other programs."""

from antrian.api.routes import api

__all__ = ["api"]
