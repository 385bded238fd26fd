"""Archive browser benchmark: builds an N-article SQLite archive by bulk inserts (through the real
migrations, so the indexes are the production ones; each version's search document written as the
store writes it), then times the main pages and API calls in-process (ASGI, no network): median
and 95th percentile of repeated requests.

    python bench/web.py [--articles 100000] [--repeat 20] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from worker.store import search_index  # noqa: E402
from worker.store.engine import make_engine  # noqa: E402
from worker.store.migrate import upgrade  # noqa: E402
from worker.store.models import Article, ArticleUrl, Fetch, Source, Version  # noqa: E402
from worker.web import create_app  # noqa: E402
from worker.web.queries import Cursor  # noqa: E402

START = datetime(2025, 11, 1, tzinfo=UTC)
BATCH = 5000
COMMON = (
    "government minister said election market prices storm city police court president report "
    "people country week energy company health water school year officials new"
).split()


def _words(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(COMMON) if rng.random() < 0.25 else rng.choice(vocab) for _ in range(n))


def _text(rng: random.Random, vocab: list[str]) -> str:
    return "\n\n".join(_words(rng, vocab, rng.randint(25, 45)) + "." for _ in range(4))


def build(url: str, n: int, seed: int = 7) -> None:
    """n articles over a year; ~10% with a second version, ~2% with a third; ~1% reprints."""
    rng = random.Random(seed)
    vocab = [f"w{i:05d}" for i in range(20_000)] + ["frescoes", "seabird", "ceasefire", "inflation"]
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            insert(Source),
            [
                {
                    "id": i + 1,
                    "name": f"source-{i}",
                    "kind": "feed",
                    "url": f"https://s{i}.example/rss",
                    "created_at": START,
                    "last_polled_at": START + timedelta(days=365),
                    "last_poll_ok": True,
                }
                for i in range(10)
            ],
        )
    fetch_id = version_id = 0
    for lo in range(0, n, BATCH):
        arts, urls, fetches, versions = [], [], [], []
        for aid in range(lo + 1, min(lo + BATCH, n) + 1):
            first = START + timedelta(seconds=aid * 31_536_000 // n)
            count = 3 if rng.random() < 0.02 else 2 if rng.random() < 0.1 else 1
            url_a = f"https://s{aid % 10}.example/news/{aid}"
            arts.append(
                {
                    "id": aid,
                    "url": url_a,
                    "source_id": aid % 10 + 1,
                    "discovered_via": None,
                    "first_seen_at": first,
                    "last_seen_at": first + timedelta(hours=count),
                    "last_checked_at": first + timedelta(hours=count),
                    "version_count": count,
                    "gone": False,
                }
            )
            urls.append({"url": url_a, "article_id": aid})
            title, text = _words(rng, vocab, 8).capitalize(), _text(rng, vocab)
            for number in range(1, count + 1):
                fetch_id += 1
                version_id += 1
                at = first + timedelta(hours=number - 1)
                if number > 1:
                    title = title + " (updated)"
                    text = text.replace(".", ", officials said.", 1)
                fetches.append(
                    {
                        "id": fetch_id,
                        "source_id": aid % 10 + 1,
                        "article_id": aid,
                        "purpose": "article",
                        "requested_url": url_a,
                        "final_url": url_a,
                        "status": 200,
                        "fetched_at": at,
                        "duration_ms": rng.randint(40, 3000),
                        "attempts": 1,
                        "not_modified": False,
                    }
                )
                digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
                if rng.random() < 0.01 and versions:  # a reprint of an earlier story in this batch
                    digest, title, text = (
                        versions[-1]["content_hash"],
                        versions[-1]["title"],
                        versions[-1]["text"],
                    )
                versions.append(
                    {
                        "id": version_id,
                        "article_id": aid,
                        "number": number,
                        "content_hash": digest,
                        "title": title,
                        "authors": ["A. Writer"],
                        "language": "en",
                        "text": text,
                        "first_seen_at": at,
                        "last_seen_at": at,
                        "fetch_id": fetch_id,
                    }
                )
        with engine.begin() as conn:
            conn.execute(insert(Article), arts)
            conn.execute(insert(ArticleUrl), urls)
            conn.execute(insert(Fetch), fetches)
            conn.execute(insert(Version), versions)
            search_index.write(conn, search_index.documents(
                [(v["id"], v["article_id"], v["title"], v["text"]) for v in versions]))
    engine.dispose()


def _time(client: TestClient, path: str, repeat: int) -> tuple[float, float, int]:
    client.get(path)  # warm: templates compiled, pages cached by SQLite
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        resp = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(resp.content)


def measure(url: str, repeat: int) -> None:
    engine = make_engine(url, writer=False)
    with engine.connect() as conn:
        deep = conn.execute(
            select(Article.first_seen_at, Article.id)
            .order_by(Article.first_seen_at.desc(), Article.id.desc())
            .offset(50_000)
            .limit(1)
        ).first()
        edited = conn.scalar(select(Article.id).where(Article.version_count == 3).limit(1))
        edited_url = conn.scalar(select(Article.url).where(Article.id == edited))
        v2_at = conn.scalar(select(Version.first_seen_at).where(Version.article_id == edited, Version.number == 2))
    engine.dispose()
    stamp = v2_at.strftime("%Y%m%d%H%M%S") if v2_at else ""
    cursor = Cursor(deep[0], deep[1]).encode() if deep else ""
    paths = [
        "/",
        f"/articles?cursor={cursor}",
        "/articles?source=source-3",
        "/articles?since=2026-03-01&until=2026-03-07",
        "/articles?q=frescoes",
        "/articles?q=government",
        '/articles?q="minister+said"',
        "/articles?q=infla*",
        f"/articles/{edited}",
        "/changes",
        "/changes.atom",
        "/sources",
        "/api/articles",
        f"/api/articles?cursor={cursor}",
        "/api/articles?q=ceasefire",
        f"/api/articles/{edited}",
        f"/api/articles/{edited}/diff?a=1&b=3",
        "/api/changes",
        "/api/sources",
        f"/web/{edited_url}",  # Memento TimeGate: its 302, then the memento it points to
        f"/web/{stamp}/{edited_url}",
        f"/web/timemap/link/{edited_url}",
        f"/web/timemap/json/{edited_url}",
        "/healthz",
        "/metrics",
    ]
    with TestClient(create_app(url)) as client:
        print(f"{'request':<58} {'median ms':>9} {'p95 ms':>8} {'bytes':>8}")
        for p in paths:
            med, p95, size = _time(client, p, repeat)
            shown = p if len(p) < 58 else p[:55] + "..."
            print(f"{shown:<58} {med:>9.1f} {p95:>8.1f} {size:>8}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--db", help="SQLite file to build (default: a temporary one); reused if it exists")
    ap.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = ap.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="na-webbench-")) / "archive.sqlite3"
    url = f"sqlite:///{path}"
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    if not path.exists():
        t = time.perf_counter()
        build(url, args.articles)
        print(
            f"built {args.articles} articles in {time.perf_counter() - t:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB) at {path}"
        )
    measure(url, args.repeat)
    if not args.db and not args.keep:
        for f in path.parent.iterdir():
            f.unlink()
        path.parent.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
