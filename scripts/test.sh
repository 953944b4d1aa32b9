#!/usr/bin/env bash
# Runs every test on a fresh machine of this kind: formatting and lints, the native tests (core,
# CLI golden corpus, web logic), a release build of the web app, and the browser tests in
# Debian's Chromium. Installs what is missing first.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "test: installing Debian's chromium and chromium-driver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p gateway-planner --bin gateway-planner-web -- -D warnings
echo "== native tests"
cargo test --workspace
echo "== release build of the CLI and the web app"
cargo build --release --bin gateway-planner
trunk build --release --offline --skip-version-check
# The same app built for a docs site's path (absolute asset URLs under it), for the browser tests.
trunk build --release --offline --skip-version-check --public-url /docs/gateway-planner/ --dist target/dist-public-url
echo "== browser tests (Chromium)"
if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
node --test tests/browser/
