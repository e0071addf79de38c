"""GET /api/v1/register: the Buku Register for other programs, the page's search and pages."""

from __future__ import annotations

from flask import jsonify, request

from antrian.api.routes import api, error
from antrian.auth import api_role_required
from antrian.cases.register_search import RegisterFilter, entry_json, register_page
from antrian.roles import READERS
from antrian.web import db_session

MAX_PER_PAGE = 200


@api.get("/register")
@api_role_required(*READERS)
def register_list():
    found = RegisterFilter.from_args(request.args)
    if found.errors:
        return error("bad_filter", " ".join(found.errors), 400)
    # Past the last page is an empty page; before the first, or past any id, is the first.
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 2**31 - 1)
    per_page = min(max(request.args.get("per_page", 50, type=int) or 50, 1), MAX_PER_PAGE)
    result = register_page(db_session(), found, page, per_page)
    return jsonify(
        entries=[entry_json(e) for e in result.entries],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=result.per_page,
    )
