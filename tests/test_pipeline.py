"""The pipeline with an in-memory web (httpx.MockTransport) and a real SQLite store."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from worker.config import load_config
from worker.fetch import Fetcher
from worker.pipeline import Pipeline, utcnow
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.reading import iter_versions
from worker.store.repository import ArchiveStore
from worker.writer import Writer


def page(title: str) -> str:
    paras = "".join(f"<p>{title}: a paragraph long enough to be the body of a news article, sentence {i}.</p>"
                    for i in range(5))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paras}</article></body></html>"


class Web:
    """Serves a sitemap index whose ETag never changes, and a child sitemap that does."""

    def __init__(self) -> None:
        self.child_urls = ["https://news.example/a"]
        self.requests: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append(path)
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/index.xml":
            if request.headers.get("if-none-match") == '"idx"':
                return httpx.Response(304)
            body = "<sitemapindex><sitemap><loc>https://news.example/child.xml</loc></sitemap></sitemapindex>"
            return httpx.Response(200, text=body, headers={"etag": '"idx"', "content-type": "application/xml"})
        if path == "/child.xml":
            locs = "".join(f"<url><loc>{u}</loc></url>" for u in self.child_urls)
            return httpx.Response(200, text=f"<urlset>{locs}</urlset>", headers={"content-type": "application/xml"})
        return httpx.Response(200, text=page(f"Story {path}"), headers={"content-type": "text/html"})


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text("defaults: {per_host_delay: 0s}\n"
                 "sources:\n  - {name: ex, kind: sitemap, url: 'https://news.example/index.xml'}\n")
    return load_config(p)


async def test_unchanged_index_still_reads_its_children(config, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    web = Web()
    ids = store.sync_sources([("ex", "sitemap", None)], utcnow())
    async with Fetcher(transport=httpx.MockTransport(web.handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids)
        await pipe.poll(config.sources[0])
        web.child_urls.append("https://news.example/b")
        stats = await pipe.poll(config.sources[0])
    assert stats.listings_not_modified == 1  # the index answered 304 ...
    urls = {r["url"] for r in iter_versions(store.engine)}
    assert urls == {"https://news.example/a", "https://news.example/b"}  # ... and the new child entry was found


async def _public_resolver(host: str) -> list[str]:
    return ["93.184.216.34"]


class CanonicalWeb:
    """A feed listing a tracking-laden, non-canonical URL whose page names its canonical URL."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/feed.xml":
            items = ("<item><link>https://news.example/amp/story?ref=home</link></item>"
                     "<item><link>https://news.example/front</link></item>")
            return httpx.Response(200, text=f"<rss><channel>{items}</channel></rss>",
                                  headers={"content-type": "application/rss+xml"})
        html = page("A story")
        if path == "/amp/story":
            html = html.replace("<head>", "<head><link rel='canonical' href='/story'>")
        if path == "/front":  # a template bug: every page claims the front page as canonical
            html = html.replace("<head>", "<head><link rel='canonical' href='https://news.example/'>")
        return httpx.Response(200, text=html, headers={"content-type": "text/html"})


