#!/usr/bin/env bash
# Compares what two polywire builds make of every corpus page and fixture:
# `polywire extract` and `polywire inspect` (title, body, dateline, credits,
# language, script, fingerprint, regions, industries), read with no source
# and as a Chinese and a Japanese source (their time zones and selectors).
# A change meant to keep behaviour (a refactor) must leave no difference.
#
#   cargo build && cp target/debug/polywire target/polywire-old   # before
#   ... change ...
#   cargo build && scripts/diffcheck.sh target/polywire-old target/debug/polywire
#
# The corpus is POLYWIRE_CORPUS, else ../shared/corpus, else the vendored
# subset in tests/fixtures/corpus. Exit status 0 when the outputs are
# identical; otherwise the differing outputs are listed and kept in the
# work folder (printed) for a closer look.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 OLD_BIN NEW_BIN" >&2
  exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
cd "$(dirname "$0")/.."

corpus=${POLYWIRE_CORPUS:-}
if [ -z "$corpus" ]; then
  if [ -f ../shared/corpus/articles/index.jsonl ]; then
    corpus=../shared/corpus
  else
    corpus=tests/fixtures/corpus
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/diffcheck.XXXXXX")
list="$work/files"
{
  find "$corpus/articles" -name '*.html'
  find "$corpus/feeds" -type f ! -name '*.json' ! -name '*.jsonl'
  find tests/fixtures/articles tests/fixtures/feeds tests/fixtures/wire tests/fixtures/seed -type f
} | LC_ALL=C sort > "$list"
echo "$(wc -l < "$list") files from $corpus and tests/fixtures" >&2

# A fixed fetch time, so dates without a year read the same in both runs.
at=2026-06-01T12:00:00Z

# One output file per (binary, command, source), 40 inputs per call so a
# failing input is easy to find and calls stay few. Errors on stderr are
# part of the output: a hostile input must fail the same way.
run() {
  local bin=$1 tag=$2
  for source in "" chinanews nhk; do
    local args=()
    [ -n "$source" ] && args=(--source "$source")
    xargs -d '\n' -n 40 "$bin" extract "${args[@]}" \
      < "$list" > "$work/$tag.extract.${source:-none}" 2>&1 || true
    xargs -d '\n' -n 40 "$bin" inspect --fetched-at "$at" "${args[@]}" \
      < "$list" > "$work/$tag.inspect.${source:-none}" 2>&1 || true
  done
}
run "$old" old
run "$new" new

status=0
for out in "$work"/old.*; do
  name=${out#"$work"/old.}
  if ! cmp -s "$out" "$work/new.$name"; then
    echo "DIFFERENT: $name ($(diff "$out" "$work/new.$name" | grep -c '^[<>]') lines)"
    status=1
  fi
done
if [ $status -eq 0 ]; then
  echo "identical: extract and inspect, 3 ways, $(wc -l < "$list") files ($(cat "$work"/old.* | wc -c) bytes of output)"
  rm -rf "$work"
else
  echo "outputs kept in $work"
fi
exit $status
