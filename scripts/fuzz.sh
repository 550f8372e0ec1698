#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time, one after the other.
#   scripts/fuzz.sh                     # all six targets, 300 s each
#   SECONDS_EACH=600 scripts/fuzz.sh feed_parse
#   SANITIZER=none scripts/fuzz.sh      # where the ASan runtime is missing
#   MAX_LEN=32768 scripts/fuzz.sh html_extract   # shorter inputs, more runs
#   FUZZ_FLAGS=-len_control=0 scripts/fuzz.sh dateline   # extra libFuzzer flags
# Seeds come from tests/fixtures/ and the shared corpus (scripts/fuzz_seeds.py).
# A crash, a slow input (over TIMEOUT seconds) or an OOM is saved under
# fuzz/artifacts/<target>/: fix it, then copy the input into
# tests/fixtures/fuzz/<target>/ so `cargo test --test fuzz_regressions`
# replays it through the same entry point (fuzz/src/lib.rs).
# cargo-fuzz passes -Z flags; on the stable toolchain RUSTC_BOOTSTRAP=1
# lets it. AddressSanitizer works here: the stable sysroot ships its runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
python3 scripts/fuzz_seeds.py
cd fuzz
export RUSTC_BOOTSTRAP=1
sanitizer="${SANITIZER:-address}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(feed_parse html_extract normalize dateline feed_params config_parse)
max_len() {
  [ -z "${MAX_LEN:-}" ] || { echo "$MAX_LEN"; return; }
  case "$1" in
    feed_parse | html_extract) echo 131072 ;;
    normalize | config_parse) echo 16384 ;;
    *) echo 4096 ;;
  esac
}
failed=()
for target in "${targets[@]}"; do
  echo "== $target (${SECONDS_EACH:-300} s, sanitizer $sanitizer) $(date -u +%FT%TZ)"
  # One finding stops this target's run; the other targets still run.
  nice -n 10 cargo fuzz run --sanitizer "$sanitizer" "$target" -- \
    -max_total_time="${SECONDS_EACH:-300}" -timeout="${TIMEOUT:-5}" \
    -rss_limit_mb=2048 -max_len="$(max_len "$target")" -print_final_stats=1 ${FUZZ_FLAGS:-} ||
    failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "findings in: ${failed[*]} (inputs under fuzz/artifacts/)"
  exit 1
fi
