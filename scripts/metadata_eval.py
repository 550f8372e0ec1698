#!/usr/bin/env python3
"""Title and author accuracy of `polywire extract` over the corpus pages.

Usage: scripts/metadata_eval.py [POLYWIRE_BINARY] [CORPUS_ARTICLES_DIR]

Pages are split in two halves by a hash of their id: `tune` may be looked at
while changing the metadata rules, `test` is only measured. Titles are scored
only where the ground truth was made by people (gt_kind `none` copies the raw
`<title>`, site name included, so it is skipped). A title is right when it
equals the ground truth after NFKC, lower case and collapsed whitespace; an
author is right when the ground truth (without a leading `by`) equals the
extracted authors joined, or one of them.
"""
import hashlib
import json
import pathlib
import re
import subprocess
import sys
import unicodedata

binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/polywire"
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "/work/shared/corpus/articles")


def norm(text):
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join(text.split())


def norm_author(text):
    text = norm(text)
    text = re.sub(r"^by\s+", "", text)
    return text.strip(" ,;")


def half(page_id):
    return "test" if hashlib.sha1(page_id.encode()).digest()[0] % 2 else "tune"


scores = {h: {"title": [0, 0], "author": [0, 0]} for h in ("tune", "test")}
misses = []
for truth_path in sorted(root.glob("*/*.json")):
    truth = json.loads(truth_path.read_text())
    want_title = truth.get("title") if truth.get("gt_kind") != "none" else None
    want_author = truth.get("author")
    if not want_title and not want_author:
        continue
    html = truth_path.with_suffix(".html")
    out = subprocess.run([binary, "extract", str(html)], capture_output=True, text=True)
    try:
        got = json.loads(out.stdout.splitlines()[0])
    except (IndexError, json.JSONDecodeError):
        got = {}
    h = half(truth["id"])
    if want_title:
        ok = norm(got.get("title")) == norm(want_title)
        scores[h]["title"][0] += ok
        scores[h]["title"][1] += 1
        if not ok:
            misses.append((h, "title", truth["id"], want_title, got.get("title")))
    if want_author:
        authors = [norm_author(a) for a in got.get("authors") or []]
        want = norm_author(want_author)
        ok = want in authors or want == norm_author(", ".join(authors))
        scores[h]["author"][0] += ok
        scores[h]["author"][1] += 1
        if not ok:
            misses.append((h, "author", truth["id"], want_author, got.get("authors")))

if "-v" in sys.argv[3:]:
    for miss in misses:
        print(*miss, sep="\t")
for h, s in scores.items():
    print(f"{h}: title {s['title'][0]}/{s['title'][1]}  author {s['author'][0]}/{s['author'][1]}")
