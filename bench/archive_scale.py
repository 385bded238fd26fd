"""The archive at scale: an unchanged revisit pass, `export` and `history` on big SQLite archives.

    .venv/bin/python bench/archive_scale.py [--articles 100000] [--versions 1000000] [--phases revisit,export]

revisit: an archive of ARTICLES articles is bulk-inserted through the real models (after the real
  migrations, so triggers and indexes are the production ones): per article the Article, ArticleUrl,
  Fetch, zstd Body, Version (with MinHash) and VersionBand rows the pipeline writes, whose title and
  text are what the extractor returns for bench/bigweb.py's page (checked on a sample first). All are
  due for a revisit; `newsarchive run --once` (the real CLI; one source of kind `urls` listing one
  known article, so discovery costs nothing) is run until no revisit is left, against bigweb serving
  the same, unchanged articles (fresh widgets on every request). Reported: versions written (must be
  0), rows written per article (counted by SQLite triggers added for the run), pages/s, peak RSS per
  run, database bytes per article; then one poll of a sitemap listing every archived URL.
export: an archive of VERSIONS versions (VERSIONS / --per-article articles) is bulk-inserted through
  the real models (no raw bodies, no MinHash: export reads neither). Reported: `export -o FILE` rate
  and peak RSS (os.wait4) at 1/10 of the size and at full size (constant memory = the same RSS), and
  `history URL` latency (the real CLI's wall time, and the two read queries in-process, median of 20).
Prints PASS/FAIL against the issue-5 targets and the machine. Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zstandard
from sqlalchemy import Engine, insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bigweb import BigWeb, Corpus, Site  # noqa: E402
from e2e import _run, machine, newsarchive_cmd  # noqa: E402

from worker import neardup  # noqa: E402
from worker.archive import content_hash  # noqa: E402
from worker.extract import extract  # noqa: E402
from worker.store.engine import make_engine  # noqa: E402
from worker.store.migrate import upgrade  # noqa: E402
from worker.store.models import Article, ArticleUrl, Body, Fetch, Source, Version, VersionBand  # noqa: E402

BATCH = 2000
COUNTED = ["sources", "articles", "article_urls", "bodies", "fetches", "versions", "version_bands",
           "near_duplicates", "listing_state"]


def _chunks(n: int, size: int = BATCH) -> list[range]:
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


# --- the revisit archive ---------------------------------------------------------------------------


def check_extraction(web: BigWeb, sample: int = 50) -> None:
    """The bulk-built versions are only right if the extractor returns the generator's title and text."""
    import httpx

    for i in random.Random(3).sample(range(web.pages), min(sample, web.pages)):
        url = web.base_url + web.corpus.path(i)
        ex = extract(httpx.get(url).text, url, None)
        if (ex.title, ex.text) != (web.corpus.title(i), web.corpus.text(i)):
            raise SystemExit(f"extractor disagrees with the generator on {url}: the bulk archive would be wrong")


