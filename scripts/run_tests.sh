#!/usr/bin/env bash
# `make test`: the whole suite, with a real PostgreSQL and a real Chromium, nothing skipped.
# Installs what is missing first (as root; else prints the one command to run). Everything a
# run makes (the PostgreSQL cluster on a port of its own, pytest's folders, browser profiles)
# lives in one folder of its own, removed at the end: two runs never share anything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_test_deps.sh
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/antrian-test-run.XXXXXX")"
chmod 755 "$run_dir"  # the cluster runs as OS user postgres, which must reach its folder
export TMPDIR="$run_dir"
cleanup() {
    if [[ -n "${ANTRIAN_PG_DIR:-}" ]]; then bash scripts/test_postgres.sh stop >/dev/null 2>&1 || true; fi
    rm -rf -- "$run_dir"
}
trap cleanup EXIT
if [ -z "${ANTRIAN_TEST_DATABASE_URL:-}" ]; then
  if [ "$(id -u)" != 0 ] && ! id -un | grep -qx postgres; then
    echo "Not root: set ANTRIAN_TEST_DATABASE_URL to a PostgreSQL database the tests may wipe," >&2
    echo "or run make test as root (it starts a throwaway cluster)." >&2
    exit 2
  fi
  export ANTRIAN_PG_DIR="$run_dir/postgres"
  ANTRIAN_TEST_DATABASE_URL=$(bash scripts/test_postgres.sh start | tail -n1)
  export ANTRIAN_TEST_DATABASE_URL
fi
export ANTRIAN_REQUIRE_POSTGRES=1
export ANTRIAN_REQUIRE_BROWSER=1
export ANTRIAN_CHROMIUM="${ANTRIAN_CHROMIUM:-/usr/bin/chromium}"
set +e
.venv/bin/pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" = 5 ]; then echo "FAIL: pytest ran no test" >&2; exit 5; fi
exit "$status"
