"""Reports (/staff/laporan): how the office does against its service standard, for the
supervisor and the head of office. Every figure is computed from the records on request
(antrian/reports); the page, the CSV/XLSX downloads and /api/v1/reports read the same objects.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from antrian.auth import role_required
from antrian.clock import service_day
from antrian.reports.cases import case_figures
from antrian.reports.charts import bars, heat_map
from antrian.reports.feedback import complaint_figures, skm_figures
from antrian.reports.periods import BadPeriod, parse_period
from antrian.reports.register import register_figures
from antrian.reports.tables import FORMATS, report_tables
from antrian.reports.tickets import ticket_report
from antrian.reports.today import today_view
from antrian.settings_store import current_office
from antrian.web import db_session, render, request_now

reports = Blueprint("reports", __name__, url_prefix="/staff/laporan", template_folder="templates")


def _period():
    try:
        return parse_period(request.args, service_day(request_now())), None
    except BadPeriod as err:
        return parse_period({}, service_day(request_now())), err.args[0]


def _parts(period) -> dict:
    session = db_session()
    return {
        "report": ticket_report(session, period),
        "register": register_figures(session, period),
        "complaints": complaint_figures(
            session, period, request_now(), current_app.config["ANTRIAN"].complaint_target_days
        ),
        "skm": skm_figures(session, period),
        "cases": case_figures(session, period, request_now()),
    }


@reports.get("/")
@role_required("supervisor")
def page():
    period, error = _period()
    parts = _parts(period)
    html = render_template(
        "staff/reports.html",
        period=period,
        error=error,
        **parts,
        tables=report_tables(**parts),
        bars=bars(parts["report"].services),
        heat_map=heat_map(parts["report"].hours),
        today=service_day(request_now()),
    )
    return html, 422 if error else 200


@reports.get("/unduh/<name>.<fmt>")
@role_required("supervisor")
def download(name: str, fmt: str):
    period, error = _period()
    if error or fmt not in FORMATS:
        abort(400, error or "Format tidak dikenal: csv atau xlsx.")
    tables = report_tables(**_parts(period))
    if name not in tables:
        abort(404)
    title, headers, rows = tables[name]
    mimetype, write = FORMATS[fmt]
    office = current_office().name
    heading = f"{office} · {title} · {period.label()}"
    body = write(headers, rows) if fmt == "csv" else write(title, headers, rows, heading)
    filename = f"laporan-{name}-{period.start}-{period.end}.{fmt}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@reports.get("/hari-ini")
@role_required("supervisor")
def today():
    """Live: the staff event stream makes the page fetch its fragment again on every change."""
    view = today_view(db_session(), request_now())
    return render("staff/today.html", "staff/_today.html", now=request_now(), **view)