def build_revisit_archive(db: str, base_url: str, n: int, now: datetime) -> None:
    upgrade(db)
    engine = make_engine(db)
    corpus, site, zstd = Corpus(n), Site(n, 1), zstandard.ZstdCompressor(level=6)
    first = now - timedelta(hours=2)
    with engine.begin() as conn:
        conn.execute(insert(Source), [{"id": 1, "name": "bench", "kind": "urls", "url": None, "created_at": first}])
    for chunk in _chunks(n):
        rows: dict[type, list[dict[str, object]]] = {t: [] for t in (Article, ArticleUrl, Body, Fetch, Version, VersionBand)}
        for i in chunk:
            aid = i + 1
            url = base_url + corpus.path(i)
            title, paras, author, published, _ = corpus.article(i)
            text = "\n\n".join(paras)
            body = site.page(i)
            sha = hashlib.sha256(body).hexdigest()
            sig = neardup.signature(text)
            rows[Article].append(dict(id=aid, url=url, source_id=1, discovered_via="config", first_seen_at=first,
                                      last_seen_at=first, last_checked_at=first, next_revisit_at=now - timedelta(hours=1),
                                      version_count=1, gone=False))
            rows[ArticleUrl].append(dict(url=url, article_id=aid))
            data = zstd.compress(body)
            rows[Body].append(dict(sha256=sha, data=data, size=len(body), compressed_size=len(data), created_at=first))
            rows[Fetch].append(dict(id=aid, source_id=1, article_id=aid, purpose="article", discovered_via="config",
                                    requested_url=url, final_url=url, status=200, fetched_at=first, duration_ms=20,
                                    attempts=1, content_type="text/html; charset=utf-8", not_modified=False,
                                    body_sha256=sha, body_size=len(body),
                                    headers={"content-type": "text/html; charset=utf-8", "content-length": str(len(body))}))
            rows[Version].append(dict(id=aid, article_id=aid, number=1, content_hash=content_hash(title, text),
                                      title=title, authors=[author], published_at=published, language="en", text=text,
                                      first_seen_at=first, last_seen_at=first, fetch_id=aid, minhash=sig))
            rows[VersionBand].extend(dict(band=b, key=k, version_id=aid) for b, k in neardup.band_keys(sig))
        with engine.begin() as conn:
            for table, batch in rows.items():
                conn.execute(insert(table), batch)
    engine.dispose()


