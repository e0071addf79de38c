from __future__ import annotations

from datetime import timedelta

import pytest

from antrian import operations as ops
from antrian.seed import add_staff


@pytest.fixture
def officer(db, now):
    with db.write() as s:
        return add_staff(s, "rina", "Rina Oktavia", "rahasia-123", "front_office", now)


def finished_ticket(db, now, staff, service: str = "A") -> tuple[int, str, str]:
    """A ticket issued, called at counter 1 and finished: (id, token, code)."""
    with db.write() as s:
        issued = ops.issue_ticket(s, service, None, None, now, print_on=None)
    with db.write() as s:
        ops.call_next(s, 1, staff, now + timedelta(minutes=1))
    with db.write() as s:
        ops.finish(s, issued.id, staff, now + timedelta(minutes=9))
    return issued.id, issued.token, issued.code
