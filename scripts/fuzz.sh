#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 60 s each).
#   scripts/fuzz.sh            # all targets, 60 s each
#   SECONDS_EACH=600 scripts/fuzz.sh feed_parse
# A crash is saved under fuzz/artifacts/<target>/; copy it into
# tests/fixtures/fuzz/<target>/ so the regression test replays it.
# cargo-fuzz wants a nightly compiler; on the stable toolchain here
# RUSTC_BOOTSTRAP=1 lets it pass its -Z flags (no sanitizer).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
for target in "${targets[@]}"; do
  echo "== $target (${SECONDS_EACH:-60} s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" -- \
    -max_total_time="${SECONDS_EACH:-60}" -max_len=65536 -rss_limit_mb=2048
done
