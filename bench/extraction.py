"""Extraction benchmark: newsarchive's extractor vs trafilatura on the same decoded pages.

    python bench/extraction.py [--data /work/shared/data] [--limit N] [--worst 10] [--no-trafilatura]

aeb/: complete bodies, scored as the article-extraction-benchmark defines it (4-shingles of \\w+
tokens). webeval/: with/without snippets, scored as the trafilatura evaluation defines it.
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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from worker.extract import extract  # noqa: E402

_TOKEN_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


# ---- scorers (pure; tested in tests/test_extract_bench.py) --------------------------------------


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """4-token shingles with multiplicity; a text with fewer tokens gives one short shingle."""
    tokens = _TOKEN_RE.findall(text or "")
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
    return _SPACE_RE.sub(" ", text or "").strip()


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
class Run:
    outputs: list[str | None]
    rate: float  # pages per second of wall-clock time
    cpu_rate: float  # pages per second of this process's CPU time (steadier on a shared machine)


def run_all(systems: dict[str, Callable[[Page], str | None]], pages: list[Page]) -> dict[str, Run]:
    """The systems take turns over chunks of pages, so load from other processes hits all alike.

    Chunks rather than single pages: switching systems on every page would have each evict the
    other's working set from the CPU caches, which penalises the faster one most.
    """
    outputs: dict[str, list[str | None]] = {name: [] for name in systems}
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
        )
        for name in systems
    }


def ours(page: Page) -> str:
    return extract(page.html, page.url).text


def trafilatura_fn() -> Callable[[Page], str | None] | None:
    try:
        import trafilatura
    except ImportError as exc:
        print(f"trafilatura unavailable: {exc}")
        return None
    return lambda page: trafilatura.extract(page.html, include_comments=False)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args(argv)

    print(f"machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    systems: dict[str, Callable[[Page], str | None]] = {"newsarchive": ours}
    traf = None if args.no_trafilatura else trafilatura_fn()
    if traf:
        systems["trafilatura"] = traf

    truth = json.loads((args.data / "aeb" / "ground-truth.json").read_text())
    pages = load(args.data / "aeb", truth, args.limit)
    print(
        f"\naeb: {len(pages)} pages (F1 of mean precision/recall over 4-shingles; accuracy = identical tokens)"
    )
    worst: list[tuple[float, str]] = []
    runs = run_all(systems, pages)
    for name, run in runs.items():
        pairs = [(o or "", truth[p.id]["articleBody"]) for o, p in zip(run.outputs, pages, strict=True)]
        print(_line(name, aeb_score(pairs), run))
        if name == "newsarchive":
            worst = sorted((_f1(*page_pr(o, t)), p.id) for (o, t), p in zip(pairs, pages, strict=True))
    _speedup(runs)

    evaldata = json.loads((args.data / "webeval" / "evaldata.json").read_text())
    wpages = load(args.data / "webeval", evaldata, args.limit)
    print(f"\nwebeval: {len(wpages)} pages (with/without snippets, counts summed over pages)")
    wruns = run_all(systems, wpages)
    for name, run in wruns.items():
        items = [
            (o, evaldata[p.id].get("with", []), evaldata[p.id].get("without", []))
            for o, p in zip(run.outputs, wpages, strict=True)
        ]
        print(_line(name, webeval_score(items), run))
    _speedup(wruns)

    print(f"\nworst {args.worst} aeb pages for newsarchive (F1, id):")
    for f1, page_id in worst[: args.worst]:
        print(f"  {f1:.3f}  {page_id}  {truth[page_id].get('url', '')}")
    return 0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    sys.exit(main())
