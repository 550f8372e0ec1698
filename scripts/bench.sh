#!/usr/bin/env bash
# The whole benchmark suite with peers, as docs/BENCHMARKS.md reports it.
#   scripts/bench.sh            # everything (about 20 minutes on 2 cores)
#   STORIES=100000 scripts/bench.sh
# Installs the Python peers in a throwaway virtualenv; nothing is installed
# system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TMPDIR:-/tmp}/polywire-bench-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q trafilatura lxml_html_clean feedparser feedgen opencc
fi
peers="${TMPDIR:-/tmp}/polywire-peers.json"
"$venv/bin/python" scripts/peers.py > "$peers"
echo "peer timings: $(cat "$peers")" >&2

cargo build --release --locked --bin polywire
POLYWIRE_PEERS="$peers" cargo bench --locked --bench e2e
POLYWIRE_BENCH_STORIES="${STORIES:-1000000}" POLYWIRE_BENCH_DB="${TMPDIR:-/tmp}/polywire-scale.db" \
  cargo bench --locked --bench scale
