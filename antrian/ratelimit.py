"""Issue is rate-limited per client address, so a stuck key or a script cannot flood the queue.

The count lives in the database (antrian/operations/rate_limits.py): the kiosk and the API
share one count per address across every worker process. `limiter` (Flask-Limiter, memory
storage) is only for limits that may be counted per process.
"""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from antrian.operations.rate_limits import Rate

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def issue_limit() -> str:
    return current_app.config["ANTRIAN"].issue_rate_limit


def complaint_limit() -> str:
    """Complaints are public: a script must not bury the real ones."""
    return current_app.config["ANTRIAN"].complaint_rate_limit


def issue_rate() -> Rate | None:
    """The configured ANTRIAN_ISSUE_RATE_LIMIT ("30/minute"; "off": none)."""
    settings = current_app.config["ANTRIAN"]
    rate = current_app.extensions.get("antrian.issue_rate", False)
    if rate is False:
        rate = current_app.extensions["antrian.issue_rate"] = Rate.parse(settings.issue_rate_limit)
    return rate


def client_address() -> str:
    return request.remote_addr or "-"