def add_write_counters(path: str) -> None:
    """Triggers that count every row written, per table and operation (bench_writes)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bench_writes (tbl TEXT, op TEXT, n INTEGER, PRIMARY KEY (tbl, op))")
    for t in COUNTED:
        for op in ("INSERT", "UPDATE", "DELETE"):
            conn.execute("INSERT INTO bench_writes VALUES (?, ?, 0)", (t, op))
            conn.execute(f"CREATE TRIGGER bench_{t}_{op.lower()} AFTER {op} ON {t} BEGIN "
                         f"UPDATE bench_writes SET n = n + 1 WHERE tbl = '{t}' AND op = '{op}'; END")
    conn.commit()
    conn.close()


def write_counts(path: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {f"{t}.{op.lower()}": n for t, op, n in conn.execute("SELECT tbl, op, n FROM bench_writes") if n}
    finally:
        conn.close()


def _config(path: Path, kind: str, target: str) -> Path:
    spec = f"    url: {target}\n" if kind == "sitemap" else f"    urls: [{target}]\n"
    path.write_text("defaults:\n  every: 1h\n  revisit: [1h, 1d]\n  timeout: 60s\n  retries: 1\n  per_host_delay: 0s\n"
                    "  per_host_concurrency: 8\n  respect_robots: false\n  allow_private_networks: true\n"
                    f"sources:\n  - name: bench\n    kind: {kind}\n{spec}")
    return path


def _pass(config: Path, db: str) -> tuple[int, float, float, float]:
    """One `run --once`: (article fetches, 'pass complete' seconds, wall seconds, peak RSS MB)."""
    import re

    code, out, err, wall, rss = _run([*newsarchive_cmd(), "run", "--once", "--config", str(config), "--db", db])
    m = re.search(r"pass complete in ([\d.]+)s: .*?(\d+) article fetches", out)
    if code != 0 or not m:
        raise RuntimeError(f"run --once exited {code}:\n{out[-1000:]}\n{err[-2000:]}")
    print(f"    {out.strip().splitlines()[-1]}  (wall {wall:.1f}s, peak RSS {rss:.0f} MB)", flush=True)
    return int(m.group(2)), float(m.group(1)), wall, rss


def revisit_phase(n: int, tmp: Path) -> list[str]:
    path = tmp / "revisit.sqlite3"
    db = f"sqlite:///{path}"
    verdicts = []
    with BigWeb(n) as web:
        check_extraction(web)
        started = time.perf_counter()
        build_revisit_archive(db, web.base_url, n, datetime.now(UTC))
        size = path.stat().st_size
        print(f"  built {n} articles in {time.perf_counter() - started:.0f}s (bulk inserts through the models); "
              f"database {size / 2**20:.0f} MB = {size / n / 1024:.1f} KB per article (raw bodies included)")
        add_write_counters(str(path))
        config = _config(tmp / "urls.yaml", "urls", web.base_url + web.corpus.path(0))
        fetched, seconds, wall, peak = 0, 0.0, 0.0, 0.0
        while True:
            f, s, w, r = _pass(config, db)
            fetched, seconds, wall, peak = fetched + f, seconds + s, wall + w, max(peak, r)
            if f == 0:
                break
        writes = write_counts(str(path))
        versions_written = writes.get("versions.insert", 0)
        total = sum(v for k, v in writes.items())
        print(f"  revisit pass: {fetched} pages in {seconds:.0f}s = {fetched / seconds:.1f} pages/s "
              f"(wall incl. start-ups {fetched / wall:.1f} pages/s); peak RSS {peak:.0f} MB")
        print(f"  versions written: {versions_written}  {'PASS' if versions_written == 0 else 'FAIL'} (must be 0)")
        print(f"  rows written per revisited article: {total / max(fetched, 1):.2f}  ({', '.join(f'{k} {v}' for k, v in sorted(writes.items()))})")
        grown = path.stat().st_size
        print(f"  database after the pass: {grown / 2**20:.0f} MB = {grown / n / 1024:.1f} KB per article")
        print("  one poll of a sitemap listing every archived URL (all known, none due):")
        _pass(_config(tmp / "sitemap.yaml", "sitemap", web.sitemap_url), db)
        verdicts.append(f"revisit versions written = {versions_written}: {'PASS' if versions_written == 0 else 'FAIL'}")
    return verdicts


# --- the export archive ------------------------------------------------------------------------


def build_export_archive(db: str, versions: int, per_article: int) -> Engine:
    upgrade(db)
    engine = make_engine(db)
    rng = random.Random(5)
    corpus = Corpus(4000, 9)
    pool = [p for i in range(400) for p in corpus.article(i)[1]]  # ~3,500 distinct paragraphs
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(Source), [{"id": 1, "name": "bench", "kind": "sitemap", "url": "https://example.org/s.xml",
                                       "created_at": start}])
    articles = -(-versions // per_article)
    for chunk in _chunks(articles):
        rows: dict[type, list[dict[str, object]]] = {t: [] for t in (Article, ArticleUrl, Fetch, Version)}
        for a in chunk:
            aid, url = a + 1, f"https://news.example.org/{a // 1000}/story-{a}"
            born = start + timedelta(minutes=a)
            count = min(per_article, versions - a * per_article)
            rows[Article].append(dict(id=aid, url=url, source_id=1, discovered_via="https://example.org/s.xml",
                                      first_seen_at=born, last_seen_at=born, last_checked_at=born, version_count=count,
                                      gone=False))
            rows[ArticleUrl].append(dict(url=url, article_id=aid))
            paras = rng.sample(pool, 6)
            title = f"Story {a}: {paras[0][:60]}"
            for v in range(count):
                vid, at = a * per_article + v + 1, born + timedelta(hours=6 * v)
                text = "\n\n".join([*paras, f"Update {v} to story {a}."])
                rows[Fetch].append(dict(id=vid, source_id=1, article_id=aid, purpose="article" if v == 0 else "revisit",
                                        discovered_via="https://example.org/s.xml", requested_url=url, final_url=url,
                                        status=200, fetched_at=at, duration_ms=30, attempts=1, not_modified=False,
                                        body_sha256=hashlib.sha256(text.encode()).hexdigest(), body_size=120_000))
                rows[Version].append(dict(id=vid, article_id=aid, number=v + 1, content_hash=content_hash(title, text),
                                          title=title, authors=["Anna Keller"], published_at=born, language="en",
                                          text=text, first_seen_at=at, last_seen_at=at, fetch_id=vid))
        with engine.begin() as conn:
            for table, batch in rows.items():
                conn.execute(insert(table), batch)
    return engine


def export_phase(versions: int, per_article: int, tmp: Path) -> list[str]:
    verdicts, rss_by_size = [], {}
    for size in (versions // 10, versions):
        path = tmp / f"export-{size}.sqlite3"
        db = f"sqlite:///{path}"
        started = time.perf_counter()
        build_export_archive(db, size, per_article).dispose()
        print(f"  built {size} versions in {time.perf_counter() - started:.0f}s (bulk inserts through the models); "
              f"database {path.stat().st_size / 2**20:.0f} MB", flush=True)
        out = tmp / "export.jsonl"
        code, _, err, wall, rss = _run([*newsarchive_cmd(), "export", "--db", db, "-o", str(out)])
        if code != 0:
            raise RuntimeError(f"export exited {code}: {err[-2000:]}")
        lines = sum(1 for _ in out.open("rb"))
        rss_by_size[size] = rss
        print(f"  export of {lines} versions: {wall:.1f}s = {lines / wall:.0f} versions/s (wall, incl. start-up), "
              f"peak RSS {rss:.0f} MB, {out.stat().st_size / 2**20:.0f} MB of JSONL", flush=True)
        out.unlink()
        if size == versions:
            rate = lines / wall
            verdicts.append(f"export {rate:.0f} versions/s (target >= 5000): {'PASS' if rate >= 5000 else 'FAIL'}")
            small, big = rss_by_size[versions // 10], rss
            flat = big <= small * 1.2 + 10
            verdicts.append(f"export peak RSS {small:.0f} MB at {versions // 10} vs {big:.0f} MB at {versions} versions "
                            f"(constant memory): {'PASS' if flat else 'FAIL'}")
            verdicts.append(history_latency(db, versions, per_article))
    return verdicts


def history_latency(db: str, versions: int, per_article: int) -> str:
    from worker.store.reading import article_versions, find_article, reprints_of

    articles = -(-versions // per_article)
    urls = [f"https://news.example.org/{a // 1000}/story-{a}" for a in random.Random(1).sample(range(articles), 20)]
    engine = make_engine(db, writer=False)
    times = []
    for url in urls:
        t = time.perf_counter()
        aid = find_article(engine, url)
        assert aid is not None
        article_versions(engine, aid)
        reprints_of(engine, aid)
        times.append((time.perf_counter() - t) * 1000)
    engine.dispose()
    walls = []
    for url in urls[:5]:
        code, _, err, wall, _ = _run([*newsarchive_cmd(), "history", url, "--db", db])
        if code != 0:
            raise RuntimeError(f"history exited {code}: {err[-1000:]}")
        walls.append(wall * 1000)
    med = statistics.median(times)
    print(f"  history URL on {versions} versions: queries {med:.1f} ms median, {max(times):.1f} ms max (in-process, "
          f"20 URLs); the CLI {statistics.median(walls):.0f} ms wall median (5 runs, incl. Python start-up)")
    return f"history {med:.1f} ms (queries; target < 50 ms): {'PASS' if med < 50 else 'FAIL'}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000, help="articles of the revisit archive")
    ap.add_argument("--versions", type=int, default=1_000_000, help="versions of the export archive")
    ap.add_argument("--per-article", type=int, default=2, help="versions per article in the export archive")
    ap.add_argument("--phases", default="revisit,export")
    ap.add_argument("--dir", help="work directory (default: a temporary one, removed at the end)")
    args = ap.parse_args()
    tmp = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="na-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    verdicts: list[str] = []
    try:
        if "revisit" in args.phases:
            print(f"revisit pass over {args.articles} archived, unchanged articles", flush=True)
            verdicts += revisit_phase(args.articles, tmp)
        if "export" in args.phases:
            print(f"export and history on {args.versions} versions", flush=True)
            verdicts += export_phase(args.versions, args.per_article, tmp)
    finally:
        if not args.dir:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(["", *verdicts, f"machine: {machine()}"]))


if __name__ == "__main__":
    main()
