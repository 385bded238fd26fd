"""Same output, less time: extract()'s full output over aeb, webeval and readability, dumped or compared,
and per-page extract() times of two checkouts taken alternately.

    python bench/extraction_same.py dump out.json [--code DIR]      # every field of every page
    python bench/extraction_same.py dump out.json --tests           # this checkout's tests/ HTML pages instead
    python bench/extraction_same.py compare a.json b.json           # pages that differ, and how
    python bench/extraction_same.py time OLD_DIR NEW_DIR [--rounds 3]

`time` runs each checkout's extract() in its own child process (OLD_DIR and NEW_DIR are folders that
hold a `worker` package), alternating chunks of pages between them so load from other processes on a
shared machine hits both alike, and prints the median per-page time of each and their ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ("aeb", "webeval", "readability")
_INDEX = {"aeb": "ground-truth.json", "webeval": "evaldata.json", "readability": "truth.json"}


def _data() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def pages(data: Path) -> list[tuple[str, str, str]]:
    """(set/id, url, decoded html) of every page, decoded as the fetcher would."""
    sys.path.insert(0, str(ROOT))
    from worker.fetch.charset import decode_html

    out = []
    for name in SETS:
        index = json.loads((data / name / _INDEX[name]).read_text())
        for page_id in sorted(index):
            path = data / name / "html" / f"{page_id}.html.gz"
            if path.exists():
                body = decode_html(gzip.decompress(path.read_bytes()), "text/html")
                out.append((f"{name}/{page_id}", index[page_id].get("url", ""), body))
    return out


# A URL for the test pages' second pass: rules keyed to the URL (dates in the path) get their turn too.
_TEST_URL = "https://news.example/2026/11/20/story-title"


def test_pages(code: Path) -> list[tuple[str, str, str]]:
    """(path, url, html) of every HTML page under tests/, each without and with a URL."""
    out = []
    for path in sorted((code / "tests").rglob("*.html*")):
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        html, key = raw.decode("utf-8", "replace"), str(path.relative_to(code))
        out += [(key, "", html), (f"{key} {_TEST_URL}", _TEST_URL, html)]
    return out


def _row(got) -> dict:
    return {
        "title": got.title,
        "authors": got.authors,
        "published_at": got.published_at.isoformat() if got.published_at else None,
        "modified_at": got.modified_at.isoformat() if got.modified_at else None,
        "language": got.language,
        "text": got.text,
        "section": got.section,
        "canonical_url": got.canonical_url,
        "rules_matched": got.rules_matched,
        "extraction_method": got.extraction_method,
        "headings": list(got.headings) if got.headings is not None else None,
    }


def _load_extract(code: Path):
    sys.path.insert(0, str(code))
    from worker.extract import extract

    return extract


def dump(out: Path, code: Path, tests: bool = False) -> None:
    extract = _load_extract(code)  # first: pages() imports worker, which must come from `code`
    everything = test_pages(ROOT) if tests else pages(_data())
    out.write_text(json.dumps({k: _row(extract(h, u)) for k, u, h in everything}, ensure_ascii=False))
    print(f"{len(everything)} pages -> {out}")


def compare(a: Path, b: Path) -> int:
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    differ = 0
    for key in sorted(set(left) | set(right)):
        x, y = left.get(key), right.get(key)
        if x != y:
            differ += 1
            fields = [f for f in (x or {}) if (x or {}).get(f) != (y or {}).get(f)]
            if differ <= 20:
                print(f"  {key}: {', '.join(fields) or 'missing'}")
    print(f"{differ} of {len(left)} pages differ")
    return 1 if differ else 0


_CHILD = """
import sys, time, json
sys.path.insert(0, sys.argv[1])
from worker.extract import extract
import pickle
pages = pickle.load(open(sys.argv[2], 'rb'))
for h, u in pages[:20]:
    extract(h, u)  # warm caches and imports
out = sys.stdout
for line in sys.stdin:
    first, last = map(int, line.split())
    times = []
    for h, u in pages[first:last]:
        t = time.perf_counter()
        extract(h, u)
        times.append(time.perf_counter() - t)
    out.write(json.dumps(times) + "\\n")
    out.flush()
"""


def timing(old: Path, new: Path, rounds: int) -> None:
    import pickle
    import tempfile

    everything = [(h, u) for _, u, h in pages(_data())]
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as fh:
        pickle.dump(everything, fh)
    try:
        procs = {
            name: subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(code), fh.name],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for name, code in (("old", old), ("new", new))
        }
        times: dict[str, list[list[float]]] = {"old": [], "new": []}
        chunk = 20
        for r in range(rounds):
            per: dict[str, list[float]] = {"old": [], "new": []}
            for first in range(0, len(everything), chunk):
                order = ("old", "new") if (first // chunk + r) % 2 == 0 else ("new", "old")
                for name in order:
                    p = procs[name]
                    p.stdin.write(f"{first} {first + chunk}\n")
                    p.stdin.flush()
                    per[name].extend(json.loads(p.stdout.readline()))
            for name in per:
                times[name].append(per[name])
        for p in procs.values():
            p.stdin.close()
            p.wait()
    finally:
        os.unlink(fh.name)
    # per page: the least of its rounds (the least disturbed), then the median over pages
    best = {name: [min(col) for col in zip(*rows, strict=True)] for name, rows in times.items()}
    med = {name: statistics.median(v) for name, v in best.items()}
    tot = {name: sum(v) for name, v in best.items()}
    print(f"{len(everything)} pages, {rounds} rounds, best of rounds per page")
    for name in ("old", "new"):
        print(
            f"  {name}: median {med[name] * 1000:.2f} ms/page, total {tot[name]:.2f} s ({len(everything) / tot[name]:.0f} pages/s)"
        )
    print(f"  new/old: median {med['new'] / med['old']:.3f}, total {tot['new'] / tot['old']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--code", type=Path, default=ROOT)
    d.add_argument(
        "--tests", action="store_true", help="the HTML pages under this checkout's tests/ (whichever --code)"
    )
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    t = sub.add_parser("time")
    t.add_argument("old", type=Path)
    t.add_argument("new", type=Path)
    t.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        dump(args.out, args.code, args.tests)
    elif args.cmd == "compare":
        return compare(args.a, args.b)
    else:
        timing(args.old, args.new, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
