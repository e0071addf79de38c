"""Issue is rate-limited per client, so a stuck key or a script cannot flood the queue."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def issue_limit() -> str:
    return current_app.config["ANTRIAN"].issue_rate_limit


def complaint_limit() -> str:
    """Complaints are public: a script must not bury the real ones."""
    return current_app.config["ANTRIAN"].complaint_rate_limit
