"""`reextract`: rebuild versions from the stored raw bodies with the current extractor, no fetching.

Captures are facts, versions are derived: an article's versions are its successful captures in time
order, folded wherever consecutive content hashes are equal. A capture whose body was not kept (an
unchanged revisit) counts with the capture before it, as it did when it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, delete, select, update
from sqlalchemy.orm import Session, aliased

from worker.archive import content_hash, search_document
from worker.fetch import decode_html
from worker.store import bodies, search_index
from worker.store.models import Article, Body, Fetch, Source, Version, VersionBand
from worker.values import Extracted, ExtractRules

Extractor = Callable[[str, str | None, ExtractRules | None], Extracted]


@dataclass
class RebuildStats:
    articles: int = 0
    unchanged: int = 0  # articles whose versions came out exactly as before
    merged: int = 0  # versions that disappeared into the one before them (boilerplate churn)
    split: int = 0  # versions that appeared where the old extractor saw no change
    changed: int = 0  # versions kept, whose extracted text or fields changed
    empty: int = 0  # captures where the new extractor found no body (kept with the version before)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.articles} articles: {self.unchanged} unchanged; {self.merged} versions merged, "
                f"{self.split} split, {self.changed} changed; {self.empty} captures with no body now")


@dataclass
class _Capture:
    fetch: Fetch
    extracted: Extracted | None  # None: body not kept, or nothing extracted
    hash: str | None


def rebuild(engine: Engine, extractor: Extractor, rules_by_source: dict[str, ExtractRules | None],
            source: str | None = None, progress: Callable[[int], None] | None = None,
            extractor_version: int | None = None) -> RebuildStats:
    """Rebuild every article's versions (of one source) with `extractor`; each version then records
    `extractor_version` (the EXTRACTOR_VERSION of that extractor) and the method that made its body."""
    stats = RebuildStats()
    q = select(Article.id, Source.name).join(Source, Source.id == Article.source_id).order_by(Article.id)
    if source:
        q = q.where(Source.name == source)
    with engine.connect() as conn:
        targets = list(conn.execute(q))
    for article_id, name in targets:
        with Session(engine) as s, s.begin():  # one transaction per article
            _rebuild_article(s, article_id, extractor, rules_by_source.get(name), stats, extractor_version)
        if progress:
            progress(1)
    with Session(engine) as s, s.begin():
        _relink_duplicates(s)
    return stats


def _captures(s: Session, article_id: int, extractor: Extractor, rules: ExtractRules | None,
              stats: RebuildStats) -> list[_Capture]:
    rows = s.execute(
        select(Fetch, Body.data)
        .outerjoin(Body, Body.sha256 == Fetch.body_sha256)
        .where(Fetch.article_id == article_id, Fetch.error.is_(None), Fetch.body_sha256.is_not(None))
        .order_by(Fetch.fetched_at, Fetch.id)
    ).all()
    out = []
    for f, data in rows:
        ex = None
        if data is not None:
            html = decode_html(bodies.unpack(data), f.content_type)
            ex = extractor(html, f.final_url or f.requested_url, rules)
            if not ex.text.strip():
                stats.empty += 1
                ex = None
        out.append(_Capture(f, ex, content_hash(ex.title, ex.text) if ex else None))
    return out


def _fold(captures: list[_Capture]) -> list[list[_Capture]]:
    """Runs of consecutive captures with one content hash; a capture without a hash joins the run before."""
    runs: list[list[_Capture]] = []
    for c in captures:
        if runs and (c.hash is None or c.hash == runs[-1][0].hash):
            runs[-1].append(c)
        elif c.hash is not None:
            runs.append([c])
    return runs


def _rebuild_article(s: Session, article_id: int, extractor: Extractor, rules: ExtractRules | None,
                     stats: RebuildStats, extractor_version: int | None) -> None:
    stats.articles += 1
    runs = _fold(_captures(s, article_id, extractor, rules, stats))
    old = list(s.scalars(select(Version).where(Version.article_id == article_id).order_by(Version.number)))
    if not runs:
        return  # nothing re-extractable: keep what the archive has rather than lose it
    old_starts = {v.fetch_id for v in old}
    new_starts = {run[0].fetch.id for run in runs}
    stats.merged += len(old_starts - new_starts)
    stats.split += len(new_starts - old_starts)
    by_fetch = {v.fetch_id: v for v in old}
    if [(v.fetch_id, v.content_hash) for v in old] == [(r[0].fetch.id, r[0].hash) for r in runs]:
        stats.unchanged += 1
        for v, run in zip(old, runs, strict=True):  # the same texts, now known to be this extractor's
            v.extractor_version, v.extraction_method = extractor_version, run[0].extracted.extraction_method  # type: ignore[union-attr]
        return
    keep_ids, documents = [], []
    for number, run in enumerate(runs, start=1):
        ex = run[0].extracted
        assert ex is not None and run[0].hash is not None
        v = by_fetch.get(run[0].fetch.id)
        if v is None:
            v = Version(article_id=article_id, fetch_id=run[0].fetch.id)
            s.add(v)
        elif v.content_hash != run[0].hash:
            stats.changed += 1
        v.number, v.content_hash, v.title, v.authors = -number, run[0].hash, ex.title, list(ex.authors)
        v.published_at, v.modified_at, v.language, v.section, v.text = (
            ex.published_at, ex.modified_at, ex.language, ex.section, ex.text)
        v.first_seen_at, v.last_seen_at = run[0].fetch.fetched_at, run[-1].fetch.fetched_at
        v.change, v.minhash = None, None
        v.extractor_version, v.extraction_method = extractor_version, ex.extraction_method
        s.flush()
        keep_ids.append(v.id)
        documents.append({"version_id": v.id, "article_id": article_id, "document": search_document(ex.title, ex.text)})
    search_index.write(s.connection(), documents, replacing=True)  # (a dropped version's row goes with it)
    _drop_versions(s, [v.id for v in old if v.id not in keep_ids])
    # numbers were written negative first so the (article, number) unique key never collides midway
    for vid in keep_ids:
        s.execute(update(Version).where(Version.id == vid).values(number=-Version.number))
    s.execute(update(Article).where(Article.id == article_id).values(version_count=len(runs)))


def _drop_versions(s: Session, ids: list[int]) -> None:
    if not ids:
        return
    s.execute(update(Version).where(Version.duplicate_of_id.in_(ids)).values(duplicate_of_id=None))
    s.execute(delete(VersionBand).where(VersionBand.version_id.in_(ids)))
    s.execute(delete(Version).where(Version.id.in_(ids)))


def _relink_duplicates(s: Session) -> None:
    """duplicate_of = the earliest version with the same hash under another URL, captured before."""
    other = aliased(Version)
    earliest = (
        select(other.id)
        .where(and_(other.content_hash == Version.content_hash, other.article_id != Version.article_id,
                    other.first_seen_at <= Version.first_seen_at, other.id != Version.id))
        .order_by(other.first_seen_at, other.id)
        .limit(1)
        .scalar_subquery()
    )
    s.execute(update(Version).values(duplicate_of_id=earliest))
