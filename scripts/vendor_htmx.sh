#!/usr/bin/env bash
# Re-create antrian/static/vendor/ from the npm registry (no CDN is ever used at run time).
#
#   scripts/vendor_htmx.sh            # the pinned versions below
#   scripts/vendor_htmx.sh --latest   # newest htmx.org 2.0.* and htmx-ext-sse 2.2.*
#   HTMX_VERSION=2.0.11 SSE_VERSION=2.2.4 scripts/vendor_htmx.sh
#
# Writes htmx.min.js, htmx-ext-sse.js, VERSIONS and SHA256SUMS. Needs npm; leaves no
# node_modules behind (npm pack only downloads the tarballs, into a temp dir).
set -euo pipefail

cd "$(dirname "$0")/.."
VENDOR=antrian/static/vendor

HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
SSE_VERSION="${SSE_VERSION:-2.2.4}"

if [[ "${1:-}" == "--latest" ]]; then
    # `npm view pkg@range version` prints one line per match; the last one is the newest.
    HTMX_VERSION="$(npm view 'htmx.org@2.0.*' version --json | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-1] if isinstance(v, list) else v)')"
    SSE_VERSION="$(npm view 'htmx-ext-sse@2.2.*' version --json | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-1] if isinstance(v, list) else v)')"
fi

case "$HTMX_VERSION" in 2.0.*) ;; *) echo "htmx must stay on 2.0.x (got $HTMX_VERSION)" >&2; exit 1 ;; esac
case "$SSE_VERSION" in 2.2.*) ;; *) echo "htmx-ext-sse must stay on 2.2.x (got $SSE_VERSION)" >&2; exit 1 ;; esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # pkg version -> extracted dir
    local pkg="$1" ver="$2" dir="$tmp/$1"
    mkdir -p "$dir"
    (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null)
    tar -xzf "$tmp/$pkg-$ver.tgz" -C "$dir"
    echo "$dir/package"
}

htmx_dir="$(fetch htmx.org "$HTMX_VERSION")"
sse_dir="$(fetch htmx-ext-sse "$SSE_VERSION")"

integrity() { npm view "$1@$2" dist.integrity; }
tarball() { npm view "$1@$2" dist.tarball; }

mkdir -p "$VENDOR"
cp "$htmx_dir/dist/htmx.min.js" "$VENDOR/htmx.min.js"
cp "$sse_dir/dist/sse.js" "$VENDOR/htmx-ext-sse.js"

cat > "$VENDOR/VERSIONS" <<VERS
htmx.min.js      htmx.org@$HTMX_VERSION       file dist/htmx.min.js
    from npm: $(tarball htmx.org "$HTMX_VERSION")
    integrity: $(integrity htmx.org "$HTMX_VERSION")
htmx-ext-sse.js  htmx-ext-sse@$SSE_VERSION    file dist/sse.js (same as sse.js)
    from npm: $(tarball htmx-ext-sse "$SSE_VERSION")
    integrity: $(integrity htmx-ext-sse "$SSE_VERSION")

Both are BSD Zero Clause (0BSD) licensed. Re-create with: scripts/vendor_htmx.sh
(set HTMX_VERSION / SSE_VERSION, or pass --latest); verify with: scripts/check_vendor.sh
Served from /static/vendor/ only: no CDN, the office LAN may be offline.
VERS

# Every vendored file (axe.min.js too: scripts/vendor_axe.sh).
(cd "$VENDOR" && sha256sum ./*.js | sed 's| \./| |' > SHA256SUMS)
echo "vendored htmx.org@$HTMX_VERSION and htmx-ext-sse@$SSE_VERSION into $VENDOR"
cat "$VENDOR/SHA256SUMS"
