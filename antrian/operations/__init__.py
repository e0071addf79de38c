"""Queue operations: explicit arguments (session, actor, now), shared by every room and the CLI."""

from antrian.operations.calling import ANY, call_next, call_ticket
from antrian.operations.calls import (
    current_ticket,
    finish,
    reactivate,
    recall,
    skip,
    start_service,
    transfer,
)
from antrian.operations.counters import pause_counter, resume_counter
from antrian.operations.errors import Conflict, Invalid, NotFound, OperationError
from antrian.operations.tickets import (
    TicketSummary,
    find_service,
    find_ticket_by_token,
    issue_ticket,
    people_ahead,
    queue_place,
)

__all__ = [
    "ANY",
    "Conflict",
    "Invalid",
    "NotFound",
    "OperationError",
    "TicketSummary",
    "call_next",
    "call_ticket",
    "current_ticket",
    "find_service",
    "find_ticket_by_token",
    "finish",
    "issue_ticket",
    "pause_counter",
    "people_ahead",
    "queue_place",
    "reactivate",
    "resume_counter",
    "recall",
    "skip",
    "start_service",
    "transfer",
]
