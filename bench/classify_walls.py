"""How long classify takes on real article pages, and how many of them it would wrongly call walls.

    python bench/classify_walls.py [--data /work/shared/data] [--limit N] [--module PATH] [--repeat 3]

Every page of aeb/ and webeval/ is an article: each is extracted once (not timed), then classified
as a first capture (no version yet), as a revisit with the same text, and as a revisit after an
edit (the latest version had one more paragraph). Prints the median and mean time per page for
each, and every page that is not called an article. --module times another classify.py (an older
one, say: `git show main:worker/classify.py > /tmp/old.py`).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from worker.extract import extract  # noqa: E402
from worker.fetch.charset import decode_html  # noqa: E402

EDIT = "\n\nThe council will publish the full report on its website next week, officials said."


def _classify_from(path: str | None):  # type: ignore[no-untyped-def]
    if path is None:
        from worker.classify import classify

        return classify
    spec = importlib.util.spec_from_file_location("classify_under_test", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["classify_under_test"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.classify


def _pages(data: Path, limit: int | None) -> list[tuple[str, str, object]]:
    out = []
    for folder, index_name in (("aeb", "ground-truth.json"), ("webeval", "evaldata.json")):
        index = json.loads((data / folder / index_name).read_text(encoding="utf-8"))
        for key in sorted(index)[:limit]:
            path = data / folder / "html" / f"{key}.html.gz"
            if not path.exists():
                continue
            html = decode_html(gzip.decompress(path.read_bytes()), "text/html")
            url = index[key].get("url") or f"https://{folder}.example/{key}"
            extracted = extract(html, url)
            if extracted.text and extracted.text.strip():
                out.append((f"{folder}/{key}", html, extracted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/data")
    parser.add_argument("--limit", type=int, default=None, help="pages per folder")
    parser.add_argument("--module", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    classify = _classify_from(args.module)
    from worker.segment import words

    words("東京")  # ICU loads on first use (~40 ms, once per process): not a page's cost
    started = time.perf_counter()
    pages = _pages(Path(args.data), args.limit)
    print(f"{len(pages)} pages extracted in {time.perf_counter() - started:.1f} s; classify: {args.module or 'worker/classify.py'}")
    cases = {
        "first capture": lambda ex: None,
        "revisit, same text": lambda ex: ex.text,
        "revisit after an edit": lambda ex: ex.text + EDIT,
    }
    for case, previous_of in cases.items():
        times, walls = [], Counter()
        for name, html, extracted in pages:
            previous = previous_of(extracted)
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                verdict = classify(200, html, extracted, previous)
                best = min(best, time.perf_counter() - start)
            times.append(best)
            if verdict.kind != "article" or verdict.confirm:
                walls[f"{verdict.kind}{' (confirm)' if verdict.confirm else ''}: {verdict.reason}"] += 1
                print(f"  {case}: {name}: {verdict.kind} {verdict.reason!r}")
        print(f"{case}: median {statistics.median(times) * 1e3:.3f} ms, mean {statistics.mean(times) * 1e3:.3f} ms, "
              f"max {max(times) * 1e3:.1f} ms; not article: {sum(walls.values())} of {len(pages)}")


if __name__ == "__main__":
    main()