async def test_rel_canonical_is_the_identity_when_trustworthy(sqlite_url: str, tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("defaults: {per_host_delay: 0s}\nsources:\n  - {name: ex, kind: feed, url: 'https://news.example/feed.xml'}\n")
    src = load_config(p).sources[0]
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    web = CanonicalWeb()
    ids = store.sync_sources([("ex", "feed", None)], utcnow())
    async with Fetcher(transport=httpx.MockTransport(web.handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids)
        await pipe.poll(src)
        web.requests.clear()
        await pipe.poll(src)
    urls = {r["url"] for r in iter_versions(store.engine)}
    assert urls == {"https://news.example/story", "https://news.example/front"}
    # the listed, non-canonical URL is known now: the second poll fetched no article
    assert [u for u in web.requests if "/amp/" in u or "/front" in u] == []


async def test_a_revisit_sweep_takes_every_due_article_page_by_page(config, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """More articles due than one page of due revisits holds: one sweep revisits them all, once each."""
    import worker.pipeline

    monkeypatch.setattr(worker.pipeline, "REVISIT_PAGE", 2)
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    web = Web()
    web.child_urls = [f"https://news.example/{i}" for i in range(5)]
    ids = store.sync_sources([("ex", "sitemap", None)], utcnow())
    clock = [utcnow()]
    async with Fetcher(transport=httpx.MockTransport(web.handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids, clock=lambda: clock[0])
        await pipe.poll(config.sources[0])
        clock[0] += timedelta(days=3)  # every article is due (its first revisit age has passed)
        web.requests.clear()
        stats = await pipe.revisit(config.sources)
        pipe.close()
    assert stats.fetched == 5
    assert sorted(r for r in web.requests if r.startswith("/") and r[1:].isdigit()) == [f"/{i}" for i in range(5)]


async def test_a_revisit_sweep_judges_a_source_once_on_all_its_pages(sqlite_url: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The source's body selector misses on the first page of due revisits and matches on the second:
    judged on both together it is degraded; judged page by page the second page would clear it."""
    import worker.pipeline
    from worker.store.models import Source

    monkeypatch.setattr(worker.pipeline, "REVISIT_PAGE", 2)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        html = page(f"Story {request.url.path}")
        if request.url.path in ("/2", "/3") or not revisiting:  # the selector matches these
            html = html.replace("<article>", "<article class='story'>")
        return httpx.Response(200, text=html, headers={"content-type": "text/html"})

    p = tmp_path / "s.yaml"
    p.write_text("defaults: {per_host_delay: 0s}\nsources:\n  - name: ex\n    kind: urls\n"
                 "    urls: [" + ", ".join(f"'https://news.example/{i}'" for i in range(4)) + "]\n"
                 "    extract: {body: 'article.story'}\n")
    config = load_config(p)
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    ids = store.sync_sources([("ex", "urls", None)], utcnow())
    clock = [utcnow()]
    revisiting = False
    async with Fetcher(transport=httpx.MockTransport(handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids, clock=lambda: clock[0], concurrency=1)
        for i in range(4):  # one at a time: the revisits come due in this order
            await pipe.run_jobs(config.sources[0], ids["ex"], [worker.pipeline.Job(f"https://news.example/{i}",
                                                                                   "article", None)],
                                worker.pipeline.PassStats())
            clock[0] += timedelta(seconds=1)
        clock[0] += timedelta(days=3)
        revisiting = True
        stats = await pipe.revisit(config.sources)
        pipe.close()
    assert stats.fetched == 4 and stats.rules_missed == 2
    with store.session() as s:
        assert s.scalar(select(Source.degraded).where(Source.name == "ex")) is True


class _HeldWriter(Writer):
    """Holds every capture until released (or fails it), counting the writes that finished."""

    def __init__(self, store: ArchiveStore, fail: bool = False) -> None:
        super().__init__(store)
        self.release = asyncio.Event()
        self.fail = fail
        self.finished = 0

    async def write(self, method: str, *args: object) -> object:
        if method == "record_capture":
            if self.fail:
                raise RuntimeError("the archive is unreachable")
            await self.release.wait()
        result = await super().write(method, *args)
        self.finished += 1
        return result


def _urls_source(tmp_path: Path, n: int):  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text("defaults: {per_host_delay: 0s}\nsources:\n  - name: ex\n    kind: urls\n"
                 "    urls: [" + ", ".join(f"'https://news.example/{i}'" for i in range(n)) + "]\n")
    return load_config(p).sources[0]


async def test_a_worker_fetches_the_next_page_while_the_last_one_is_written(sqlite_url: str, tmp_path: Path) -> None:
    """One worker, writes held: every page is fetched before the first write is made (each page is
    examined and written by a task of its own), and every write is made before run_jobs returns."""
    import worker.pipeline

    src = _urls_source(tmp_path, 5)
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    ids = store.sync_sources([("ex", "urls", None)], utcnow())
    web = Web()
    writer = _HeldWriter(store)
    async with Fetcher(transport=httpx.MockTransport(web.handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids, concurrency=1, writer=writer)
        jobs = [worker.pipeline.Job(f"https://news.example/{i}", "article", None) for i in range(5)]
        stats = worker.pipeline.PassStats()
        running = asyncio.ensure_future(pipe.run_jobs(src, ids["ex"], jobs, stats))
        for _ in range(500):
            if len([r for r in web.requests if r[1:].isdigit()]) == 5:
                break
            await asyncio.sleep(0.01)
        assert sorted(r for r in web.requests if r[1:].isdigit()) == [f"/{i}" for i in range(5)]
        assert writer.finished == 0 and not running.done()
        writer.release.set()
        await running
        await pipe.aclose()
    assert writer.finished == 5 and stats.outcomes["new"] == 5


async def test_a_failed_write_stops_the_workers(sqlite_url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import worker.pipeline

    monkeypatch.setattr(worker.pipeline, "IN_HAND", 2)
    src = _urls_source(tmp_path, 100)
    upgrade(sqlite_url)
    store = ArchiveStore(make_engine(sqlite_url))
    ids = store.sync_sources([("ex", "urls", None)], utcnow())
    web = Web()
    async with Fetcher(transport=httpx.MockTransport(web.handler), resolver=_public_resolver) as fetcher:
        pipe = Pipeline(store, fetcher, ids, concurrency=1, writer=_HeldWriter(store, fail=True))
        jobs = [worker.pipeline.Job(f"https://news.example/{i}", "article", None) for i in range(100)]
        with pytest.raises(RuntimeError, match="unreachable"):
            await pipe.run_jobs(src, ids["ex"], jobs, worker.pipeline.PassStats())
        pipe.close()
    assert len([r for r in web.requests if r[1:].isdigit()]) <= 5
