#!/usr/bin/env bash
# Installs what building the web app needs, only when missing: the wasm32 target, trunk 0.21.14,
# wasm-bindgen-cli 0.2.130 (the version Cargo.toml pins) and wasm-opt 132 (npm `binaryen`).
# trunk is then run with --offline so it never downloads a tool itself.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! have_version trunk "0.21.14"; then
  echo "setup: installing trunk 0.21.14 (about 10 minutes)"
  cargo install trunk --version 0.21.14 --locked
fi
if ! have_version wasm-bindgen "0.2.130"; then
  echo "setup: installing wasm-bindgen-cli 0.2.130 (about 11 minutes)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if ! have_version wasm-opt "version 132"; then
  echo "setup: installing wasm-opt 132 (npm binaryen@132) into .tools/"
  mkdir -p "$ROOT/.tools"
  (cd "$ROOT/.tools" && npm install --no-audit --no-fund --silent binaryen@132 >/dev/null)
fi
