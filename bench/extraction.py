"""Extraction benchmark: newsarchive's extractor vs trafilatura on the same decoded pages.

    python bench/extraction.py [--data /work/shared/data] [--limit N] [--worst 10] [--no-trafilatura]
                               [--sets aeb,webeval,readability] [--dump out.json]

aeb/: complete bodies, scored as the article-extraction-benchmark defines it (4-shingles of \\w+
tokens). webeval/: with/without snippets, scored as the trafilatura evaluation defines it.
readability/: Mozilla Readability's test pages: bodies scored like aeb/, plus title, byline and
date agreement with Readability's expected metadata (trafilatura runs with its metadata there).
Every set also lists the pages where our body is empty (< 20 words) and trafilatura's is not.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from worker.extract import extract  # noqa: E402
from worker.segment import count as count_words  # noqa: E402

_TOKEN_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


# ---- scorers (pure; tested in tests/test_extract_bench.py) --------------------------------------


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """4-token shingles with multiplicity; a text with fewer tokens gives one short shingle."""
    tokens = _TOKEN_RE.findall(unicodedata.normalize("NFC", text or ""))
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(predicted: str, truth: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page: shared / predicted-only / truth-only shingles."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def page_pr(predicted: str, truth: str) -> tuple[float, float]:
    tp, fp, fn = page_counts(predicted, truth)
    precision = 1.0 if fp == 0 else (tp / (tp + fp) if tp else 0.0)
    recall = 1.0 if fn == 0 else (tp / (tp + fn) if tp else 0.0)
    return precision, recall


def aeb_score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """pairs of (predicted, truth) -> precision, recall (means), F1 of the means, accuracy."""
    if not pairs:
        return {"f1": 0.0, "precision": 0.0, "recall": 0.0, "accuracy": 0.0}
    prs = [page_pr(p, t) for p, t in pairs]
    precision = sum(p for p, _ in prs) / len(prs)
    recall = sum(r for _, r in prs) / len(prs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    same = sum(1 for p, t in pairs if _TOKEN_RE.findall(p or "") == _TOKEN_RE.findall(t or ""))
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": same / len(pairs)}


def _norm(text: str) -> str:
    # Canonically equivalent text is the same text: "য়" precomposed on the page, decomposed in a truth file.
    return unicodedata.normalize("NFC", _SPACE_RE.sub(" ", text or "").strip())


def webeval_score(items: list[tuple[str | None, list[str], list[str]]]) -> dict[str, float]:
    """items of (output or None on failure, with-snippets, without-snippets) -> precision, recall, F."""
    tp = fp = fn = 0
    for output, with_, without in items:
        if output is None:
            fn += len(with_)
            continue
        text = _norm(output)
        found = sum(1 for s in with_ if _norm(s) in text)
        tp += found
        fn += len(with_) - found
        fp += sum(1 for s in without if _norm(s) in text)
    return {
        "f": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def _folded_words(text: str | None) -> list[str]:
    return [w.casefold() for w in _TOKEN_RE.findall(text or "")]


_BY_WORDS = frozenset(("by", "von", "par", "por", "and", "und", "et", "y", "e"))


def title_match(predicted: str | None, truth: str | None) -> bool:
    """Same words, case and punctuation aside (both empty also agree)."""
    return _folded_words(predicted) == _folded_words(truth)


def byline_match(predicted: str | None, truth: str | None) -> bool:
    """The names agree: one side's name words (minus "by", "and") contain the other's, both or neither empty.

    Readability's byline is a line of the page ("By Jane Doe, Staff Writer"); extractors give names.
    """
    ours = set(_folded_words(predicted)) - _BY_WORDS
    theirs = set(_folded_words(truth)) - _BY_WORDS
    if not ours or not theirs:
        return not ours and not theirs
    return ours <= theirs or theirs <= ours


def date_match(predicted: str | None, truth: str | None) -> bool:
    """Same calendar day (the first 10 characters of an ISO date), both or neither given."""
    return (predicted or "")[:10] == (truth or "")[:10]


def metadata_score(rows: list[tuple[Result, dict]]) -> dict[str, float]:
    """Agreement with Readability's metadata: over all pages, and where the truth has a value."""
    out: dict[str, float] = {}
    checks = (
        ("title", "title", title_match),
        ("byline", "byline", byline_match),
        ("date", "published_time", date_match),
    )
    for name, key, match in checks:
        got = [(getattr(r, name), _none(t.get(key))) for r, t in rows]
        out[name] = sum(1 for g, t in got if match(g, t)) / max(len(got), 1)
        given = [(g, t) for g, t in got if t]
        if name != "title":
            out[f"{name}|given"] = sum(1 for g, t in given if match(g, t)) / max(len(given), 1)
    return out


