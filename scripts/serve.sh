#!/usr/bin/env bash
# Builds the web app (release) and serves it on http://127.0.0.1:8080, rebuilding on changes
# (no live-reload script: it would be inline, which the page's Content-Security-Policy forbids).
# Installs what is missing first (scripts/setup.sh); trunk runs offline so it downloads nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$ROOT"
exec trunk serve --release --offline --skip-version-check --address 127.0.0.1 --port 8080 --no-autoreload "$@"
