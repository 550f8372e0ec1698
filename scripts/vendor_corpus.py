#!/usr/bin/env python3
"""Copies the subset of the development corpus that the tests run on a clone.

    python3 scripts/vendor_corpus.py ../shared/corpus tests/fixtures/corpus

The full corpus (about 30 MB) lives outside the repository; the tests use it
when it is present (`POLYWIRE_CORPUS`, else `../shared/corpus`) and otherwise
this subset, so `cargo test` passes on a fresh clone. The subset keeps:

- every feed document with the manifest (feeds are small, and the feed tests
  read the manifest's expectations one by one);
- every article page a test names (tests/extract_articles_corpus.rs);
- for each language, each origin and ground-truth kind, each declared charset,
  the smallest page that covers it, so every format, breakage kind and
  language stays represented;
- the origins' license files, unchanged.

The selection is deterministic: rerunning the script on the same corpus gives
the same files.
"""
import json
import re
import shutil
import sys
from pathlib import Path

# Pages named by tests/extract_articles_corpus.rs.
NAMED_TEST = Path(__file__).resolve().parent.parent / "tests" / "extract_articles_corpus.rs"


def named_pages():
    text = NAMED_TEST.read_text(encoding="utf-8")
    return set(re.findall(r'"((?:cwce|np|rd|sh|tw|tf|gne)-[A-Za-z0-9_.-]+)"', text))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    if not (src / "articles" / "index.jsonl").is_file():
        sys.exit(f"{src} is not the corpus (no articles/index.jsonl)")
    if dst.exists():
        shutil.rmtree(dst)
    rows = [json.loads(l) for l in (src / "articles/index.jsonl").open(encoding="utf-8") if l.strip()]
    for row in rows:
        truth = json.loads((src / row["json"]).read_text(encoding="utf-8"))
        row["charset"] = (truth.get("declared_charset") or "none").lower()

    keep = named_pages()
    by_size = sorted(rows, key=lambda r: (r["bytes"], r["id"]))
    for key in (
        lambda r: r["lang"],
        lambda r: (r["src"], r["gt_kind"]),
        lambda r: r["charset"],
    ):
        covered = {key(r) for r in rows if r["id"] in keep}
        for row in by_size:
            if key(row) not in covered:
                covered.add(key(row))
                keep.add(row["id"])

    kept = [r for r in rows if r["id"] in keep]
    missing = keep - {r["id"] for r in kept}
    if missing:
        sys.exit(f"named pages not in the corpus: {sorted(missing)}")
    for row in kept:
        for rel in (row["html"], row["json"]):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / rel, dst / rel)
    with (dst / "articles/index.jsonl").open("w", encoding="utf-8") as out:
        for row in kept:
            row = {k: v for k, v in row.items() if k != "charset"}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    shutil.copytree(src / "feeds", dst / "feeds")
    shutil.copytree(src / "LICENSES", dst / "LICENSES")
    for name in ("README.md", "summary.json"):
        shutil.copyfile(src / name, dst / name)
    size = sum(p.stat().st_size for p in dst.rglob("*") if p.is_file())
    print(f"{len(kept)} of {len(rows)} pages, all feeds, {size / 1e6:.1f} MB in {dst}")


if __name__ == "__main__":
    main()
