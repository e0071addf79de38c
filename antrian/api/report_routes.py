"""GET /api/v1/reports/...: the report page's figures as JSON, for the office's own tools."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from antrian.api.routes import api, error
from antrian.clock import service_day
from antrian.reports.periods import BadPeriod, parse_period
from antrian.reports.tickets import ticket_report
from antrian.web import db_session, request_now


@api.get("/reports/queue")
def report_queue():
    if not current_user.is_authenticated:
        return error("unauthorized", "Masuk sebagai petugas diperlukan.", 401)
    if not current_user.has_role("supervisor"):
        return error("forbidden", "Laporan untuk pimpinan dan admin.", 403)
    try:
        period = parse_period(request.args, service_day(request_now()))
    except BadPeriod as err:
        return error("bad_period", err.args[0], 400)
    return jsonify(ticket_report(db_session(), period).as_dict())
