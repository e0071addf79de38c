"""Call-button boxes run the same queue operations as the staff console.

Each key press is one unit of work in its own `db.write()` session, acting as the box's staff
account (so the audit trail says who), at the counter the box sits on. NEXT calls the next
ticket; RECALL, SKIP, START and FINISH act on the counter's current ticket. The box's LCD is
one short line, so refusals are short upper-case Indonesian texts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from antrian import operations as ops
from antrian.clock import utcnow
from antrian.db import Database
from antrian.models import Staff
from hardware.serial_devices.call_box import CallBoxCommand, CallBoxError

log = logging.getLogger("antrian.devices")

QUEUE_EMPTY = "ANTREAN KOSONG"
NO_TICKET = "TIDAK ADA TIKET"
WRONG_STATUS = "STATUS TIKET TIDAK SESUAI"
NO_COUNTER = "LOKET TIDAK AKTIF"
NO_STAFF = "PETUGAS TIDAK TERDAFTAR"
PAUSED = "LOKET TUTUP"
CONFLICTS = {"queue_empty": QUEUE_EMPTY, "counter_paused": PAUSED}

KEY_BOUNCE = timedelta(seconds=3)

TICKET_ACTIONS = {
    "recall": ops.recall,
    "skip": ops.skip,
    "start": ops.start_service,
    "finish": ops.finish,
}


def _staff(session, username: str) -> Staff:
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None or not staff.active or not staff.has_role("front_office"):
        log.error("Kotak panggil: akun %r tidak ada, tidak aktif atau bukan petugas", username)
        raise CallBoxError(NO_STAFF)
    return staff


def run_command(db: Database, command: CallBoxCommand, staff_username: str, now: datetime) -> str:
    """Run one key press; returns the ticket code for the LCD, raises CallBoxError to refuse."""
    try:
        with db.write() as session:
            staff = _staff(session, staff_username)
            counter = ops.calls.find_counter(session, command.counter)
            current = ops.current_ticket(session, counter, now)
            if command.action == "next":
                if current is not None and now - current.called_dt < KEY_BOUNCE:
                    # A bouncing key or an impatient double press: that call just happened.
                    return current.code
                return ops.call_next(
                    session,
                    command.counter,
                    staff,
                    now,
                    expected_current=current.id if current else None,
                ).code
            if current is None:
                raise CallBoxError(NO_TICKET)
            operation = TICKET_ACTIONS[command.action]
            return operation(session, current.id, staff, now).code
    except ops.Conflict as err:
        raise CallBoxError(CONFLICTS.get(err.code, WRONG_STATUS)) from err
    except ops.NotFound as err:
        raise CallBoxError(NO_COUNTER) from err


def call_box_handler(
    db: Database, staff_username: str, clock: Callable[[], datetime] = utcnow
) -> Callable[[CallBoxCommand], str]:
    """The handler a CallBoxListener calls for each valid command."""

    def handle(command: CallBoxCommand) -> str:
        code = run_command(db, command, staff_username, clock())
        log.info("Kotak panggil loket %d: %s %s", command.counter, command.action.upper(), code)
        return code

    return handle
