#!/usr/bin/env bash
# Verify the vendored front-end files against antrian/static/vendor/SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/../antrian/static/vendor"
sha256sum -c --strict SHA256SUMS
