"""One pass for one source: discover -> fetch -> extract -> archive. Also the revisit sweep.

The pipeline composes the pure core (discover, extract, archive) with the two edges that do I/O
(the fetcher and the store). The scheduler and the CLI sit outside and only call in.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from worker import examine
from worker.config import SourceConfig
from worker.discover import filter_links
from worker.examine import Examined, Previous
from worker.examiners import Examiner, TooComplex
from worker.fetch import Fetcher, decode_html
from worker.fetch.errors import explain
from worker.health import degraded_reason, figures
from worker.logs import ProgressCounter
from worker.notify import Notifier, version_event
from worker.revisits import listed_as_updated
from worker.store.repository import ArchiveStore, Capture, Due
from worker.urls import canonicalize, same_site
from worker.values import Fetched, Link, SitemapParse
from worker.writer import Writer

log = logging.getLogger(__name__)

MAX_SITEMAP_DEPTH = 3  # index -> index -> urlset is as deep as real sites go
MAX_SITEMAP_CHILDREN = 500
MAX_URL_LENGTH = 2000  # longer URLs are junk, and too long for a database index
FAILED_REVISIT_RETRY = timedelta(hours=1)
REVISIT_PAGE = 5000  # due revisits read at a time
IN_HAND = 32  # fetched pages being examined or written at a time (run_jobs), ~200 KB each; as many as workers
TRANSIENT_ERRORS = frozenset({"timeout", "connection", "http_5xx", "robots_unreachable"})  # worth another try next poll


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class PassStats:
    """What one pass did, for the command's summary line and for tests."""

    sources: int = 0
    sources_failed: int = 0  # sources that could not be polled at all (listing failed; urls: every fetch)
    listings_not_modified: int = 0
    links: int = 0
    fetched: int = 0
    failed: int = 0
    transient: int = 0  # failures that another try may cure (outage, timeout, 429)
    outcomes: Counter[str] = field(default_factory=Counter)  # new / version / same
    errors: Counter[str] = field(default_factory=Counter)
    rules_missed: int = 0  # captures where the source's extract.body selector matched nothing
    sitemaps_cut: int = 0  # child sitemaps not read: over max_child_sitemaps (or max_listing_urls reached)
    urls_cut: int = 0  # listed URLs dropped: over max_listing_urls
    crawl_delay_capped: tuple[str, float] | None = None  # (robots.txt URL, Crawl-delay asked) over the cap

    def add(self, other: PassStats) -> None:
        self.sources += other.sources
        self.sources_failed += other.sources_failed
        self.listings_not_modified += other.listings_not_modified
        self.links += other.links
        self.fetched += other.fetched
        self.failed += other.failed
        self.transient += other.transient
        self.outcomes.update(other.outcomes)
        self.errors.update(other.errors)
        self.rules_missed += other.rules_missed
        self.sitemaps_cut += other.sitemaps_cut
        self.urls_cut += other.urls_cut
        self.crawl_delay_capped = self.crawl_delay_capped or other.crawl_delay_capped

    def saw(self, fetched: Fetched) -> None:
        """Note what a fetch tells about the source beyond its own result."""
        self.crawl_delay_capped = fetched.crawl_delay_capped or self.crawl_delay_capped

    @property
    def all_failed(self) -> bool:
        """No source could be polled: nothing was done (`run --once` exits 1)."""
        return self.sources > 0 and self.sources_failed == self.sources

    def summary(self) -> str:
        listing = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items()) if ":" in k)
        articles = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items()) if ":" not in k)
        if self.all_failed:
            done = (f"revisits: {self.outcomes['version']} new versions, {self.outcomes['same']} unchanged"
                    if self.outcomes.total() else "nothing archived")
            plural = "s" if self.sources != 1 else ""
            return f"all {self.sources} source{plural} failed ({listing or articles or 'see the log'}); {done}"
        polled = (f"{self.sources} sources ({self.sources_failed} failed: {listing or articles})"
                  if self.sources_failed else f"{self.sources} sources")
        return (
            f"{polled}, {self.links} links, {self.fetched} article fetches: "
            f"{self.outcomes['new']} new articles, {self.outcomes['version']} new versions, "
            f"{self.outcomes['same']} unchanged; {self.failed} failed ({articles or 'none'}); "
            f"{self.listings_not_modified} listings not modified{self._cuts()}"
        )

    def _cuts(self) -> str:
        cuts = [f"{n} {what}" for n, what in ((self.sitemaps_cut, "child sitemaps not read"),
                                               (self.urls_cut, "listed URLs dropped")) if n]
        return f"; listings cut (max_child_sitemaps, max_listing_urls): {', '.join(cuts)}" if cuts else ""


