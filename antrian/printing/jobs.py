"""What staff see of the printers and their jobs, and the one thing they do with a job: reprint.

The same functions feed the desk, the admin page and `GET /api/v1/printers`, so the three
always agree. A printer's state is its last `printer.status` event (written by the status
monitor and by the spooler, whichever notices first); its alert turns red at once for paper
out or an open cover (a person must act), and after `ANTRIAN_PRINTER_ALERT_SECONDS` for a
printer that is off or unreachable (a restart of the printer should not alarm anybody).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from antrian.clock import as_utc, utcnow
from antrian.config import Settings
from antrian.events import print_jobs_written, record_event
from antrian.models import PrintJob
from antrian.operations.errors import Conflict, NotFound
from antrian.printer_status import is_problem, last_status_event, monitored
from antrian.printing.directory import printer_entries, printer_label

WAITING = ("pending", "printing")
REPRINTABLE = ("done", "failed")
JOBS_SHOWN = 20


@dataclass(frozen=True)
class PrinterState:
    name: str
    label: str
    device: str  # the registered device it belongs to; "" for a default printer
    url: str
    monitored: bool
    status: str | None  # the last describe() text, None when never asked
    message: str | None
    ready: bool  # False: it cannot print now (near-end paper still prints)
    since_dt: datetime | None  # of the last status; of the problem, while there is one
    alert: bool  # red on the desks: it cannot print and a person should look at it
    waiting: int  # jobs not printed yet
    waiting_jobs: list[PrintJob] = field(default_factory=list)  # the first few, in order

    @property
    def problem(self) -> bool:
        return is_problem(self.status)


def printer_states(session: Session, settings: Settings, now: datetime) -> list[PrinterState]:
    from hardware.printing.transports import safe_url

    waiting = dict(
        session.execute(
            select(PrintJob.printer, func.count(PrintJob.id))
            .where(PrintJob.status.in_(WAITING))
            .group_by(PrintJob.printer)
        ).all()
    )
    states = []
    for entry in printer_entries(session, settings):
        name, url = entry.name, entry.url
        last = last_status_event(session, name)
        data = last.data if last else {}
        since = as_utc(datetime.fromisoformat(data["since"])) if data.get("since") else None
        since = since or (last.created_dt if last else None)
        problem = is_problem(data.get("status"))
        urgent = bool(data.get("paper_out") or data.get("cover_open"))
        late = since is not None and now - since >= timedelta(
            seconds=settings.printer_alert_seconds
        )
        states.append(
            PrinterState(
                name=name,
                label=entry.label,
                device=entry.device,
                url=safe_url(url),
                monitored=monitored(url),
                status=data.get("status"),
                message=data.get("message"),
                ready=bool(data.get("ready", True)),
                since_dt=since,
                alert=problem and not data.get("ready", True) and (urgent or late),
                waiting=waiting.get(name, 0),
                waiting_jobs=waiting_jobs(session, name) if waiting.get(name) else [],
            )
        )
    return states


def waiting_jobs(session: Session, printer: str, limit: int = JOBS_SHOWN) -> list[PrintJob]:
    """A printer's jobs not printed yet, in the order they will print."""
    return list(
        session.scalars(
            select(PrintJob)
            .where(PrintJob.printer == printer, PrintJob.status.in_(WAITING))
            .order_by(PrintJob.id)
            .limit(limit)
        )
    )


def recent_jobs(session: Session, limit: int = JOBS_SHOWN) -> list[PrintJob]:
    """The latest jobs of every printer, newest first: what staff may want reprinted."""
    return list(session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)))


def slip_label(job: PrintJob) -> str:
    return job.payload.get("code") or job.payload.get("ticket_code") or f"#{job.id}"


def reprint_job(session: Session, job_id: int, actor: str, now: datetime) -> PrintJob:
    """Staff asked for another copy of a printed or failed slip: a new job, "CETAK ULANG".

    The old job is claimed with one conditional UPDATE ('reprinted'), so a double click or a
    second desk gets a Conflict instead of a third copy. Recorded in the event log."""
    claimed = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status.in_(REPRINTABLE))
        .values(status="reprinted")
        .returning(PrintJob.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    old = session.get(PrintJob, job_id)
    if old is None:
        raise NotFound("Job cetak tidak ditemukan.")
    if claimed is None:
        raise Conflict(f"Slip {slip_label(old)} sedang dicetak atau sudah dikirim ulang.")
    session.refresh(old)
    copy = PrintJob(
        printer=old.printer,
        kind=old.kind,
        payload=old.payload,
        ticket_id=old.ticket_id,
        created_dt=now,
        next_attempt_dt=now,
        reprint=True,
    )
    session.add(copy)
    session.flush()
    print_jobs_written(session, copy.printer)
    record_event(
        session,
        "print.reprinted",
        now,
        actor,
        ticket_id=old.ticket_id,
        printer=old.printer,
        job_id=old.id,
        new_job_id=copy.id,
        message=f"{slip_label(old)} dicetak ulang di {printer_label(session, old.printer)}.",
    )
    return copy


def printer_board() -> list[PrinterState]:
    """`printer_board()` in templates: every printer's state, for the desks."""
    settings: Settings = current_app.config["ANTRIAN"]
    with current_app.extensions["antrian.db"].read() as session:
        return printer_states(session, settings, utcnow())


def init_app(app: Flask) -> None:
    app.jinja_env.globals["printer_board"] = printer_board
