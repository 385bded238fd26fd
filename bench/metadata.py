"""Metadata benchmark: title, byline, date and language against Readability.js's answers, and the
time the metadata part of extraction takes per page.

    python bench/metadata.py [--data /work/shared/data] [--repeat 5] [--worst]

Readability's answers are one extractor's, not people's: its titles sometimes keep the site suffix
("Mozilla - Wikipedia"), its bylines keep "By" and dates. So each field is scored two ways:
`exact` (equal after folding case, widths and spaces, and dropping a leading "By"), and `close`
(title: one contains the other and covers at least 60% of it; byline: the name words of ours are
all in Readability's; date: the same instant, or the same day when Readability gives no zone).
Pages where Readability has no answer count as right when we give none either (`empty ok`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from worker.extract import metadata as md  # noqa: E402
from worker.extract.dates import parse_date  # noqa: E402
from worker.extract.index import PageIndex  # noqa: E402
from worker.extract.jsonld import JsonLd  # noqa: E402
from worker.extract.language import choose_language, normalise_lang  # noqa: E402
from worker.segment import fold, words  # noqa: E402

_BY = re.compile(r"^\s*(by|par|von|por)\b[:\s]*", re.I)


def norm(text: str | None) -> str:
    return " ".join(fold(_BY.sub("", text or "")).split()).strip(" .|-–—:")


def title_close(ours: str, truth: str) -> bool:
    a, b = norm(ours), norm(truth)
    if not a or not b:
        return a == b
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_) or short in long_ and len(short) >= 20


def byline_close(ours: list[str], truth: str) -> bool:
    mine = {fold(w) for name in ours for w in words(name)}
    theirs = {fold(w) for w in words(truth)}
    return bool(mine) and mine <= theirs


def date_close(ours, truth: str) -> bool:  # type: ignore[no-untyped-def]
    want = parse_date(truth)
    if ours is None or want is None:
        return False
    if re.search(r"(Z|[+-]\d\d:?\d\d)$", truth.strip()):
        return abs((ours - want).total_seconds()) < 60
    return abs((ours - want).total_seconds()) <= 14 * 3600  # no zone given: the same local day


def metadata_of(html: str, text: str):  # type: ignore[no-untyped-def]
    """The metadata part of extract(), on a parsed page (parsing is the body's cost too)."""
    tree = LexborHTMLParser(html)
    page = PageIndex(tree)
    start = time.process_time()  # CPU time: the machine is shared, wall time swings with its load
    meta, ld = md.Meta(page.all("meta")), JsonLd(page.all("script"))
    title = md.find_title(page, meta, ld)
    authors = md.find_authors(page, meta, ld)
    published = md.find_published(page, meta, ld, None)
    md.find_modified(meta, ld)
    md.find_section(meta, ld)
    language = choose_language(md.declared_language(page, meta, ld), text)
    return (title, authors, published, language), time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/data")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worst", action="store_true", help="print the pages each field misses")
    args = parser.parse_args()
    base = Path(args.data) / "readability"
    truth = json.loads((base / "truth.json").read_text())
    scores = {k: [0, 0] for k in ("title exact", "title close", "byline exact", "byline close",
                                 "byline empty ok", "date close", "date empty ok", "lang")}  # fmt: skip
    timings: list[float] = []
    for name, want in sorted(truth.items()):
        path = base / "html" / f"{name}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        text = want.get("text") or ""
        best = float("inf")
        for _ in range(args.repeat):
            (title, authors, published, language), took = metadata_of(html, text)
            best = min(best, took)
        timings.append(best)
        _score(scores, "title exact", norm(title) == norm(want["title"]), name, title, want["title"], args)
        _score(scores, "title close", title_close(title, want["title"]), name, title, want["title"], args)
        if want.get("byline"):
            ok = norm(", ".join(authors)) == norm(want["byline"])
            _score(scores, "byline exact", ok, name, authors, want["byline"], args)
            ok = byline_close(authors, want["byline"])
            _score(scores, "byline close", ok, name, authors, want["byline"], args)
        else:
            _score(scores, "byline empty ok", not authors, name, authors, None, args)
        if want.get("published_time"):
            ok = date_close(published, want["published_time"])
            _score(scores, "date close", ok, name, published, want["published_time"], args)
        else:
            _score(scores, "date empty ok", published is None, name, published, None, args)
        if want.get("lang"):
            ok = language == normalise_lang(want["lang"])
            _score(scores, "lang", ok, name, language, want["lang"], args)
    for key, (right, total) in scores.items():
        print(f"{key:16} {right:4}/{total:<4} {right / max(total, 1):.3f}")
    timings.sort()
    print(
        f"metadata time per page over {len(timings)} pages (best of {args.repeat}): "
        f"mean {1000 * sum(timings) / len(timings):.3f} ms, median {1000 * timings[len(timings) // 2]:.3f} ms, "
        f"p95 {1000 * timings[int(len(timings) * 0.95)]:.3f} ms, max {1000 * timings[-1]:.3f} ms"
    )


def _score(scores, key, ok, name, ours, theirs, args) -> None:  # type: ignore[no-untyped-def]
    scores[key][0] += bool(ok)
    scores[key][1] += 1
    if args.worst and not ok:
        print(f"  miss {key:15} {name:36} ours={ours!r} theirs={theirs!r}")


if __name__ == "__main__":
    main()
