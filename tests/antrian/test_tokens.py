"""Phone-link tokens begin with their day, stay unguessable, and open their pages
(antrian/tokens.py: the day keeps a day's tokens together in the unique index)."""

from __future__ import annotations

from datetime import timedelta

from antrian import operations as ops
from antrian.clock import service_day


def test_a_tickets_link_begins_with_its_day_and_opens_its_page(app, db, client, now):
    with db.write() as s:
        first = ops.issue_ticket(s, "A", None, None, now)
        second = ops.issue_ticket(s, "A", None, None, now)
    with db.write() as s:
        tomorrow = ops.issue_ticket(s, "A", None, None, now + timedelta(days=1))
    day = service_day(now).strftime("%Y%m%d")
    assert first.token.startswith(day) and second.token.startswith(day)
    assert tomorrow.token.startswith(service_day(now + timedelta(days=1)).strftime("%Y%m%d"))
    # 22 URL-safe characters after the day: 128 random bits, different for every ticket.
    assert len(first.token) == len(day) + 22 and first.token[8:] != second.token[8:]
    page = client.get(f"/t/{first.token}")
    assert page.status_code == 200 and first.code in page.get_data(as_text=True)
