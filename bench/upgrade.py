"""Upgrades never fake versions: an archive made by a landed release over the dev pages, revisited by today's code.

    .venv/bin/python bench/upgrade.py [--release d14acdd] [--data ../shared/data] [--pages 300] [--edits 15] [--pg]

The dev pages (aeb, webeval, readability; the first --pages of them, taken in turn from each set) are served
as they were captured by a local HTTP server (127.0.0.1, a sitemap listing them all). Then:
  1. the landed release's own code (git archive of --release) archives them: `run --once`;
  2. every page is listed as updated (sitemap lastmod), its bytes unchanged, and today's code fetches it
     again: new versions must be 0;
  3. one sentence of --edits archived pages is edited (a word of the stored body's longest paragraph
     changed in the served HTML, its sitemap lastmod moved) and today's code polls again: new versions
     must be --edits.
Prints the counts and the machine. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def dev_pages(data: Path, limit: int) -> list[bytes]:
    sets = [sorted((data / name / "html").glob("*.html.gz")) for name in ("aeb", "webeval")]
    sets.append(sorted((data / "readability" / "html").glob("*.html*")))
    out: list[bytes] = []
    while len(out) < limit and any(sets):
        for files in sets:
            if files and len(out) < limit:
                f = files.pop(0)
                out.append(gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes())
    return out


class Site:
    def __init__(self, pages: list[bytes]) -> None:
        self.pages = dict(enumerate(pages))
        self.lastmod = dict.fromkeys(self.pages, "2026-01-01T00:00:00Z")  # an edit moves it: the archive refetches
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/robots.txt":
                    return self._send(b"User-agent: *\nAllow: /\n", "text/plain")
                if self.path == "/sitemap.xml":
                    urls = "".join(f"<url><loc>{site.url(i)}</loc><lastmod>{site.lastmod[i]}</lastmod></url>"
                                   for i in site.pages)
                    return self._send(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
                                      .encode(), "application/xml")
                m = re.fullmatch(r"/p/(\d+)\.html", self.path)
                if m and int(m[1]) in site.pages:
                    return self._send(site.pages[int(m[1])], "text/html")
                self._send(b"not found", "text/plain", 404)

            def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/p/{i}.html"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def release_tree(commit: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "worker", "migrations"],
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def run(args: list[str], tree: Path | None = None) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)} if tree else dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, env=env,
                          cwd=tree or ROOT, timeout=1800)
    if proc.returncode != 0:
        raise SystemExit(f"newsarchive {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc.stdout


def versions(db: str) -> dict[str, list[str]]:
    engine = sa.create_engine(db)
    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT a.url, v.text FROM versions v JOIN articles a ON a.id = v.article_id "
                                 "ORDER BY a.url, v.number")).all()
    engine.dispose()
    out: dict[str, list[str]] = {}
    for url, text in rows:
        out.setdefault(url, []).append(text)
    return out


def counts(db: str) -> tuple[int, int, int]:
    """(revisit fetches, versions whose extractor is recorded, restatements) in the archive."""
    engine = sa.create_engine(db)
    with engine.connect() as c:
        revisits = c.execute(sa.text("SELECT count(*) FROM fetches WHERE purpose = 'revisit' AND error IS NULL")).scalar()
        stamped = c.execute(sa.text("SELECT count(*) FROM versions WHERE extractor_version IS NOT NULL")).scalar()
        restated = c.execute(sa.text("SELECT count(*) FROM version_restatements")).scalar()
    engine.dispose()
    return revisits, stamped, restated


def edit_one_sentence(html: bytes, body: str) -> bytes | None:
    """The page with one word of its body's longest paragraph changed, or None when no word of it is
    found exactly once in the served bytes (another encoding, entities)."""
    para = max(body.split("\n\n"), key=len)
    for word in sorted(set(re.findall(r"\w{6,}", para)), key=len, reverse=True):
        raw = word.encode("utf-8")
        if html.count(raw) == 1:
            return html.replace(raw, raw[::-1] if raw[::-1] != raw else raw + b"x")
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--release", default="d14acdd")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--pg", action="store_true", help="a fresh PostgreSQL database instead of SQLite")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="upgrade-bench-"))
    tree = release_tree(a.release, tmp / "release")
    site = Site(dev_pages(a.data, a.pages))
    admin = name = None
    if a.pg:
        import psycopg

        admin, name = psycopg.connect(PG_ADMIN, autocommit=True), f"na_bench_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        db = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        db = f"sqlite:///{tmp / 'archive.sqlite3'}"
    cfg = tmp / "sources.yaml"
    cfg.write_text("defaults:\n  every: 15m\n  revisit: [30d]\n  per_host_delay: 0s\n"
                   "  per_host_concurrency: 8\n  retries: 0\n  allow_private_networks: true\n"
                   f"sources:\n  - name: dev\n    kind: sitemap\n    url: http://127.0.0.1:{site.server.server_port}"
                   "/sitemap.xml\n", encoding="utf-8")
    base = ["--config", str(cfg), "--db", db]
    try:
        t = time.perf_counter()
        run(["run", "--once", *base], tree)
        made = versions(db)
        print(f"release {a.release}: {len(site.pages)} pages served, {len(made)} articles archived, "
              f"{sum(map(len, made.values()))} versions ({time.perf_counter() - t:.1f}s)")
        time.sleep(1.2)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        site.lastmod = dict.fromkeys(site.pages, now)  # every page listed as updated, its bytes unchanged
        t = time.perf_counter()
        run(["run", "--once", *base])
        same = versions(db)
        changed = sum(1 for u in made if same[u] != made[u])
        revisits, stamped, restated = counts(db)
        print(f"today, every page fetched again unchanged: "
              f"{sum(map(len, same.values())) - sum(map(len, made.values()))} new versions (target 0) after {revisits} fetches; {stamped} versions now stamped with today's extractor, "
              f"{restated} restated (another text or title: {changed} bodies differ) ({time.perf_counter() - t:.1f}s)")
        by_url = {site.url(i): i for i in site.pages}
        edited = 0
        for url, texts in same.items():
            page = edit_one_sentence(site.pages[by_url[url]], texts[-1]) if url in by_url else None
            if page is not None and edited < a.edits:
                site.pages[by_url[url]], edited = page, edited + 1
                site.lastmod[by_url[url]] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        time.sleep(1.2)
        run(["run", "--once", *base])
        final = versions(db)
        new = sum(map(len, final.values())) - sum(map(len, same.values()))
        print(f"today, one sentence edited in {edited} pages: {new} new versions (target {edited})")
        print(json.dumps({"machine": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                          "python": platform.python_version(), "db": "postgresql" if a.pg else "sqlite"}))
    finally:
        site.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


if __name__ == "__main__":
    main()
