#!/usr/bin/env python3
"""Peer timings for the end-to-end bench: the same inputs polywire's bench
uses, through trafilatura (extraction), feedparser (feed parsing), feedgen
(feed rendering) and OpenCC's Python package (script conversion).

Run by scripts/bench.sh inside a throwaway virtualenv; prints one JSON object.
Single process, timing only the library call, as the corpus README measures,
on the thread's CPU clock (time.thread_time): the bench machine is shared,
and polywire's side of each comparison is timed the same way (trafilatura's
wall time is reported too). `--extract-only` times trafilatura alone (benches/extract_quality.rs runs it
that way when POLYWIRE_PEER_PYTHON names the virtualenv's python).
`--extract-texts` prints, for every page with ground truth, the text
trafilatura and readability-lxml extract from the raw page bytes, so the
quality bench scores the peers with its own metric on the same pages.
"""
import json
import os
import sys
import time
from datetime import datetime, timezone


def corpus_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("POLYWIRE_CORPUS", os.path.join(here, "..", "..", "shared", "corpus"))


def article_pages(corpus):
    pages = []
    with open(os.path.join(corpus, "articles", "index.jsonl"), encoding="utf-8") as index:
        for line in index:
            row = json.loads(line)
            if row.get("gt_kind") in ("full", "snippets"):
                with open(os.path.join(corpus, row["html"]), "rb") as f:
                    pages.append(f.read())
    return pages


def feed_documents(corpus):
    docs = []
    with open(os.path.join(corpus, "feeds", "manifest.jsonl"), encoding="utf-8") as manifest:
        for line in manifest:
            row = json.loads(line)
            with open(os.path.join(corpus, row["path"]), "rb") as f:
                docs.append(f.read())
    return docs


def bench_trafilatura(pages):
    """Wall and CPU (this thread) seconds per page, one pass over all pages."""
    import trafilatura

    start = time.perf_counter()
    cpu = time.thread_time()
    for page in pages:
        trafilatura.extract(page)
    return (
        (time.perf_counter() - start) / len(pages),
        (time.thread_time() - cpu) / len(pages),
    )


def readability_text(page):
    """readability-lxml's article as plain text, one line per block.

    `summary()` returns HTML; a newline after each block element keeps the
    words of adjacent paragraphs apart, as a reader sees them."""
    import lxml.html
    from readability import Document

    html = Document(page).summary(html_partial=True)
    if not html.strip():
        return ""
    tree = lxml.html.fromstring(html)
    blocks = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6",
              "blockquote", "pre", "tr", "td", "th", "dd", "dt", "figcaption",
              "section", "article", "table", "ul", "ol"}
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in blocks:
            el.tail = "\n" + (el.tail or "")
    return tree.text_content()


def extract_texts(corpus):
    """{id: {"trafilatura": text, "readability": text}} for every page with
    ground truth (full, snippets, silver); a peer that fails gives ""."""
    import trafilatura

    out = {}
    with open(os.path.join(corpus, "articles", "index.jsonl"), encoding="utf-8") as index:
        for line in index:
            row = json.loads(line)
            if row.get("gt_kind") not in ("full", "snippets", "silver"):
                continue
            with open(os.path.join(corpus, row["html"]), "rb") as f:
                page = f.read()
            texts = {}
            for name, run in (("trafilatura", trafilatura.extract), ("readability", readability_text)):
                try:
                    texts[name] = run(page) or ""
                except Exception as e:  # a peer's failure scores 0, it does not stop the run
                    print(f"{row['id']}: {name} failed: {e}", file=sys.stderr)
                    texts[name] = ""
            out[row["id"]] = texts
    return out


def bench_feedparser(docs, rounds=5):
    import feedparser

    start = time.thread_time()
    for _ in range(rounds):
        for doc in docs:
            feedparser.parse(doc)
    return (time.thread_time() - start) / (rounds * len(docs))


def render_items(n=50):
    body = "<p>" + "长三角生物医药产业创新发展大会在杭州举行。" * 20 + "</p>"
    return [
        {
            "title": f"Story {i} 长三角生物医药",
            "link": f"https://wire.example/story/{i}",
            "summary": "杭州医药港汇聚生物医药企业1800余家。",
            "content": body,
            "published": datetime(2025, 12, 23, 2, i % 60, tzinfo=timezone.utc),
            "categories": ["cn-yrd", "biomedicine"],
            "author": "王逸飞",
        }
        for i in range(n)
    ]


def bench_feedgen(rounds=200):
    from feedgen.feed import FeedGenerator

    items = render_items()
    start = time.thread_time()
    for _ in range(rounds):
        for fmt in ("rss", "atom"):
            fg = FeedGenerator()
            fg.id("https://polywire.example/feeds/yrd-biomedicine")
            fg.title("YRD biomedicine")
            fg.link(href="https://polywire.example/feeds/yrd-biomedicine.atom", rel="self")
            fg.description("Biomedicine in the Yangtze River Delta")
            fg.language("zh")
            for item in items:
                fe = fg.add_entry()
                fe.id(item["link"])
                fe.title(item["title"])
                fe.link(href=item["link"])
                fe.description(item["summary"])
                fe.content(item["content"], type="CDATA" if fmt == "rss" else "html")
                fe.published(item["published"])
                fe.author(name=item["author"], email="news@wire.example")
                for cat in item["categories"]:
                    fe.category(term=cat)
            fg.rss_str() if fmt == "rss" else fg.atom_str()
    return (time.thread_time() - start) / (rounds * 2)


def bench_opencc(text, rounds=3):
    import opencc

    converter = opencc.OpenCC("t2s")
    start = time.thread_time()
    for _ in range(rounds):
        converter.convert(text)
    seconds = (time.thread_time() - start) / rounds
    return len(text.encode("utf-8")) / seconds / 1e6


def main():
    corpus = corpus_dir()
    if "--extract-texts" in sys.argv:
        json.dump(extract_texts(corpus), sys.stdout, ensure_ascii=False)
        print()
        return
    if "--extract-only" in sys.argv:
        # For benches/extract_quality.rs: trafilatura alone, same pages.
        pages = article_pages(corpus)
        wall, cpu = bench_trafilatura(pages)
        json.dump(
            {"trafilatura_s_per_page": wall, "trafilatura_cpu_s_per_page": cpu, "pages": len(pages)},
            sys.stdout,
        )
        print()
        return
    seed = os.path.join(corpus, "..", "seed", "000_44b2adcac121026c.txt")
    with open(seed, encoding="utf-8") as f:
        text = f.read()
    # About 1 MB of Traditional news prose.
    text = text * max(1, 1_000_000 // len(text.encode("utf-8")))
    pages = article_pages(corpus)
    docs = feed_documents(corpus)
    trafilatura_wall, trafilatura_cpu = bench_trafilatura(pages)
    out = {
        "trafilatura_s_per_page": trafilatura_wall,
        "trafilatura_cpu_s_per_page": trafilatura_cpu,
        "pages": len(pages),
        "feedparser_s_per_feed": bench_feedparser(docs),
        "feeds": len(docs),
        "feedgen_s_per_feed_of_50": bench_feedgen(),
        "opencc_t2s_mb_per_s": bench_opencc(text),
        "opencc_text_bytes": len(text.encode("utf-8")),
    }
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
