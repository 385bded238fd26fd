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
import json
import os
import random
import sqlite3
import statistics
import subprocess
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


# --- the fetch log at scale (issue 16: retention, /metrics and status) -------------------------------

POLL_EVERY = timedelta(minutes=15)
# a poll's outcome, by share: 304; 200 with the body of the poll before; 200 with a new body (one new
# article captured right after it); failed
POLL_MIX = (("not_modified", 0.75), ("same", 0.18), ("new", 0.05), ("failed", 0.02))
FEED_HEADERS = {"content-type": "application/rss+xml; charset=utf-8", "cache-control": "max-age=300",
                "server": "nginx", "vary": "Accept-Encoding", "content-encoding": "gzip"}
FETCH_COLUMNS = ("id", "source_id", "article_id", "purpose", "discovered_via", "requested_url", "final_url", "status",
                 "fetched_at", "duration_ms", "attempts", "etag", "last_modified", "content_type", "error",
                 "error_detail", "not_modified", "body_sha256", "body_size", "headers")
_MEASURE = r"""
import json, statistics, sys, time
from datetime import UTC, datetime
from worker.store.engine import make_engine
from worker.store.overview import list_sources
from worker.store.reading import counts
from worker.web.metrics import render
engine = make_engine(sys.argv[1], writer=False)
out = {"metrics_ms": [], "status_ms": []}
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); body = render(engine); out["metrics_ms"].append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    counts(engine)
    with engine.connect() as conn:
        list_sources(conn, None, datetime.now(UTC))
    out["status_ms"].append((time.perf_counter() - t) * 1000)
out["metrics_bytes"] = len(body)
print(json.dumps(out))
"""


def _fetchlog_rows(feeds: int, rows: int, now: datetime, seed: int = 7):  # type: ignore[no-untyped-def]
    """(kind, values) in time order: fetch rows (and the article and version of each new body)."""
    rnd = random.Random(seed)
    per_round = feeds * (1 + dict(POLL_MIX)["new"])
    rounds = max(1, round(rows / per_round))
    start = now - POLL_EVERY * rounds
    cuts, acc = [], 0.0
    for kind, share in POLL_MIX:
        acc += share
        cuts.append((acc, kind))
    fid = aid = 0
    body = [0] * feeds
    for r in range(rounds):
        base = start + POLL_EVERY * r
        for i in range(feeds):
            at = base + timedelta(seconds=(i * 7919) % 900)
            url = f"https://www{i % 997}.example-news.org/section-{i}/rss.xml"
            x = rnd.random()
            kind = next(k for cut, k in cuts if x < cut)
            fid += 1
            sid = i + 1
            if kind == "failed":
                yield "fetch", (fid, sid, None, "feed", None, url, url, 503, at, 30 + int(rnd.expovariate(1 / 400)), 3,
                                None, None, "text/html", "http_status", "HTTP 503", False, None, None, None)
                continue
            if kind == "new":
                body[i] += 1
            sha = hashlib.sha256(f"{i}/{body[i]}".encode()).hexdigest()
            etag = f'"{sha[:16]}"'
            lm = "Fri, 04 Dec 2026 10:00:00 GMT"
            if kind == "not_modified":
                yield "fetch", (fid, sid, None, "feed", None, url, url, 304, at, 20 + int(rnd.expovariate(1 / 80)), 1,
                                etag, lm, None, None, None, True, None, None,
                                {"etag": etag, "cache-control": "max-age=300", "server": "nginx"})
                continue
            yield "fetch", (fid, sid, None, "feed", None, url, url, 200, at, 40 + int(rnd.expovariate(1 / 250)), 1,
                            etag, lm, FEED_HEADERS["content-type"], None, None, False, sha, 40_000 + i % 20_000,
                            {**FEED_HEADERS, "etag": etag, "last-modified": lm, "content-length": str(12_000 + i % 9_000)})
            if kind == "new":
                fid += 1
                aid += 1
                aurl = f"https://www{i % 997}.example-news.org/section-{i}/2026/12/story-{aid}.html"
                asha = hashlib.sha256(aurl.encode()).hexdigest()
                yield "article", (aid, aurl, sid, url, at, at, at, at + timedelta(hours=1), 1, False)
                yield "fetch", (fid, sid, aid, "article", url, aurl, aurl, 200, at, 60 + int(rnd.expovariate(1 / 400)), 1,
                                None, None, "text/html; charset=utf-8", None, None, False, asha, 90_000,
                                {"content-type": "text/html; charset=utf-8", "content-length": "90000", "server": "nginx"})
                yield "version", (aid, aid, 1, asha, f"Story {aid}", "[]", "Words of the story. " * 20, at, at, fid)


