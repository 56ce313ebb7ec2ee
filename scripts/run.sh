#!/usr/bin/env bash
# Builds and starts the Reprise desktop app (release build, UI embedded).
# Extra arguments go to the app, e.g. `scripts/run.sh --data-dir /tmp/reprise-demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
echo "==> Building the UI" >&2
(cd ui && npm run build --silent)
echo "==> Building the app" >&2
cargo build --release -p reprise-desktop --features custom-protocol
exec target/release/reprise-desktop "$@"
