"""Every route of the app, from Flask's URL map, as an anonymous visitor, as each role and with
a bogus API token: who gets in. A route without an entry in ACCESS fails the test, so a new
route cannot be forgotten."""

from __future__ import annotations

import re

import pytest

from antrian.roles import ALL_ROLES, CASE_WORKERS, COMPLAINT_WORKERS, READERS
from antrian.seed import add_staff

PUBLIC = "public"  # kiosks, the lobby display, phones, the login page
ANY_ROLE = ALL_ROLES  # any account, whatever it holds
FRONT = ("front_office",)
ADMIN = ("admin",)
CASE_WORK = CASE_WORKERS  # the case form and its field checks
SUPERVISOR = ("supervisor",)  # reports: the heads of office (and admin)

# endpoint -> PUBLIC or the roles that get in (admin gets in everywhere).
ACCESS: dict[str, str | tuple[str, ...]] = {
    "index": PUBLIC,
    "healthz": PUBLIC,
    "static": PUBLIC,
    "kiosk.home": PUBLIC,
    "kiosk.choose": PUBLIC,
    "kiosk.take_ticket": PUBLIC,
    "kiosk.ticket": PUBLIC,
    "phone.status": PUBLIC,
    "display.board": PUBLIC,
    "display.events": PUBLIC,
    "display.speech": PUBLIC,
    "display.state_json": PUBLIC,
    "display.static": PUBLIC,
    "phrase_api.phrase": PUBLIC,
    "api.index": PUBLIC,
    "api.openapi": PUBLIC,
    "api.get_queue": PUBLIC,
    "api.create_ticket": PUBLIC,
    "api.get_ticket": PUBLIC,
    "api.counter_call_next": FRONT,
    "api.counter_call_ticket": FRONT,
    "api.counter_waiting": FRONT,
    "api.counter_pause": FRONT,
    "api.counter_resume": FRONT,
    "api.ticket_recall": FRONT,
    "api.ticket_skip": FRONT,
    "api.ticket_start_service": FRONT,
    "api.ticket_finish": FRONT,
    "api.ticket_reactivate": FRONT,
    "api.ticket_transfer": FRONT,
    "api.validate_field": CASE_WORK,
    "api.register_list": READERS,
    "api.report_queue": SUPERVISOR,
    "fields.check_field": CASE_WORK,
    "fields.kbli_chooser": CASE_WORK,
    "fields.kbli_admin": ADMIN,
    "fields.kbli_save": ADMIN,
    "fields.kbli_toggle": ADMIN,
    "register.home": READERS,
    "register.export_csv": READERS,
    "register.export_xlsx": READERS,
    "register.printable": READERS,
    "register.save_format": ADMIN,
    "reports.page": SUPERVISOR,
    "reports.today": SUPERVISOR,
    "reports.download": SUPERVISOR,
    "api.report_register": SUPERVISOR,
    "api.list_cases": READERS,
    "api.create_case": CASE_WORK,
    "api.get_case": READERS,
    "api.update_case": CASE_WORK,
    "api.start_step": CASE_WORK,
    "api.finish_step": CASE_WORK,
    "api.correct_step": CASE_WORK,
    "api.assign_case": CASE_WORK,
    "api.reveal_case": CASE_WORK,
    "cases.team_list": READERS,
    "cases.open_case": CASE_WORK,
    "cases.show": READERS,
    "cases.save_applicant": CASE_WORK,
    "cases.check_field": CASE_WORK,
    "cases.step_action": CASE_WORK,
    "cases.hand_over": CASE_WORK,
    "cases.reveal": CASE_WORK,
    "api.get_printers": FRONT,
    "api.reprint_print_job": FRONT,
    "print_jobs.home": FRONT,
    "print_jobs.reprint": FRONT,
    "api.report_complaints": SUPERVISOR,
    "api.report_skm": SUPERVISOR,
    "api.report_cases": SUPERVISOR,
    "api.create_complaint": PUBLIC,
    "api.get_complaint": PUBLIC,
    "api.create_survey": PUBLIC,
    "api.list_complaints": READERS,
    "api.survey_ikm": READERS,
    "api.complaint_take": COMPLAINT_WORKERS,
    "api.complaint_answer": COMPLAINT_WORKERS,
    "api.complaint_close": COMPLAINT_WORKERS,
    "feedback.kiosk_complaint_form": PUBLIC,
    "feedback.kiosk_complaint_submit": PUBLIC,
    "feedback.kiosk_complaint_receipt": PUBLIC,
    "feedback.kiosk_survey_start": PUBLIC,
    "feedback.kiosk_survey": PUBLIC,
    "feedback.phone_complaint_form": PUBLIC,
    "feedback.phone_complaint_submit": PUBLIC,
    "feedback.complaint_status": PUBLIC,
    "feedback.phone_survey": PUBLIC,
    "staff_feedback.complaints": READERS,
    "staff_feedback.complaint": READERS,
    "staff_feedback.complaint_action": COMPLAINT_WORKERS,
    "staff_feedback.skm": READERS,
    "staff_feedback.skm_csv": READERS,
    "staff.login": PUBLIC,
    "staff.logout": PUBLIC,
    "staff.home": ANY_ROLE,
    "staff.events": FRONT,
    "staff.desk": FRONT,
    "staff.call_next": FRONT,
    "staff.call_out_of_order": FRONT,
    "staff.pause": FRONT,
    "staff.resume": FRONT,
    "staff.ticket_action": FRONT,
    "admin.home": ADMIN,
    "kiosk.static": PUBLIC,
    "kiosk.logo": PUBLIC,
    "phone.status_events": PUBLIC,
    "opening_admin.page": ADMIN,
    "opening_admin.save_hours": ADMIN,
    "opening_admin.save_quota": ADMIN,
    "opening_admin.close_day": ADMIN,
    "opening_admin.reopen_day": ADMIN,
    "checklist_admin.page": ADMIN,
    "checklist_admin.save": ADMIN,
    "checklist_admin.remove": ADMIN,
    "accounts.index": ADMIN,
    "accounts.create": ADMIN,
    "accounts.save_roles": ADMIN,
    "accounts.save_active": ADMIN,
    "accounts.reset_password": ADMIN,
    "accounts.own_password": ANY_ROLE,
    "admin.save_office": ADMIN,
    "admin.upload_logo": ADMIN,
    "admin.logo": ADMIN,
    "admin.remove_logo": ADMIN,
    "admin.reprint_job": ADMIN,
    "admin.test_page": ADMIN,
    "kiosk.use_device": PUBLIC,
    "devices_admin.page": ADMIN,
    "devices_admin.register_kiosk": ADMIN,
    "devices_admin.save_kiosk": ADMIN,
    "devices_admin.save_active": ADMIN,
    "devices_admin.use_here": ADMIN,
    "devices_admin.save_counter": ADMIN,
}

