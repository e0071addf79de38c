"""GET /api/v1/reports/...: the report page's figures as JSON, for the office's own tools."""

from __future__ import annotations

from functools import wraps

from flask import current_app, jsonify, request
from flask_login import current_user

from antrian.api.routes import api, error
from antrian.clock import service_day
from antrian.reports.cases import case_figures
from antrian.reports.feedback import complaint_figures, ikm_as_dict, skm_figures
from antrian.reports.periods import BadPeriod, parse_period
from antrian.reports.register import register_figures
from antrian.reports.tickets import ticket_report
from antrian.web import db_session, request_now


def _report(view):
    """Supervisors and admins only; the view gets the period read from the query string."""

    @wraps(view)
    def wrapper():
        if not current_user.is_authenticated:
            return error("unauthorized", "Masuk sebagai petugas diperlukan.", 401)
        if not current_user.has_role("supervisor"):
            return error("forbidden", "Laporan untuk pimpinan dan admin.", 403)
        try:
            period = parse_period(request.args, service_day(request_now()))
        except BadPeriod as err:
            return error("bad_period", err.args[0], 400)
        return jsonify(view(period))

    return wrapper


@api.get("/reports/queue")
@_report
def report_queue(period):
    return ticket_report(db_session(), period).as_dict()


@api.get("/reports/cases")
@_report
def report_cases(period):
    return case_figures(db_session(), period, request_now()).as_dict()


@api.get("/reports/register")
@_report
def report_register(period):
    return register_figures(db_session(), period).as_dict()


@api.get("/reports/complaints")
@_report
def report_complaints(period):
    target = current_app.config["ANTRIAN"].complaint_target_days
    return complaint_figures(db_session(), period, request_now(), target).as_dict()


@api.get("/reports/skm")
@_report
def report_skm(period):
    return ikm_as_dict(skm_figures(db_session(), period))
