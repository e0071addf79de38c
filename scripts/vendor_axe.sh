#!/usr/bin/env bash
# Re-create antrian/static/vendor/axe.min.js (axe-core, used by the browser tests to check
# contrast and other WCAG AA rules on the kiosk) from the npm registry, and its checksum.
#
#   AXE_VERSION=4.14.1 scripts/vendor_axe.sh
set -euo pipefail

cd "$(dirname "$0")/.."
VENDOR=antrian/static/vendor
AXE_VERSION="${AXE_VERSION:-4.14.1}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
tar -xzf "$tmp/axe-core-$AXE_VERSION.tgz" -C "$tmp"
cp "$tmp/package/axe.min.js" "$VENDOR/axe.min.js"

cat > "$VENDOR/axe.VERSION" <<VERS
axe.min.js       axe-core@$AXE_VERSION        file axe.min.js
    from npm: $(npm view "axe-core@$AXE_VERSION" dist.tarball)
    integrity: $(npm view "axe-core@$AXE_VERSION" dist.integrity)

Mozilla Public License 2.0 (its header is kept in the file). Only the browser tests load it.
Re-create with: scripts/vendor_axe.sh; verify with: scripts/check_vendor.sh
VERS

(cd "$VENDOR" && sha256sum ./*.js | sed 's| \./| |' > SHA256SUMS)
cat "$VENDOR/SHA256SUMS"
