#!/usr/bin/env bash
# Fuzz campaigns: `bash scripts/fuzz.sh [SECONDS] [TARGET...]` (default 1800 s each for values,
# plan and share). Needs the nightly toolchain and cargo-fuzz (installed here when missing).
# Crashes land in fuzz/artifacts/<target>/; after fixing one, copy it into
# crates/core/tests/fuzz-regressions/<target>/ so `cargo test` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1800}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(values plan share)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  # Seeds: the fixtures and the golden inputs (plan and share read two choice bytes first).
  for f in crates/core/tests/fixtures/*.yaml tests/golden/*/values.yaml; do
    seed="fuzz/corpus/$target/seed-$(echo "$f" | tr '/' '-')"
    if [ "$target" = values ]; then cp "$f" "$seed"; else { printf '\x00\x00'; cat "$f"; } > "$seed"; fi
  done
  cp crates/core/tests/fuzz-regressions/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
  echo "== $target: ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$target" -- \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -dict=yaml.dict -max_len=16384 -timeout=10 -rss_limit_mb=4096) \
    2>&1 | tee "fuzz/$target.log" | grep -E '^#[0-9]+: cov|CRASH|crash-|Test unit written' | tail -n 5
  echo "== $target done: $(ls "fuzz/artifacts/$target" 2>/dev/null | wc -l) artifacts"
done