@dataclass
class _Allowance:
    """What one poll may still read of a source's listings (a sitemap index can name millions)."""

    sitemaps: int  # child sitemaps, all levels together
    urls: int  # listed URLs
    sitemaps_cut: int = 0
    urls_cut: int = 0

    def take(self, links: list[Link]) -> list[Link]:
        if len(links) > self.urls:
            self.urls_cut += len(links) - self.urls
            links = links[: self.urls]
        self.urls -= len(links)
        return links


@dataclass(frozen=True)
class Job:
    """One article fetch to make."""

    url: str  # URL to request
    purpose: str  # article | revisit
    discovered_via: str | None
    article_url: str | None = None  # set for known articles: the URL the archive keys them by
    listed_updated_at: datetime | None = None


class Pipeline:
    def __init__(self, store: ArchiveStore, fetcher: Fetcher, source_ids: dict[str, int],
                 clock: Callable[[], datetime] = utcnow, concurrency: int = 32,
                 notifier: Notifier | None = None, examiner: Examiner | None = None,
                 writer: Writer | None = None) -> None:
        self.store = store
        self.examiner = examiner or Examiner(processes=0)
        self.writer = writer or Writer(store)  # captures and failures are written there, off the loop
        self.notifier = notifier
        self.fetcher = fetcher
        self.source_ids = source_ids
        self.clock = clock
        self.concurrency = concurrency
        self._listings: dict[int, list[tuple[Fetched, list[str] | None]]] = {}  # source id -> answers this poll
        self.progress: ProgressCounter | None = None  # a terminal's progress bar for `run --once`

    # --- a source's poll -----------------------------------------------------------------------

    async def poll(self, src: SourceConfig) -> PassStats:
        stats = PassStats(sources=1)
        sid = self.source_ids[src.name]
        started = self.clock()
        listings = self._listings[sid] = []
        found, listings_ok = await self._discover(src, sid, stats)
        links = filter_links([ln for ln, _ in found], list(src.include), list(src.exclude))
        via = {ln.url: v for ln, v in reversed(found)}  # first place each URL was found
        links = [ln for ln in links if len(ln.url) <= MAX_URL_LENGTH]
        stats.links = len(links)
        jobs = self._plan(links, via)
        await self.run_jobs(src, sid, jobs, stats)
        # Validators are kept only when this poll got through: after a crash, a stop or an article that
        # failed for a passing reason, the next poll must read the listing again, or its 304 would hide
        # the articles still to fetch.
        clean = listings_ok and not stats.transient
        stats.sources_failed = int(not listings_ok or (src.kind == "urls" and stats.failed > 0
                                                       and not stats.outcomes.total()))
        self.store.mark_polled(sid, started, listings_ok, listings if clean else [],
                               crawl_delay_capped=_capped_note(stats, src))
        del self._listings[sid]
        self._check_health(src, sid, stats)
        return stats

    def _check_health(self, src: SourceConfig, sid: int, stats: PassStats) -> None:
        """Mark the source degraded when its selectors stop matching or its extraction figures jump."""
        if not stats.fetched:
            return
        if stats.rules_missed and src.extract is not None and src.extract.body:
            reason = (f"extract.body selector {src.extract.body!r} matched nothing on {stats.rules_missed} "
                      "captures; the generic extractor was used")
        else:
            recent, baseline = self.store.health_samples(sid)
            reason = degraded_reason(figures(recent), figures(baseline) if baseline else None)
        self.store.set_health(sid, reason)

    async def _discover(self, src: SourceConfig, sid: int, stats: PassStats) -> tuple[list[tuple[Link, str]], bool]:
        """Links found by the source, each with the listing URL it came from."""
        if src.kind == "urls":
            out = []
            for raw in src.urls:
                url = canonicalize(raw)
                if url:
                    out.append((Link(url), "config"))
            return out, True
        assert src.url is not None
        found: list[tuple[Link, str]] = []
        allowance = _Allowance(src.max_child_sitemaps, src.max_listing_urls)
        ok = await self._read_listing(src, sid, src.url, None, 0, set(), found, stats, allowance)
        stats.sitemaps_cut, stats.urls_cut = allowance.sitemaps_cut, allowance.urls_cut
        if allowance.sitemaps_cut:
            caps = []  # which cap stopped the reading: either, or both
            if allowance.sitemaps <= 0:
                caps.append(f"max_child_sitemaps {src.max_child_sitemaps}")
            if allowance.urls <= 0:
                caps.append(f"max_listing_urls {src.max_listing_urls} reached")
            log.warning("source %s: %d child sitemaps not read this poll (%s)", src.name, allowance.sitemaps_cut,
                        ", ".join(caps), extra={"source": src.name, "sitemaps_cut": allowance.sitemaps_cut})
        if allowance.urls_cut:
            log.warning("source %s: %d listed URLs dropped this poll (max_listing_urls %d)", src.name,
                        allowance.urls_cut, src.max_listing_urls,
                        extra={"source": src.name, "urls_cut": allowance.urls_cut})
        return found, ok

    async def _read_listing(self, src: SourceConfig, sid: int, url: str, parent: str | None, depth: int,
                            seen: set[str], found: list[tuple[Link, str]], stats: PassStats,
                            allowance: _Allowance) -> bool:
        seen.add(url)
        purpose = {"feed": "feed", "sitemap": "sitemap", "page": "page"}[src.kind]
        etag, last_modified, old_children = self.store.listing_state(sid, url)
        fetched = await self.fetcher.fetch(url, src.fetch, purpose=purpose, etag=etag, last_modified=last_modified)
        stats.saw(fetched)
        if fetched.not_modified:
            self.store.log_listing_fetch(sid, fetched, parent)
            stats.listings_not_modified += 1  # nothing parsed; an index's children may still have changed
            return await self._read_children(src, sid, url, old_children, depth, seen, found, stats, allowance)
        if fetched.body is None:
            self.store.log_listing_fetch(sid, fetched, parent)
            stats.errors[f"{purpose}:{fetched.error}"] += 1
            log.warning("source %s: %s %s failed: %s", src.name, purpose, url,
                        explain(fetched.error, fetched.error_detail, fetched.status),
                        extra={"source": src.name, "url": url, "error": fetched.error})
            return False
        base = fetched.final_url or url
        # Parsed off the event loop, within the examiners' caps and budget (a hostile listing costs
        # its own poll, never the others' fetching).
        body = fetched.body if src.kind != "page" else decode_html(fetched.body, fetched.content_type)
        try:
            parsed = await self.examiner.parse_listing(src.kind, body, base, src.links)
        except TooComplex as e:
            log.warning("source %s: %s %s could not be parsed (%s): %s", src.name, purpose, url, e.kind, e)
            self.store.log_listing_fetch(sid, replace(fetched, error=e.kind, error_detail=str(e)), parent)
            stats.errors[f"{purpose}:{e.kind}"] += 1
            return False
        del body  # the bytes go with `fetched` in _keep: never more than the listing in hand is held
        if src.kind != "sitemap":
            assert isinstance(parsed, list)
            self._keep(sid, fetched, parent)
            found.extend((ln, url) for ln in allowance.take(parsed))
            return True
        assert isinstance(parsed, SitemapParse)
        children = parsed.children[:MAX_SITEMAP_CHILDREN]
        self._keep(sid, fetched, parent, children)
        found.extend((ln, url) for ln in allowance.take(parsed.links))
        del parsed
        return await self._read_children(src, sid, url, children, depth, seen, found, stats, allowance)

    def _keep(self, sid: int, fetched: Fetched, parent: str | None, children: list[str] | None = None) -> None:
        """Log a listing answer now; its validators wait for the end of the poll (see poll), without
        its body: 100 children of 4 MB held to the end of a poll were 512 MB."""
        self.store.log_listing_fetch(sid, fetched, parent, children, keep_state=False)
        fetched.body = b""  # not None: mark_polled keeps validators of answers that had a body
        self._listings[sid].append((fetched, children))

    async def _read_children(self, src: SourceConfig, sid: int, url: str, children: list[str], depth: int,
                             seen: set[str], found: list[tuple[Link, str]], stats: PassStats,
                             allowance: _Allowance) -> bool:
        ok = True
        if depth < MAX_SITEMAP_DEPTH:
            for child in children:
                if child in seen:  # an index that lists itself, or a cycle of indexes
                    continue
                if allowance.sitemaps <= 0 or allowance.urls <= 0:  # the poll's requests stay bounded
                    allowance.sitemaps_cut += 1
                    seen.add(child)
                    continue
                allowance.sitemaps -= 1
                ok &= await self._read_listing(src, sid, child, url, depth + 1, seen, found, stats, allowance)
        return ok

    def _plan(self, links: list[Link], via: dict[str, str]) -> list[Job]:
        """New URLs are fetched; known ones only when the listing says they changed since our capture."""
        known = self.store.known([ln.url for ln in links])
        jobs: list[Job] = []
        listed_updates: dict[int, datetime] = {}
        for ln in links:
            k = known.get(ln.url)
            if k is None:
                jobs.append(Job(ln.url, "article", via.get(ln.url), listed_updated_at=ln.updated_at))
            elif listed_as_updated(ln.updated_at, k.last_seen_at, k.listed_updated_at):
                jobs.append(Job(k.url, "revisit", via.get(ln.url), k.url, ln.updated_at))
            elif ln.updated_at and k.listed_updated_at is None:
                listed_updates[k.id] = ln.updated_at  # remembered, so a later, newer date shows an edit
        self.store.note_listed_updates(listed_updates)
        return jobs

    # --- revisits ------------------------------------------------------------------------------

    async def revisit(self, sources: Iterable[SourceConfig]) -> PassStats:
        """Fetch every known article of these sources whose next revisit is due."""
        by_id = {self.source_ids[s.name]: s for s in sources if s.name in self.source_ids}
        stats = PassStats()
        now, after = self.clock(), None
        per_source: dict[int, PassStats] = {}
        # Page by page: all that is due now is revisited, with one page of it in memory at a time.
        while due := self.store.due_revisits(now, list(by_id), REVISIT_PAGE, after):
            after = due[-1]
            groups: dict[int, list[Due]] = {}
            for d in due:
                groups.setdefault(d.source_id, []).append(d)
            for sid, items in groups.items():
                jobs = [Job(d.url, "revisit", d.discovered_via, d.url) for d in items]
                await self.run_jobs(by_id[sid], sid, jobs, per_source.setdefault(sid, PassStats()))
        for sid, group in per_source.items():  # once per source, on all its pages: a verdict per page would flap
            self._check_health(by_id[sid], sid, group)
            stats.add(group)
        return stats

    # --- fetching and archiving ----------------------------------------------------------------

    async def run_jobs(self, src: SourceConfig, sid: int, jobs: list[Job], stats: PassStats) -> None:
        """Fetch and archive these jobs here and now. The seam of the distributed runner: its
        polling pipeline overrides this to queue the jobs, and a queued job calls it with one."""
        if self.progress is not None:
            self.progress.add_total(len(jobs))
        queue = iter(jobs)
        # Each fetched page is examined and written by a task of its own, so that a worker fetches
        # the next page meanwhile and the writer gathers more writes per transaction. At most
        # IN_HAND pages at a time (memory); the first failure stops the workers.
        in_hand = asyncio.Semaphore(IN_HAND)
        archiving: set[asyncio.Task[None]] = set()
        failures: list[BaseException] = []

        async def archive(job: Job, fetched: Fetched) -> None:
            try:
                await self._archive(src, sid, job, fetched, stats)
                if self.progress is not None:
                    self.progress.update()
            except Exception as e:  # raised by run_jobs once the workers stopped
                failures.append(e)
            finally:
                in_hand.release()

        # A few workers taking jobs in turn, not a coroutine per job: 20,000 waiting coroutines
        # held ~40 MB for the length of a big sitemap's pass.
        async def work() -> None:
            for job in queue:
                await in_hand.acquire()
                if failures:
                    in_hand.release()
                    return
                try:
                    fetched = await self.fetcher.fetch(job.url, src.fetch, purpose=job.purpose, require_html=True)
                except BaseException:
                    in_hand.release()
                    raise
                stats.saw(fetched)
                task = asyncio.create_task(archive(job, fetched))
                archiving.add(task)
                task.add_done_callback(archiving.discard)

        try:
            await asyncio.gather(*(work() for _ in range(min(self.concurrency, len(jobs)))))
            while archiving and not failures:
                await asyncio.wait(archiving, return_when=asyncio.FIRST_COMPLETED)
            if failures:
                raise failures[0]
        finally:
            for task in archiving:  # a stopped pass: writes already queued are still made (Writer.aclose)
                task.cancel()
            if archiving:
                await asyncio.gather(*archiving, return_exceptions=True)

    async def _archive(self, src: SourceConfig, sid: int, job: Job, fetched: Fetched, stats: PassStats,
                       confirming: bool = False) -> None:
        stats.fetched += 1
        previous = self._previous(job.article_url) if job.article_url else None
        seen = await self.examiner.examine(fetched, job.url, src.extract, previous)
        stats.rules_missed += seen.rules_missed
        if seen.extracted is None:
            await self._fail(sid, job, seen.fetched, stats)
        elif not seen.needs_confirmation or confirming:
            await self._capture(src, sid, job, seen, stats)
        else:
            # one more fetch decides: the same text twice is a real change; otherwise the first was a fluke
            again = await self.fetcher.fetch(job.url, src.fetch, purpose=job.purpose, require_html=True)
            second = await self.examiner.examine(again, job.url, src.extract, previous)
            if second.extracted is not None and second.content_hash == seen.content_hash:
                await self._capture(src, sid, job, seen, stats)
                await self._capture(src, sid, job, second, stats)
                return
            detail = "a suspicious change that the next fetch did not show again"
            await self._fail(sid, job, replace(fetched, error="unconfirmed_change", error_detail=detail), stats)
            await self._archive(src, sid, job, again, stats, confirming=True)

    def _previous(self, url: str) -> Previous | None:
        """The article's latest version to compare with; with its raw body when another extractor made
        its text (today's extractor reads it again, and the capture is compared like with like)."""
        latest = self.store.latest_version(url)
        if latest is None:
            return None
        previous = Previous(latest.content_hash, latest.extracted.text, latest.version_id, latest.extractor_version)
        if latest.version_id is not None and latest.extractor_version != examine.EXTRACTOR_VERSION:
            raw = self.store.version_raw(latest.version_id)
            if raw is not None:
                previous = replace(previous, packed_raw=raw.packed, raw_content_type=raw.content_type, raw_url=raw.url)
        return previous

    async def aclose(self) -> None:
        """Make the writes still queued (a stopped pass leaves some) and stop the writer."""
        await self.writer.aclose()

    def close(self) -> None:
        """Wait for the last write (a cancelled pass may leave one running: it completes whole)."""
        self.writer.close()

    async def _fail(self, sid: int, job: Job, fetched: Fetched, stats: PassStats) -> None:
        stats.failed += 1
        stats.errors[fetched.error or "unknown"] += 1
        stats.transient += fetched.error in TRANSIENT_ERRORS or fetched.status == 429
        retry = self.clock() + FAILED_REVISIT_RETRY if job.article_url else None
        await self.writer.write("record_failure", fetched, sid, job.article_url or job.url, job.discovered_via, retry)

    async def _capture(self, src: SourceConfig, sid: int, job: Job, seen: Examined, stats: PassStats) -> None:
        fetched, extracted = seen.fetched, seen.extracted
        assert extracted is not None
        url, aliases = job.url, ()
        if job.article_url:
            url = job.article_url  # a known article keeps its identity even if its canonical moved
        else:
            url, aliases = self._identity(job.url, fetched, extracted.canonical_url)
        stored, size = fetched, None
        if seen.packed_body is not None:  # the store needs the packed body only: 100-200 KB less to send the writer
            assert fetched.body is not None
            stored, size = replace(fetched, body=None), len(fetched.body)
        cap = Capture(sid, url, job.discovered_via, stored, extracted, src.revisit, job.listed_updated_at, aliases,
                      seen.packed_body, seen.minhash, seen.content_hash, size, seen.extractor_version, seen.restated,
                      seen.search_document)
        decision = await self.writer.write("record_capture", cap)
        stats.outcomes[decision.kind] += 1
        if self.notifier is not None and decision.kind in ("new", "version"):  # queued; never waits
            kind = "new_article" if decision.kind == "new" else "new_version"
            self.notifier.notify_nowait(version_event(
                kind, source=src.name, url=url, version=decision.number, title=extracted.title,
                content_hash=decision.content_hash, change=decision.change, first_seen_at=fetched.fetched_at))

    @staticmethod
    def _identity(listed: str, fetched: Fetched, canonical: str | None) -> tuple[str, tuple[str, ...]]:
        """The article's URL: the page's rel=canonical when it is trustworthy, else the listed URL."""
        final = canonicalize(fetched.final_url) if fetched.final_url else None
        target = canonicalize(canonical) if canonical else None
        # A canonical on another site, or pointing at a site's front page, is a template bug, not identity.
        if target and same_site(target, listed) and not _is_front_page(target):
            url = target
        elif final and same_site(final, listed):
            url = final
        else:
            url = listed
        aliases = tuple(u for u in {listed, final} if u and u != url)
        return url, aliases


def _capped_note(stats: PassStats, src: SourceConfig) -> dict[str, object] | None:
    """What `status` shows of a Crawl-delay this poll capped: the site's robots.txt, what it asks, the cap."""
    if stats.crawl_delay_capped is None:
        return None
    robots, asked = stats.crawl_delay_capped
    return {"robots": robots, "asked": asked, "cap": src.fetch.crawl_delay_max}


def _is_front_page(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).path in ("", "/")
