#!/usr/bin/env bash
# What the test suite needs from Debian: Chromium (browser tests), PostgreSQL 15, espeak-ng
# and sox (speech), nginx (nginx -t on deploy/), make. As root the missing ones are installed;
# as another user the one command to run is printed and the script fails.
set -euo pipefail
PG_BIN=/usr/lib/postgresql/15/bin
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v make >/dev/null 2>&1 || need+=(make)
[[ -x /usr/sbin/nginx ]] || need+=(nginx)
[[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] || need+=(postgresql-15)
((${#need[@]})) || exit 0
if [[ $EUID -ne 0 ]]; then
    echo "The tests need ${need[*]}. Run once, as root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 2
fi
echo "installing: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for a dpkg lock held by another apt rather than failing at once.
apt-get -o DPkg::Lock::Timeout=900 update -q >&2
apt-get -o DPkg::Lock::Timeout=900 install -y -q "${need[@]}" >&2
