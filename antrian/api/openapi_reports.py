"""The reports' part of the OpenAPI document."""

from __future__ import annotations

_TIMES = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "median": {"type": ["number", "null"], "description": "minutes"},
        "p90": {"type": ["number", "null"], "description": "minutes, 90th percentile"},
    },
}
_ROW = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "name": {"type": "string"},
        "issued": {"type": "integer"},
        "served": {"type": "integer"},
        "no_show": {"type": "integer"},
        "no_show_rate": {"type": ["number", "null"]},
        "transferred": {"type": "integer"},
        "priority": {"type": "integer"},
        "waiting": _TIMES,
        "service": _TIMES,
    },
}
_PERIOD_PARAMS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": d}
    for name, d in (
        ("from", "first service day, YYYY-MM-DD (with `to`)"),
        ("to", "last service day, YYYY-MM-DD"),
        ("day", "one day, YYYY-MM-DD"),
        ("week", "the Monday-Sunday week holding this day"),
        ("month", "YYYY-MM; without any parameter: this month"),
    )
]
_ERROR = {
    "description": "",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def report_paths() -> dict:
    def err(text: str) -> dict:
        return {**_ERROR, "description": text}

    register = {
        "get": {
            "summary": "Buku Register entries issued in a period, by KBLI (the ten most)",
            "parameters": _PERIOD_PARAMS,
            "responses": {
                "200": {
                    "description": "entries and by_kbli: [{kbli, title, entries}]",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": err("The period cannot be read"),
                "401": err("Not logged in"),
                "403": err("Not a supervisor or admin"),
            },
        }
    }

    def simple(summary: str, description: str) -> dict:
        return {
            "get": {
                **register["get"],
                "summary": summary,
                "responses": {
                    **register["get"]["responses"],
                    "200": {
                        "description": description,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
            }
        }

    return {
        "/reports/cases": simple(
            "IUMK cases of a period against the SOP's 15/15/120/15 minutes and 165 in all",
            "opened, finished, finished_within_165_minutes, share_within_165_minutes, steps "
            "[{step, title, standard_minutes, done, within, share_within, median_minutes, "
            "p90_minutes}], open_past_standard [{case_id, receipt_number, step, minutes, "
            "standard_minutes}]",
        ),
        "/reports/complaints": simple(
            "Complaints received in a period: answered, open, late, working days to answer",
            "received, answered, open, late, answer_working_days {median, p90}, by_category",
        ),
        "/reports/skm": simple(
            "The SKM survey of a period: NRR per element, IKM and its grade",
            "respondents, nrr [{element, nrr}], ikm, grade, performance",
        ),
        "/reports/register": register,
        "/reports/queue": {
            "get": {
                "summary": "Queue figures for a period: per service, officer, counter, hour",
                "description": "Computed from the tickets and calls on request. Roles "
                "supervisor or admin.",
                "parameters": _PERIOD_PARAMS,
                "responses": {
                    "200": {
                        "description": "The figures",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "from": {"type": "string", "format": "date"},
                                        "to": {"type": "string", "format": "date"},
                                        "office": _ROW,
                                        "services": {"type": "array", "items": _ROW},
                                        "officers": {"type": "array", "items": _ROW},
                                        "counters": {"type": "array", "items": _ROW},
                                        "busiest_hours": {
                                            "type": "array",
                                            "items": {"type": "object"},
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "400": err("The period cannot be read"),
                    "401": err("Not logged in"),
                    "403": err("Not a supervisor or admin"),
                },
            }
        },
    }