def _none(value: object) -> str | None:
    return None if value in (None, "None", "") else str(value)


# ---- running -----------------------------------------------------------------------------------


def _decoder() -> Callable[[bytes], str]:
    try:
        from worker.fetch.charset import decode_html

        return lambda body: decode_html(body, "text/html")
    except ImportError:
        return lambda body: body.decode("utf-8", errors="replace")


@dataclass
class Page:
    id: str
    url: str
    html: str


def load(folder: Path, index: dict[str, dict], limit: int | None) -> list[Page]:
    decode = _decoder()
    pages = []
    for page_id in sorted(index)[:limit]:
        path = folder / "html" / f"{page_id}.html.gz"
        if path.exists():
            pages.append(
                Page(page_id, index[page_id].get("url", ""), decode(gzip.decompress(path.read_bytes())))
            )
    return pages


_CHUNK = 20


@dataclass
class Result:
    text: str | None  # None when the system failed on the page
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    method: str | None = None


@dataclass
class Run:
    outputs: list[Result]
    rate: float  # pages per second of wall-clock time
    cpu_rate: float  # pages per second of this process's CPU time (steadier on a shared machine)
    seconds: float = 0.0  # wall-clock total


System = Callable[[Page], Result]


def run_all(systems: dict[str, System], pages: list[Page]) -> dict[str, Run]:
    """The systems take turns over chunks of pages, so load from other processes hits all alike.

    Chunks rather than single pages: switching systems on every page would have each evict the
    other's working set from the CPU caches, which penalises the faster one most.
    """
    outputs: dict[str, list[Result]] = {name: [] for name in systems}
    wall = dict.fromkeys(systems, 0.0)
    cpu = dict.fromkeys(systems, 0.0)
    for first in range(0, len(pages), _CHUNK):
        chunk = pages[first : first + _CHUNK]
        for name, fn in systems.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            outputs[name].extend(fn(page) for page in chunk)
            cpu[name] += time.process_time() - start_cpu
            wall[name] += time.perf_counter() - start
    return {
        name: Run(
            outputs[name],
            len(pages) / wall[name] if wall[name] else 0.0,
            len(pages) / cpu[name] if cpu[name] else 0.0,
            wall[name],
        )
        for name in systems
    }


def ours(page: Page) -> Result:
    got = extract(page.html, page.url)
    return Result(
        got.text,
        got.title,
        ", ".join(got.authors),
        got.published_at.isoformat() if got.published_at else None,
        got.extraction_method,
    )


def trafilatura_fns() -> tuple[System, System] | None:
    """trafilatura's text alone (aeb, webeval: the usual comparison) and with metadata (readability)."""
    try:
        import trafilatura
    except ImportError as exc:
        print(f"trafilatura unavailable: {exc}")
        return None

    def text_only(page: Page) -> Result:
        return Result(trafilatura.extract(page.html, include_comments=False))

    def with_metadata(page: Page) -> Result:
        doc = trafilatura.bare_extraction(
            page.html, url=page.url or None, include_comments=False, with_metadata=True
        )
        if doc is None:
            return Result(None)
        return Result(doc.text, doc.title, doc.author, doc.date)

    return text_only, with_metadata


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _line(name: str, scores: dict[str, float], run: Run) -> str:
    parts = "  ".join(f"{k} {v:.3f}" for k, v in scores.items())
    return f"  {name:<13} {parts}  pages/s {run.rate:6.1f} (cpu {run.cpu_rate:6.1f})"


def _speedup(runs: dict[str, Run]) -> None:
    if "trafilatura" in runs and runs["trafilatura"].rate and runs["trafilatura"].cpu_rate:
        ours, theirs = runs["newsarchive"], runs["trafilatura"]
        print(
            f"  speed: {ours.rate / theirs.rate:.1f}x trafilatura (wall), {ours.cpu_rate / theirs.cpu_rate:.1f}x (cpu)"
        )


def _empties(name: str, pages: list[Page], runs: dict[str, Run]) -> list[str]:
    """Pages where our body has < 20 words and trafilatura's >= 100, and our method counts."""
    methods = Counter(r.method or "none" for r in runs["newsarchive"].outputs)
    print("  newsarchive methods: " + ", ".join(f"{k} {v}" for k, v in methods.most_common()))
    if "trafilatura" not in runs:
        return []
    lost = []
    for page, mine, theirs in zip(
        pages, runs["newsarchive"].outputs, runs["trafilatura"].outputs, strict=True
    ):
        ours_n, theirs_n = count_words(mine.text or ""), count_words(theirs.text or "")
        if ours_n < 20 and theirs_n >= 100:
            lost.append(f"{name}/{page.id} ({ours_n} vs {theirs_n} words)")
    print(
        f"  empty bodies where trafilatura has >= 100 words: {len(lost)}"
        + "".join(f"\n    {x}" for x in lost)
    )
    return lost


