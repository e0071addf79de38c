#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (marker `postgres`).
#
#   scripts/test_postgres.sh start   # fresh cluster + database antrian_test; URL on the last line
#   scripts/test_postgres.sh url     # the URL of the running cluster
#   scripts/test_postgres.sh stop    # stop it and delete its directory
#
# The cluster runs as OS user `postgres` (when started by root), listens on 127.0.0.1 only,
# trusts every local connection (test data only!), and trades durability for speed
# (fsync=off). Port: $PGPORT, else 54329, else the first free port up to 54399.
# Its directory is /tmp/antrian-test-pg-<port> (or $ANTRIAN_PG_DIR); `start` wipes whatever
# an earlier run or a crash left there, so a second `start` always gives a fresh cluster.
# Progress goes to stderr; only the URL goes to stdout:
#   postgresql+psycopg://postgres@127.0.0.1:<port>/antrian_test
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_NAME="${ANTRIAN_PG_DBNAME:-antrian_test}"
CURRENT_FILE="${TMPDIR:-/tmp}/antrian-test-pg.current"
DEFAULT_PORT=54329

log() { echo "test_postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Run a command as the cluster owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cluster_dir() { echo "${ANTRIAN_PG_DIR:-${TMPDIR:-/tmp}/antrian-test-pg-$1}"; }

port_in_use() { # true when something listens on 127.0.0.1:$1
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
finally:
    s.close()
sys.exit(1)
PY
}

# The port for stop/url: $PGPORT, else the one the last `start` chose, else the default.
known_port() {
    if [[ -n "${PGPORT:-}" ]]; then
        echo "$PGPORT"
    elif [[ -s "$CURRENT_FILE" ]]; then
        cat "$CURRENT_FILE"
    else
        echo "$DEFAULT_PORT"
    fi
}

url_for() { echo "postgresql+psycopg://postgres@127.0.0.1:$1/$DB_NAME"; }

# Stop whatever cluster lives in the directory for port $1 and delete the directory.
teardown() {
    local port="$1" dir
    dir="$(cluster_dir "$port")"
    if [[ -d "$dir/data" ]]; then
        if [[ -f "$dir/data/postmaster.pid" ]]; then
            log "stopping cluster in $dir"
            (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m fast -w -t 30 >&2) \
                || (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m immediate -w -t 30 >&2) \
                || log "pg_ctl stop failed (not running?)"
        fi
    fi
    if [[ -d "$dir" ]]; then
        rm -rf -- "$dir"
        log "removed $dir"
    fi
}

cmd_start() {
    [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] \
        || die "no PostgreSQL server in $PG_BIN (apt-get install -y postgresql-15)"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "OS user postgres is missing (apt-get install -y postgresql-15)"
    fi

    local port
    if [[ -n "${PGPORT:-}" ]]; then
        port="$PGPORT"
        teardown "$port"
        port_in_use "$port" && die "port $port on 127.0.0.1 is taken by another program"
    else
        # A leftover from an earlier run or crash of ours on the default port is wiped first.
        teardown "$DEFAULT_PORT"
        if [[ -s "$CURRENT_FILE" ]]; then teardown "$(cat "$CURRENT_FILE")"; fi
        port=""
        for p in $(seq "$DEFAULT_PORT" 54399); do
            if ! port_in_use "$p"; then port="$p"; break; fi
        done
        [[ -n "$port" ]] || die "no free port in $DEFAULT_PORT-54399 (set PGPORT)"
    fi

    local dir
    dir="$(cluster_dir "$port")"
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$dir"; fi

    log "initdb into $dir/data (port $port)"
    (cd "$dir" && as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1) \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF

# --- antrian throwaway test cluster (scripts/test_postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
CONF

    log "starting postgres"
    (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2) \
        || { tail -n 30 "$dir/server.log" >&2 || true; die "pg_ctl start failed"; }
    echo "$port" >"$CURRENT_FILE"

    local i
    for i in $(seq 1 120); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then break; fi
        [[ $i -eq 120 ]] && { tail -n 30 "$dir/server.log" >&2; die "not ready after 60 s"; }
        sleep 0.5
    done

    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME" \
        || die "createdb $DB_NAME failed"
    log "ready: database $DB_NAME on 127.0.0.1:$port (log: $dir/server.log)"
    url_for "$port"
}

cmd_stop() {
    local port
    port="$(known_port)"
    teardown "$port"
    if [[ -s "$CURRENT_FILE" && "$(cat "$CURRENT_FILE")" == "$port" ]]; then rm -f "$CURRENT_FILE"; fi
    log "stopped (port $port)"
}

cmd_url() {
    local port
    port="$(known_port)"
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres \
        || die "no cluster answers on 127.0.0.1:$port (run: $0 start)"
    url_for "$port"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
