#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets under fuzz/corpus/<target>/.

Seeds are the project's own fixtures (tests/fixtures/) and the shared
development corpus (../shared/corpus, or $POLYWIRE_CORPUS). Every entry in
fuzz/src/lib.rs reads its first byte as a variant selector, so each seed is
written once per a few selector values. Only stdlib.
"""
import glob
import hashlib
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("POLYWIRE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
MAX_SEED = 128 * 1024


def files(*patterns):
    out = []
    for pattern in patterns:
        out.extend(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    return sorted(p for p in out if os.path.getsize(p) <= MAX_SEED)


def write(target, picks, data):
    folder = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for pick in picks:
        seed = bytes([pick]) + data
        name = hashlib.sha1(seed).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(seed)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    fx = os.path.join(ROOT, "tests", "fixtures")
    feeds = files(f"{fx}/feeds/**/*", f"{fx}/wire/*.xml", f"{fx}/wire/listing.html",
                  f"{fx}/fetch/pages/feed-*", f"{CORPUS}/feeds/**/*.xml", f"{CORPUS}/feeds/**/*.json")
    for path in feeds:
        write("feed_parse", [0, 1, 2, 3], read(path))
    pages = files(f"{fx}/articles/*.html", f"{fx}/wire/articles/*", f"{fx}/wire/news/*",
                  f"{fx}/fetch/pages/*.html")
    # The corpus has 170 pages; every third keeps the seed run short.
    pages += files(f"{CORPUS}/articles/**/*.html")[::3]
    for path in pages:
        write("html_extract", [0, 1, 2], read(path))
    texts = files(f"{fx}/normalize/*.txt", f"{fx}/seed/*.txt", f"{fx}/fetch/text/*.txt",
                  f"{fx}/classify/seed_*.txt")
    for path in texts:
        text = read(path)
        write("normalize", [0, 1, 2, 3, 4], text)
        # Datelines: the first lines of real stories, after their opening.
        for line in text.decode("utf-8", "replace").splitlines()[:6]:
            if line.strip():
                write("dateline", [0, 1, 2, 3, 4, 5, 6, 7, 8], line.encode()[:400])
    for path in files(f"{CORPUS}/articles/**/*.txt", f"{CORPUS}/articles/**/*.json")[::4]:
        text = read(path)[:16384]
        write("normalize", [0, 3], text)
    queries = set()
    for path in files(f"{ROOT}/tests/serve_*.rs", f"{ROOT}/tests/emit_*.rs"):
        for q in re.findall(r'\?([a-z_]+=[^" )]*)', read(path).decode("utf-8", "replace")):
            queries.add(q.replace("{}", "1764547200"))
    for q in sorted(queries):
        write("feed_params", [0, 1, 2, 3, 4, 5], q.encode())
    configs = [(0, p) for p in files(f"{ROOT}/config/polywire.toml", f"{fx}/serve/config/polywire.toml")]
    configs += [(1, p) for p in files(f"{ROOT}/config/sources/*.toml", f"{fx}/serve/config/sources/*.toml")]
    configs += [(2, p) for p in files(f"{ROOT}/feeds/*.toml")]
    configs += [(3, p) for p in files(f"{fx}/serve/config/taxonomy/regions.toml")]
    configs += [(4, p) for p in files(f"{fx}/serve/config/taxonomy/industries.toml")]
    for pick, path in configs:
        write("config_parse", [pick], read(path))
    for target in ["feed_parse", "html_extract", "normalize", "dateline", "feed_params", "config_parse"]:
        folder = os.path.join(ROOT, "fuzz", "corpus", target)
        print(f"{target}: {len(os.listdir(folder)) if os.path.isdir(folder) else 0} seeds")


if __name__ == "__main__":
    main()