def _default_data() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):  # a checkout beside shared/, or a worktree under wt/
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def _aeb(args: argparse.Namespace, systems: dict[str, System], dump: dict) -> dict[str, Run]:
    truth = json.loads((args.data / "aeb" / "ground-truth.json").read_text())
    pages = load(args.data / "aeb", truth, args.limit)
    print(
        f"\naeb: {len(pages)} pages (F1 of mean precision/recall over 4-shingles; accuracy = identical tokens)"
    )
    runs = run_all(systems, pages)
    for name, run in runs.items():
        pairs = [(o.text or "", truth[p.id]["articleBody"]) for o, p in zip(run.outputs, pages, strict=True)]
        print(_line(name, aeb_score(pairs), run))
        dump[f"aeb/{name}"] = {
            p.id: [o.text, o.method, _f1(*page_pr(*pair))]
            for p, o, pair in zip(pages, run.outputs, pairs, strict=True)
        }
    _speedup(runs)
    _empties("aeb", pages, runs)
    if args.worst:
        print(f"  worst {args.worst} pages for newsarchive (F1, id):")
        worst = sorted((v[2], k) for k, v in dump["aeb/newsarchive"].items())
        for f1, page_id in worst[: args.worst]:
            print(f"    {f1:.3f}  {page_id[:16]}  {truth[page_id].get('url', '')}")
    return runs


def _webeval(args: argparse.Namespace, systems: dict[str, System], dump: dict) -> dict[str, Run]:
    evaldata = json.loads((args.data / "webeval" / "evaldata.json").read_text())
    pages = load(args.data / "webeval", evaldata, args.limit)
    print(f"\nwebeval: {len(pages)} pages (with/without snippets, counts summed over pages)")
    runs = run_all(systems, pages)
    for name, run in runs.items():
        items = [
            (o.text, evaldata[p.id].get("with", []), evaldata[p.id].get("without", []))
            for o, p in zip(run.outputs, pages, strict=True)
        ]
        print(_line(name, webeval_score(items), run))
        dump[f"webeval/{name}"] = {p.id: [o.text, o.method] for p, o in zip(pages, run.outputs, strict=True)}
    _speedup(runs)
    _empties("webeval", pages, runs)
    return runs


def _readability(args: argparse.Namespace, systems: dict[str, System], dump: dict) -> dict[str, Run]:
    truth = json.loads((args.data / "readability" / "truth.json").read_text())
    pages = load(args.data / "readability", truth, args.limit)
    print(
        f"\nreadability: {len(pages)} pages (body as aeb; title/byline/date: share agreeing with Readability,"
    )
    print("  over all pages and, |given, over the pages where Readability has a value)")
    runs = run_all(systems, pages)
    for name, run in runs.items():
        pairs = [(o.text or "", truth[p.id]["text"]) for o, p in zip(run.outputs, pages, strict=True)]
        scores = aeb_score(pairs)
        del scores["accuracy"]
        scores.update(metadata_score([(o, truth[p.id]) for o, p in zip(run.outputs, pages, strict=True)]))
        print(_line(name, scores, run))
        dump[f"readability/{name}"] = {
            p.id: [o.text, o.method, _f1(*page_pr(*pair))]
            for p, o, pair in zip(pages, run.outputs, pairs, strict=True)
        }
    _speedup(runs)
    _empties("readability", pages, runs)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--sets", default="aeb,webeval,readability")
    parser.add_argument("--dump", type=Path, help="write every page's outputs here (JSON), for study")
    args = parser.parse_args(argv)

    print(f"machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    traf = None if args.no_trafilatura else trafilatura_fns()
    dump: dict = {}
    total: dict[str, Run] = {}
    for name in args.sets.split(","):
        systems: dict[str, System] = {"newsarchive": ours}
        if traf:
            systems["trafilatura"] = traf[1] if name == "readability" else traf[0]
        runs = {"aeb": _aeb, "webeval": _webeval, "readability": _readability}[name](args, systems, dump)
        for system, run in runs.items():
            if name != "readability":  # trafilatura runs with its metadata there: not the same work
                seen = total.setdefault(system, Run([], 0.0, 0.0, 0.0))
                seen.outputs.extend(run.outputs)
                seen.seconds += run.seconds
    if "trafilatura" in total and total["trafilatura"].seconds:
        mine, theirs = total["newsarchive"], total["trafilatura"]
        ratio = (len(mine.outputs) / mine.seconds) / (len(theirs.outputs) / theirs.seconds)
        print(
            f"\nspeed over aeb+webeval ({len(mine.outputs)} pages): {ratio:.1f}x trafilatura's pages/s (wall)"
        )
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False))
    return 0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    sys.exit(main())
