"""What a hostile page costs, before and after the page caps and budget (worker/extract/complexity.py,
worker/examiners.py), and what the caps' scan costs real pages.

    python bench/hostile.py [--limit 120] [--data ../shared/data] [--pages 400]

Each hostile page is examined in a fresh process (python -c ...), once as before the caps (extract()
on the page, no caps) and once as `run` does now (Examiner with one examining process: the default
caps, and a page within the caps but over the budget, NEWSARCHIVE_PAGE_SECONDS, default 10 s, has its
process killed). Printed per page: wall seconds and the peak RSS (ru_maxrss, MB) of the process or
its examining process, whichever is larger. A run past --limit seconds is killed: ">limit".

Then, on the first --pages pages of the extraction sets (aeb, webeval, readability), the median and
mean time of the caps' check (Limits.exceeded) next to extract()'s, in ms per page, this process.

Measured 2026-12-04 on the shared 2-core machine (load average ~5: figures vary 2x between runs),
`python bench/hostile.py --limit 120`, seconds / peak RSS MB:

    page                                    before          after
    div nested 20,000 deep (0.2 MB)         3.39 / 50       0.63 / 50   too_complex (caps)
    div nested 64,000 deep (0.7 MB)        51.27 / 66       0.76 / 50   too_complex (caps)
    div nested 200,000 deep (2.2 MB)         >120           0.45 / 56   too_complex (caps)
    ul/li nested 32,000 deep (0.4 MB)      22.49 / 65       0.55 / 51   too_complex (caps)
    60,000 <option>s, flat (0.5 MB)        22.06 / 51      10.66 / 57   too_complex (budget)
    150,000 <option>s, flat (1.4 MB)         >120          10.64 / 59   too_complex (budget)
    <p> under 1,900 divs x 100,000          3.32 / 103      5.30 / 122  article (within both)

("after" includes starting the examining process.) Slowest hostile page: before more than 120 s
(200,000 deep; earlier runs: more than 300 s), after 10.7 s (the budget). On 400 real pages 2 were
scanned; the check's median 0.16 ms beside extract()'s 3.5 ms (both slowed by the load).
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from worker.examiners import PAGE_BUDGET  # noqa: E402

PARA = "<p>" + "Some article text goes here, long enough to be the article's body. " * 20 + "</p>"


def pages() -> dict[str, str]:
    return {
        "div nested 20,000 deep (0.2 MB)": "<div>" * 20_000 + PARA + "</div>" * 20_000,
        "div nested 64,000 deep (0.7 MB)": "<div>" * 64_000 + PARA + "</div>" * 64_000,
        "div nested 200,000 deep (2.2 MB)": "<div>" * 200_000 + PARA + "</div>" * 200_000,
        "ul/li nested 32,000 deep (0.4 MB)": "<ul><li>" * 32_000 + PARA,
        "60,000 <option>s, flat (0.5 MB)": "<article>" + PARA + "<select>" + "<option>x" * 60_000 + "</select></article>",
        "150,000 <option>s, flat (1.4 MB)": "<article>" + PARA + "<select>" + "<option>x" * 150_000 + "</select></article>",
        "<p> under 1,900 divs x 100,000 (0.4 MB)": "<div>" * 1_900 + "<p>x" * 100_000 + PARA,
    }


CHILD = r"""
import sys, time, resource, hashlib
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
html = sys.stdin.read()
mode = sys.argv[2]
from worker.extract import extract
from worker.examine import examine
from worker.values import Fetched
start = time.perf_counter()
if mode == "before":
    extract(html, "https://news.example/a")
    outcome = "extracted"
else:
    body = html.encode()
    f = Fetched(requested_url="https://news.example/a", final_url="https://news.example/a", status=200, body=body,
                content_type="text/html; charset=utf-8", fetched_at=datetime.now(UTC), purpose="article",
                duration_ms=1, attempts=1)
    import asyncio
    from worker.examiners import Examiner
    examiner = Examiner.from_env(1)  # in an examining process, with the budget, as `run` does
    seen = asyncio.run(examiner.examine(f, "https://news.example/a", None, None))
    examiner.close()
    outcome = seen.fetched.error or "article"
rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(f"{time.perf_counter() - start:.2f} {rss / 1024:.0f} {outcome}")
"""


def run(html: str, mode: str, limit: float) -> tuple[str, str, str]:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode], input=html, capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return f">{limit:g}", "?", "killed"
    if done.returncode:
        return "error", "?", done.stderr.strip().splitlines()[-1]
    seconds, rss, outcome = done.stdout.split()
    return seconds, rss, outcome


def real_pages(data: Path, n: int) -> list[str]:
    from worker.fetch import decode_html

    files = sorted(data.glob("*/html/*.html.gz"))[:n]
    return [decode_html(gzip.decompress(f.read_bytes()), "text/html") for f in files]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=120.0, help="seconds a run may take before it is killed")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--pages", type=int, default=400)
    args = ap.parse_args()
    print(f"budget {os.environ.get('NEWSARCHIVE_PAGE_SECONDS') or PAGE_BUDGET} s per page; 'after' includes starting "
          "the examining process (~0.3-1 s)")
    print(f"{'page':42} {'before: s':>10} {'MB':>6}   {'after: s':>9} {'MB':>6}  outcome")
    for name, html in pages().items():
        before = run(html, "before", args.limit)
        after = run(html, "after", args.limit)
        print(f"{name:42} {before[0]:>10} {before[1]:>6}   {after[0]:>9} {after[1]:>6}  {after[2]}")

    from worker.extract import extract
    from worker.extract.complexity import DEFAULT_LIMITS, UNMEASURED

    real = real_pages(args.data, args.pages)
    if not real:
        return
    check, full = [], []
    for html in real:
        t = time.perf_counter()
        DEFAULT_LIMITS.exceeded(html)
        check.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        extract(html, "https://news.example/a")
        full.append((time.perf_counter() - t) * 1000)
    scanned = sum(html.count("<") - html.count("</") > max(UNMEASURED, DEFAULT_LIMITS.max_depth) for html in real)
    print(f"\n{len(real)} real pages ({scanned} scanned, the rest decided by counting tags): caps check median "
          f"{statistics.median(check):.3f} ms, mean {statistics.mean(check):.3f} ms; extract() median "
          f"{statistics.median(full):.2f} ms, mean {statistics.mean(full):.2f} ms; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
