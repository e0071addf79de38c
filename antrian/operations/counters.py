"""Opening and closing a counter for a while: while it is paused nothing is called to it and
the lobby display shows it closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from antrian.catalogue import PAUSE_REASONS
from antrian.events import hold_event_order, record_event
from antrian.models import Counter, Staff
from antrian.operations.calls import actor_name, current_ticket, find_counter
from antrian.operations.errors import Conflict, Invalid


def pause_counter(
    session: Session, counter_number: int, reason: str, staff: Staff | None, now: datetime
) -> Counter:
    """Close the counter with a reason from PAUSE_REASONS; its ticket must be finished first."""
    if reason not in PAUSE_REASONS:
        raise Invalid(
            f"Pilih alasan menutup loket: {', '.join(PAUSE_REASONS.values())}.",
            code="bad_reason",
        )
    hold_event_order(session)
    counter = find_counter(session, counter_number, lock=True)
    if counter.paused_reason is not None:
        raise Conflict(f"{counter.name} sudah ditutup.", code="already_paused")
    serving = current_ticket(session, counter, now)
    if serving is not None:
        raise Conflict(
            f"Selesaikan atau lewati {serving.code} dulu sebelum menutup loket.", code="busy"
        )
    counter.paused_reason = reason
    counter.paused_dt = now
    _counter_event(session, "counter.paused", counter, staff, now, reason=reason)
    return counter


def resume_counter(
    session: Session, counter_number: int, staff: Staff | None, now: datetime
) -> Counter:
    hold_event_order(session)
    counter = find_counter(session, counter_number, lock=True)
    if counter.paused_reason is None:
        raise Conflict(f"{counter.name} sudah buka.", code="not_paused")
    reason = counter.paused_reason
    minutes = int((now - counter.paused_dt).total_seconds() // 60) if counter.paused_dt else None
    counter.paused_reason = None
    counter.paused_dt = None
    _counter_event(session, "counter.resumed", counter, staff, now, reason=reason, minutes=minutes)
    return counter


def _counter_event(session, kind: str, counter: Counter, staff, now, **data) -> None:
    record_event(
        session,
        kind,
        now,
        actor_name(staff),
        counter_id=counter.id,
        counter=counter.number,
        counter_name=counter.name,
        **data,
    )
