"""Data payloads: how much of the article the payload reader recovers when the DOM holds none of it.

    python bench/payloads.py [--data /work/shared/data]

Takes every page of the three sets that has a payload script (Next.js, Nuxt, Arc, Apollo/Redux
state), cuts its <body> down to the headline and its scripts (as a page rendered in the browser
serves it), extracts both versions and prints per page the body's score against the truth (F1 of
4-shingles for aeb and readability, snippet F for webeval), the method, and how many stubbed pages
keep a score of 0.5 or more. Also the time payload reading took on the unmodified pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import _default_data, _f1, load, page_pr, webeval_score  # noqa: E402

from worker.extract import extract  # noqa: E402
from worker.extract import payload as payload_mod  # noqa: E402

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
_SETS = (("aeb", "ground-truth.json", "articleBody"), ("webeval", "evaldata.json", None), ("readability", "truth.json", "text"))  # fmt: skip
_MARKERS = ("__NEXT_DATA__", "__NUXT__", "globalContent", "__APOLLO_STATE__", "__PRELOADED_STATE__", "__INITIAL_STATE__")  # fmt: skip


def _score(text: str, entry: dict, key: str | None) -> float:
    if key:
        return _f1(*page_pr(text or "", entry[key]))
    return webeval_score([(text or "", entry["with"], entry["without"])])["f"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    args = parser.parse_args(argv)
    spent, calls = [0.0], [0]
    reader = payload_mod.payload_body

    def timed(html: str, title: str) -> payload_mod.Found | None:
        start = time.perf_counter()
        try:
            return reader(html, title)
        finally:
            spent[0] += time.perf_counter() - start
            calls[0] += 1

    total = kept = pages_seen = 0
    for name, file, key in _SETS:
        truth = json.loads((args.data / name / file).read_text())
        for page in load(args.data / name, truth, None):
            payload_mod.payload_body = timed
            full = extract(page.html, page.url)
            payload_mod.payload_body = reader
            pages_seen += 1
            if not any(m in page.html for m in _MARKERS):
                continue
            start, end = page.html.lower().find("<body"), page.html.lower().rfind("</body")
            if start < 0:
                continue
            body = page.html[start : end if end > start else len(page.html)]
            stub = f"{page.html[:start]}<body><h1>{full.title}</h1><div id='app'></div>{''.join(_SCRIPT.findall(body))}</body></html>"
            got = extract(stub, page.url)

            total += 1
            kept += _score(got.text, truth[page.id], key) >= 0.5
            print(
                f"{name:<11} {page.id[:16]:<16} full {_score(full.text, truth[page.id], key):.2f} ({full.extraction_method})  stubbed {_score(got.text, truth[page.id], key):.2f} ({got.extraction_method})"
            )
    print(f"\nstubbed pages keeping a score >= 0.5: {kept}/{total}")
    print(
        f"payload reading on the unmodified pages: {calls[0]} of {pages_seen} pages, {spent[0] * 1000:.0f} ms in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