ARTICLE_COLUMNS = ("id", "url", "source_id", "discovered_via", "first_seen_at", "last_seen_at", "last_checked_at",
                   "next_revisit_at", "version_count", "gone")
VERSION_COLUMNS = ("id", "article_id", "number", "content_hash", "title", "authors", "text", "first_seen_at",
                   "last_seen_at", "fetch_id")


def _code_env(code: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code), "NEWSARCHIVE_LOG_LEVEL": "WARNING"}


def _na(code: Path, *args: str) -> tuple[float, str]:
    """`python -m worker ARGS` of the code in `code` (its own worker/ and migrations/); (seconds, stdout)."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "worker", *args], cwd=code, env=_code_env(code), capture_output=True,
                          text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"newsarchive {' '.join(args)} ({code}) exited {proc.returncode}: {proc.stderr[-2000:]}")
    return time.perf_counter() - t, proc.stdout


def fill_fetchlog(db: str, code: Path, feeds: int, rows: int) -> dict[str, int]:
    """A fresh archive at the head of `code`'s migrations, then the rows by COPY (PostgreSQL) or
    executemany (SQLite); the fetch tallies, when the schema has them, made as migration 0008 makes them."""
    _na(code, "db", "upgrade", "--db", db)
    now = datetime.now(UTC)
    n = {"fetch": 0, "article": 0, "version": 0}
    sources = [(i + 1, f"feed-{i}", "feed", f"https://www{i % 997}.example-news.org/section-{i}/rss.xml",
                now - timedelta(days=30)) for i in range(feeds)]
    started = time.perf_counter()
    if db.startswith("postgresql"):
        import psycopg
        from psycopg.types.json import Jsonb

        with psycopg.connect(db.replace("+psycopg", "")) as conn, conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")  # foreign keys unchecked: fetches come before articles
            with cur.copy("COPY sources (id, name, kind, url, created_at) FROM STDIN") as cp:
                for s in sources:
                    cp.write_row(s)
            later: dict[str, list[tuple[object, ...]]] = {"article": [], "version": []}
            with cur.copy(f"COPY fetches ({', '.join(FETCH_COLUMNS)}) FROM STDIN") as cf:  # one COPY at a time
                for kind, values in _fetchlog_rows(feeds, rows, now):
                    n[kind] += 1
                    if kind == "fetch":
                        cf.write_row((*values[:-1], Jsonb(values[-1]) if values[-1] else None))
                    else:
                        later[kind].append(values)
            for kind, table, columns in (("article", "articles", ARTICLE_COLUMNS), ("version", "versions", VERSION_COLUMNS)):
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                    for values in later[kind]:
                        cp.write_row(values)
            for table in ("sources", "fetches", "articles", "versions"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            if cur.execute("SELECT to_regclass('fetch_tallies')").fetchone()[0]:
                cur.execute(_TALLY_FILL)
        with psycopg.connect(db.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    else:
        def ts(dt: datetime) -> str:
            return dt.strftime("%Y-%m-%d %H:%M:%S.%f")

        path = db.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        conn.executemany("INSERT INTO sources (id, name, kind, url, created_at, degraded) VALUES (?, ?, ?, ?, ?, 0)",
                         [(*s[:4], ts(s[4])) for s in sources])
        batch: dict[str, list[tuple[object, ...]]] = {"fetch": [], "article": [], "version": []}
        sql = {"fetch": f"INSERT INTO fetches ({', '.join(FETCH_COLUMNS)}) VALUES ({', '.join('?' * len(FETCH_COLUMNS))})",
               "article": f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
               "version": f"INSERT INTO versions ({', '.join(VERSION_COLUMNS)}) VALUES ({', '.join('?' * len(VERSION_COLUMNS))})"}

        def flush() -> None:
            for kind in ("article", "fetch", "version"):
                conn.executemany(sql[kind], batch[kind])
                batch[kind].clear()

        for kind, values in _fetchlog_rows(feeds, rows, now):
            n[kind] += 1
            batch[kind].append(tuple(ts(v) if isinstance(v, datetime) else json.dumps(v) if isinstance(v, dict)
                                     else v for v in values))
            if len(batch["fetch"]) >= 50_000:
                flush()
        flush()
        if conn.execute("SELECT name FROM sqlite_master WHERE name = 'fetch_tallies'").fetchone():
            conn.execute(_TALLY_FILL)
        conn.commit()
        conn.execute("ANALYZE")
        conn.close()
    n["fill_seconds"] = round(time.perf_counter() - started)
    return n


_TALLY_FILL = """INSERT INTO fetch_tallies (source_id, purpose, status, error, shard, n, duration_ms, {cols})
SELECT coalesce(source_id, 0), purpose, coalesce(status, 0), coalesce(error, ''), 0, count(*),
       coalesce(sum(duration_ms), 0), {sums} FROM fetches
 GROUP BY coalesce(source_id, 0), purpose, coalesce(status, 0), coalesce(error, '')""".format(
    cols=", ".join(f"le_{b}" for b in (50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)),
    sums=", ".join(f"sum(CASE WHEN duration_ms <= {b} THEN 1 ELSE 0 END)"
                   for b in (50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)))


def measure_fetchlog(db: str, code: Path, label: str, runs: int = 3) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, db, str(runs)], cwd=code, env=_code_env(code),
                          capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"measuring ({code}) failed: {proc.stderr[-2000:]}")
    got = json.loads(proc.stdout)
    status_wall, _ = _na(code, "status", "--db", db)
    m, s = statistics.median(got["metrics_ms"]), statistics.median(got["status_ms"])
    print(f"  {label}: /metrics {m:.0f} ms, status queries {s:.0f} ms (median of {runs}, in-process); "
          f"`newsarchive status` {status_wall * 1000:.0f} ms wall (with Python start-up)", flush=True)
    return {"metrics_ms": m, "status_ms": s, "status_wall_ms": status_wall * 1000}


def table_bytes(db: str) -> dict[str, int]:
    """Bytes of the fetch log (table and its indexes) and of the whole database."""
    if db.startswith("postgresql"):
        import psycopg

        with psycopg.connect(db.replace("+psycopg", "")) as conn:
            fetches = conn.execute("SELECT pg_total_relation_size('fetches')").fetchone()[0]
            heap = conn.execute("SELECT pg_table_size('fetches')").fetchone()[0]
            total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        return {"fetches": fetches, "fetches_heap": heap, "database": total}
    path = db.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    try:
        rows = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        idx = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fetches'")]
    except sqlite3.OperationalError:  # no dbstat in this build: the file size alone
        rows, idx = {}, []
    finally:
        conn.close()
    heap = rows.get("fetches", 0)
    return {"fetches": heap + sum(rows.get(i, 0) for i in idx), "fetches_heap": heap,
            "database": os.path.getsize(path)}


def fetchlog_phase(db: str, before: Path | None, feeds: int, rows: int, keep: bool) -> list[str]:
    verdicts = []
    pg = db.startswith("postgresql")
    if pg:
        import psycopg

        admin_url, name = db.replace("+psycopg", "").rsplit("/", 1)
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    try:
        code = before or ROOT
        n = fill_fetchlog(db, code, feeds, rows)
        print(f"  filled with {code.name}'s schema: {n['fetch']} fetch rows, {n['article']} articles and versions, "
              f"{feeds} feeds polled every 15 min ({n['fill_seconds']} s)", flush=True)
        size = table_bytes(db)
        if before is not None:
            old = measure_fetchlog(db, before, f"before ({before})")
            took, _ = _na(ROOT, "db", "upgrade", "--db", db)
            print(f"  migration to today's head on {n['fetch']} fetch rows: {took:.0f} s", flush=True)
        new = measure_fetchlog(db, ROOT, "after (this tree)")
        size_after = table_bytes(db)
        days = n["fetch"] / (feeds * (1 + dict(POLL_MIX)["new"]) * 96)
        per_row = size_after["fetches"] / n["fetch"]
        per_day = n["fetch"] / days * 10_000 / feeds
        print(f"  growth: {n['fetch']} rows over {days:.1f} days = {per_day:,.0f} fetch rows per 10,000 feeds per day; "
              f"the fetch log (table {size_after['fetches_heap'] / n['fetch']:.0f} B/row, with its indexes "
              f"{per_row:.0f} B/row) grows {per_day * per_row / 2**20:,.0f} MiB per 10,000 feeds per day "
              f"(before the migration: {size['fetches'] / n['fetch']:.0f} B/row with indexes)", flush=True)
        kept = (dict(POLL_MIX)["new"] * 2) / (1 + dict(POLL_MIX)["new"])  # changed polls and captures: forever
        steady = per_day * per_row * ((1 - kept - dict(POLL_MIX)["failed"]) * 30 + dict(POLL_MIX)["failed"] * 90)
        print(f"  with the default retention: {per_day * kept * per_row / 2**20:,.0f} MiB per 10,000 feeds per day "
              f"kept for good (captures, polls that changed), plus a steady {steady / 2**30:,.1f} GiB of unchanged "
              f"polls (30 days) and failures (90 days)", flush=True)
        cfg = Path(tempfile.mkdtemp(prefix="na-prune-")) / "retention.yaml"
        half = f"{max(days - 1, days / 2):.1f}d".replace(".0d", "d")  # about a day's rows to remove
        cfg.write_text(f"sources: []\nretention:\n  unchanged_polls: {half}\n  failed_fetches: {half}\n  deliveries: {half}\n")
        took, out = _na(ROOT, "prune", "--dry-run", "--config", str(cfg), "--db", db)
        print(f"  prune --dry-run (ages {half}): {took:.0f} s: {'; '.join(out.split(chr(10))[:3])}", flush=True)
        took, out = _na(ROOT, "prune", "--config", str(cfg), "--db", db)
        print(f"  prune (ages {half}): {took:.0f} s: {'; '.join(out.split(chr(10))[:3])}", flush=True)
        again = measure_fetchlog(db, ROOT, "after prune (this tree)")
        verdicts.append(f"/metrics at {n['fetch']} fetch rows: {new['metrics_ms']:.0f} ms"
                        + (f" (was {old['metrics_ms']:.0f} ms)" if before is not None else "")
                        + f", after a prune {again['metrics_ms']:.0f} ms; status queries {new['status_ms']:.0f} ms"
                        + (f" (was {old['status_ms']:.0f} ms)" if before is not None else ""))
    finally:
        if not keep:
            if pg:
                with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    return verdicts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000, help="articles of the revisit archive")
    ap.add_argument("--versions", type=int, default=1_000_000, help="versions of the export archive")
    ap.add_argument("--per-article", type=int, default=2, help="versions per article in the export archive")
    ap.add_argument("--phases", default="revisit,export")
    ap.add_argument("--dir", help="work directory (default: a temporary one, removed at the end)")
    ap.add_argument("--fetch-rows", type=int, default=1_000_000, help="fetch-log rows of the fetchlog phase")
    ap.add_argument("--feeds", type=int, default=10_000, help="feeds of the fetchlog phase (polled every 15 min)")
    ap.add_argument("--db", help="fetchlog phase: the database to fill (postgresql://.../NAME is dropped and made "
                                 "again; default: a SQLite file in --dir)")
    ap.add_argument("--before", metavar="TREE", help="fetchlog phase: a checkout of the code to compare with (its "
                                                     "schema fills the archive, then this tree's migrates it)")
    ap.add_argument("--keep", action="store_true", help="fetchlog phase: keep the filled database")
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
        if "fetchlog" in args.phases:
            db = args.db or f"sqlite:///{tmp / 'fetchlog.sqlite3'}"
            print(f"the fetch log at {args.fetch_rows} rows ({args.feeds} feeds) on {db.split(':')[0]}", flush=True)
            verdicts += fetchlog_phase(db, Path(args.before).resolve() if args.before else None, args.feeds,
                                       args.fetch_rows, args.keep)
    finally:
        if not args.dir:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(["", *verdicts, f"machine: {machine()}"]))


if __name__ == "__main__":
    main()