# Values for the URL's variables, by name (a real ticket's id and token are filled in).
SAMPLE_ARGS = {
    "number": 1,
    "action": "recall",
    "code": "A",
    "key": "0" * 16,
    "filename": "display/board.css",
    "job_id": 999,
    "name": "tidak-ada",
    "staff_id": 999,
    "kind": "nik",
    "fmt": "csv",
    "complaint_id": 999,
    "case_id": 999,
    "step": 1,
    "field": "nik",
    "day": "2026-12-01",
    "item_id": 999,
    "device_id": 999,
}
IDENTITIES = ("anonymous", "bogus_token", *ALL_ROLES)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def routes(app):
    # Logging out last: the identity must hold for every other route.
    order = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "staff.logout", r.rule))
    for rule in order:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def as_identity(app, identity: str, now):
    """A client signed in as `identity` (or not), with the CSRF token it would send."""
    client = app.test_client()
    headers = {}
    if identity in ALL_ROLES:
        with app.extensions["antrian.db"].write() as s:
            add_staff(s, f"u_{identity}", identity, "sandi-rahasia-1", identity, now)
    csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
    if identity in ALL_ROLES:
        form = {"username": f"u_{identity}", "password": "sandi-rahasia-1", "csrf_token": csrf}
        assert client.post("/staff/login", data=form).status_code == 303
    if identity == "bogus_token":
        headers["Authorization"] = "Bearer antr_bukan-token-yang-sah"
    headers["X-CSRFToken"] = csrf
    return client, headers, csrf


def outcome(response, path: str) -> str:
    if response.status_code == 401 and path.startswith("/api/"):
        return "denied"
    if response.status_code == 302 and "/staff/login?next=" in response.headers["Location"]:
        return "denied"
    if response.status_code == 403:
        return "denied"
    return "in"


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule, _ in routes(app)}
    assert endpoints - set(ACCESS) == set(), "new route: add it to ACCESS"
    assert set(ACCESS) - endpoints == set(), "ACCESS names a route that is gone"


@pytest.mark.parametrize("identity", IDENTITIES)
def test_who_gets_in_where(app, client, identity, now):
    issued = client.post("/api/v1/tickets", json={"service": "A"}).get_json()
    args = {**SAMPLE_ARGS, "ticket_id": issued["id"], "token": issued["token"]}
    visitor, headers, csrf = as_identity(app, identity, now)
    wrong = []
    for rule, method in routes(app):
        path = rule.build({k: v for k, v in args.items() if k in rule.arguments})[1]
        if rule.endpoint == "phrase_api.phrase":
            path += "?code=A-001&counter=1"
        response = visitor.open(
            path,
            method=method,
            headers=headers,
            data={"csrf_token": csrf, "service": "B"} if method == "POST" else None,
            buffered=False,  # the event streams answer their status, then stream forever
        )
        status = response.status_code
        response.close()
        allowed = ACCESS[rule.endpoint]
        expected = (
            "in" if allowed == PUBLIC or identity == "admin" or identity in allowed else "denied"
        )
        got = outcome(response, path)
        if got != expected or status >= 500:
            wrong.append(f"{method} {path}: {status}, expected {expected}")
    assert wrong == []
