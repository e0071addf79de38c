"""Schemathesis against /api/v1/openapi.json (issue #14): every check, bounded and repeatable
(at most 50 examples an operation, derandomized), on SQLite and PostgreSQL. No 5xx, no status
or body the document does not describe.

Driven through schemathesis' Python API and Hypothesis directly: its pytest loader
(`schemathesis.pytest.from_fixture`) reads a private attribute that pytest 9 no longer has.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from antrian.api.openapi import openapi_document

# The repository's schemathesis.toml: which documented refusals of schema-valid requests are
# right (the case desk's 422 for rules no schema can state) and why. Read by path, not found
# from the working directory, so the test means the same wherever pytest starts.
CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"

BOUNDS = settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_the_api_gives_only_the_answers_it_documents(app, auth):
    config = schemathesis.Config.from_path(CONFIG)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    failures, tried = {}, 0
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        tried += 1

        @BOUNDS
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=auth)

        try:
            check()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - all operations tried
            failures[operation.label] = str(failure)[:2000]
    # Every operation of the document, none left out.
    assert tried == sum(len(ops) for ops in openapi_document()["paths"].values())
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
