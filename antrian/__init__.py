"""Antrian: kiosk and queue of DPMPTSP Kabupaten Pelalawan.

`create_app()` is the one place that wires the rooms together.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, jsonify
from flask_wtf.csrf import CSRFProtect

from antrian.config import Settings, load_settings, secret_key

csrf = CSRFProtect()


def create_app(settings: Settings | None = None, **flask_config) -> Flask:
    from antrian import auth, clock, error_pages, i18n, input_guard, settings_store, web
    from antrian.api import api
    from antrian.cases import personal_data
    from antrian.db import Database, WalCheckpointer, attach_commit_hooks
    from antrian.events import Notifier, PostgresListener
    from antrian.printing import jobs as print_jobs
    from antrian.ratelimit import limiter
    from kiosk.blueprint import kiosk, phone
    from kiosk.feedback import feedback
    from queue_display.blueprint import display, phrase_api
    from staff_console.accounts import accounts_pages
    from staff_console.admin import admin
    from staff_console.blueprint import staff
    from staff_console.cases import case_desk
    from staff_console.checklist_admin import checklist_admin
    from staff_console.devices_admin import devices_admin
    from staff_console.feedback import staff_feedback
    from staff_console.fields import fields
    from staff_console.opening_admin import opening_admin
    from staff_console.print_jobs import print_jobs as print_jobs_pages
    from staff_console.register import register
    from staff_console.reports import reports

    settings = settings or load_settings()
    clock.set_office_timezone(settings.timezone)
    personal_data.use_keys(personal_data.data_keys(settings.instance_path))
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=secret_key(settings.instance_path),
        ANTRIAN=settings,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        WTF_CSRF_TIME_LIMIT=None,  # a counter desk stays open all day
        SESSION_COOKIE_SAMESITE="Lax",
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        RATELIMIT_ENABLED=settings.issue_rate_limit.lower() != "off",
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        DISPLAY_STREAMS=settings.display_streams,
        STAFF_STREAMS=settings.staff_streams,
    )
    app.config.update(flask_config)

    db = Database(settings.database_url)
    notifier = Notifier()
    stop = threading.Event()
    app.extensions.update({"antrian.db": db, "antrian.notifier": notifier, "antrian.stop": stop})

    background = None
    if settings.start_background:
        from antrian.background import Background

        background = Background(db, settings, notifier, app.extensions)
        app.extensions["antrian.background"] = background
        if db.is_postgres:
            # Every process's streams hear every process's events.
            dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            PostgresListener(dsn, lambda _payload: notifier.wake(), stop).start()
        elif db.sqlite_path:
            WalCheckpointer(db.read_engine.engine, stop).start()  # never the writer's
    attach_commit_hooks(
        db, notifier.wake, background.wake_printers if background else (lambda _printers: None)
    )
    if background is not None:
        background.start()  # the spooler and the hardware, in one process of the server
    if settings.start_background:
        from antrian.cases.purge import DailyPurge, purge_personal_data
        from antrian.clock import utcnow
        from antrian.feedback.complaints import purge_complaint_contacts

        purges = [purge_personal_data, purge_complaint_contacts]
        DailyPurge(db, settings.data_retention_days, stop, utcnow, purges).start()

    web.init_app(app)
    input_guard.init_app(app)  # before the blueprints: their routes take its `int`
    error_pages.init_app(app)
    auth.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    limiter.init_app(app)
    print_jobs.init_app(app)
    settings_store.init_app(app)

    app.register_blueprint(api)
    csrf.exempt(api)  # the API checks CSRF itself for cookie sessions; bearer tokens need none
    app.register_blueprint(kiosk)
    app.register_blueprint(phone)
    app.register_blueprint(feedback)
    app.register_blueprint(display)
    app.register_blueprint(phrase_api)
    app.register_blueprint(staff)
    app.register_blueprint(admin)
    app.register_blueprint(opening_admin)
    app.register_blueprint(checklist_admin)
    app.register_blueprint(reports)
    app.register_blueprint(fields)
    app.register_blueprint(register)
    app.register_blueprint(staff_feedback)
    app.register_blueprint(print_jobs_pages)
    app.register_blueprint(case_desk)
    app.register_blueprint(accounts_pages)
    app.register_blueprint(devices_admin)

    worker = str(os.getpid())

    @app.after_request
    def _served_by(response):
        # Which worker process answered: lets tests and admins see load spread over workers.
        response.headers["X-Served-By"] = worker
        return response

    app.jinja_env.globals["office_zone"] = lambda: clock.OFFICE_TZ
    app.jinja_env.globals["office_zone_label"] = clock.zone_label

    @app.template_filter("wib")
    def _wib(dt):
        return clock.local(dt).strftime("%H:%M") if dt else ""

    @app.get("/")
    def index():
        from flask import redirect, url_for

        return redirect(url_for("kiosk.home"))

    @app.get("/healthz")
    def healthz():
        from antrian.health import health_report

        report, serving = health_report(app, clock.utcnow())
        return jsonify(report), 200 if serving else 503

    if settings.trusted_proxies:
        # Behind nginx every request comes from 127.0.0.1: the kiosk's own address is in
        # X-Forwarded-For, and the rate limit must count per kiosk.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app
