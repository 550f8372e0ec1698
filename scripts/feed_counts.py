#!/usr/bin/env python3
"""Compares the item count polywire reads from each corpus feed with
feedparser's, and lists the feeds where they disagree.

    python3 -m venv /tmp/venv-extract && /tmp/venv-extract/bin/pip install feedparser
    cargo build --bin polywire
    /tmp/venv-extract/bin/python scripts/feed_counts.py [--all] [POLYWIRE_BINARY]

Only feeds that parse as XML 1.0 and where feedparser finds items are
compared by default (`--all` adds the ill-formed ones, where feedparser's
recovery and ours legitimately differ). polywire's count is the number of
items `polywire extract FILE` prints; a file it rejects counts 0. Exit
status 1 when any compared feed disagrees.
"""
import json
import os
import subprocess
import sys


def corpus_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("POLYWIRE_CORPUS", os.path.join(here, "..", "..", "shared", "corpus"))


def polywire_count(binary, path):
    out = subprocess.run([binary, "extract", path], capture_output=True, text=True)
    count = 0
    for line in out.stdout.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if "error" not in obj and "sitemap" not in obj:
            count += 1
    return count


def main():
    import feedparser

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    include_illformed = "--all" in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    binary = args[0] if args else os.path.join(here, "..", "target", "debug", "polywire")
    corpus = corpus_dir()
    compared = disagree = 0
    with open(os.path.join(corpus, "feeds", "manifest.jsonl"), encoding="utf-8") as manifest:
        for line in manifest:
            row = json.loads(line)
            if not row.get("wellformed") and not include_illformed:
                continue
            path = os.path.join(corpus, row["path"])
            with open(path, "rb") as f:
                theirs = len(feedparser.parse(f.read()).entries)
            if theirs == 0:
                continue
            compared += 1
            ours = polywire_count(binary, path)
            if ours != theirs:
                disagree += 1
                print(f"{row['path']}\tpolywire {ours}\tfeedparser {theirs}")
    print(f"{disagree} of {compared} feeds with items disagree with feedparser on the count")
    sys.exit(1 if disagree else 0)


if __name__ == "__main__":
    main()
