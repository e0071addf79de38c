#!/usr/bin/env bash
# `make test`: the whole suite, with a real PostgreSQL and a real Chromium, nothing skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
started_pg=""
if [ -z "${ANTRIAN_TEST_DATABASE_URL:-}" ]; then
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && [ -x /usr/lib/postgresql/15/bin/postgres ]; then
    ANTRIAN_TEST_DATABASE_URL=$(bash scripts/test_postgres.sh start | tail -n1)
    export ANTRIAN_TEST_DATABASE_URL
    started_pg=1
    trap 'bash scripts/test_postgres.sh stop >/dev/null 2>&1 || true' EXIT
  else
    echo "PostgreSQL 15 not found (apt-get install postgresql-15) or not root:" >&2
    echo "set ANTRIAN_TEST_DATABASE_URL to a database the tests may wipe." >&2
    exit 2
  fi
fi
export ANTRIAN_REQUIRE_POSTGRES=1
export ANTRIAN_REQUIRE_BROWSER=1
export ANTRIAN_CHROMIUM="${ANTRIAN_CHROMIUM:-/usr/bin/chromium}"
set +e
.venv/bin/pytest -q -p no:cacheprovider "$@"
status=$?
set -e
[ -n "$started_pg" ] && echo "(throwaway PostgreSQL stopped)"
if [ "$status" = 5 ]; then echo "FAIL: pytest ran no test" >&2; exit 5; fi
exit "$status"
