#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (marker `postgres`), in a folder of its own.
#
#   export ANTRIAN_PG_DIR=$(mktemp -d)      # one folder per run: two runs never meet
#   scripts/test_postgres.sh start          # fresh cluster + database antrian_test; URL on the last line
#   scripts/test_postgres.sh url            # the URL of the cluster in $ANTRIAN_PG_DIR
#   scripts/test_postgres.sh stop           # stop it and delete $ANTRIAN_PG_DIR
#
# The cluster runs as OS user `postgres` (when started by root), listens on 127.0.0.1 only on a
# port the kernel picks (or $PGPORT), trusts every local connection (test data only!), and
# trades durability for speed (fsync=off). Everything it has, its port included, is in
# $ANTRIAN_PG_DIR; without it, `start` makes a folder under $TMPDIR and names it on stderr.
# Progress goes to stderr; only the URL goes to stdout:
#   postgresql+psycopg://postgres@127.0.0.1:<port>/antrian_test
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_NAME="${ANTRIAN_PG_DBNAME:-antrian_test}"

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

free_port() { # a port nothing listens on, the kernel's choice
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url_for() { echo "postgresql+psycopg://postgres@127.0.0.1:$1/$DB_NAME"; }

need_dir() { [[ -n "${ANTRIAN_PG_DIR:-}" ]] || die "set ANTRIAN_PG_DIR to the folder 'start' used"; }

cmd_start() {
    [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] \
        || die "no PostgreSQL server in $PG_BIN (apt-get install -y postgresql-15)"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "OS user postgres is missing (apt-get install -y postgresql-15)"
    fi
    local dir="${ANTRIAN_PG_DIR:-}"
    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/antrian-test-pg.XXXXXX")"
        log "cluster folder: $dir (stop with ANTRIAN_PG_DIR=$dir $0 stop)"
    fi
    [[ -d "$dir/data" ]] && die "$dir already holds a cluster (stop it first)"
    local port="${PGPORT:-$(free_port)}"
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
    echo "$port" >"$dir/port"

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
    need_dir
    local dir="$ANTRIAN_PG_DIR"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        log "stopping cluster in $dir"
        (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m fast -w -t 30 >&2) \
            || (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m immediate -w -t 30 >&2) \
            || log "pg_ctl stop failed (not running?)"
    fi
    rm -rf -- "$dir"
    log "stopped; removed $dir"
}

cmd_url() {
    need_dir
    local port
    port="$(cat "$ANTRIAN_PG_DIR/port" 2>/dev/null)" || die "no cluster in $ANTRIAN_PG_DIR"
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres \
        || die "no cluster answers on 127.0.0.1:$port"
    url_for "$port"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
