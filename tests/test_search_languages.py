"""Search finds words of every script the archive meets, on SQLite and PostgreSQL, through the API.

Words inside spaceless text (Japanese, Chinese, Thai), Korean words with their particles glued on,
Arabic with or without its article, Turkish dotted and dotless i, Russian ё, accented Latin; phrases,
exclusions and prefixes in all of them. And an archive made before migration 0006 is searchable
once upgraded (its versions' documents are made by the migration)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import TextClause, bindparam, text

from worker.archive import search_document
from worker.examine import examine_for_archive
from worker.store.engine import make_engine
from worker.store.migrate import alembic_config, upgrade
from worker.store.models import UTCDateTime
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted, Fetched
from worker.web import create_app

T0 = datetime(2026, 11, 1, tzinfo=UTC)
PAGES = Path(__file__).parent / "pages"
STORIES = {
    "ja": ("鹿児島県で大雨", "鹿児島県で大雨による災害が発生し、住民が避難しました。"),
    "ja2": ("東京の天気", "東京では晴れ。災害の心配はありません。"),
    "zh": ("国家主席出席会议", "中国国家主席出席了会议并发表讲话。"),
    "th": ("น้ำท่วม", "เขื่อนแตกทำให้น้ำท่วมหมู่บ้านหลายแห่ง"),
    "ko": ("폭우 경보", "기상청은 오늘 남부 지방에 폭우 경보를 발령했다."),
    "ar": ("ثقافة", "افتتح المتحف الوطني أبوابه للزوار بعد الترميم."),
    "tr": ("Deprem tatbikatı", "İSTANBUL'da büyük deprem tatbikatı yapıldı."),
    "ru": ("Праздник", "На площади поставили новогоднюю ёлку."),
    "fr": ("Réouverture", "Le café de la gare rouvre après des travaux."),
    "en": ("Storm", "The café near the station reopened after the storm."),
}
EXPECTED = {
    "災害": {"ja", "ja2"}, "避難": {"ja"}, "鹿児島": {"ja"}, "大雨": {"ja"},
    "災難": set(),  # both characters are in the text, never side by side
    "雨": {"ja"},  # one character: a prefix of the bigram it starts (雨に)
    "鹿児*": {"ja"}, "災害 -避難": {"ja2"}, '"鹿児島県で大雨"': {"ja"},
    "主席": {"zh"}, "会议": {"zh"}, "讲话": {"zh"}, "国家主席": {"zh"}, "会主": set(),
    "เขื่อน": {"th"}, "หมู่บ้าน": {"th"}, "น้ำท่วม": {"th"},
    "기상청": {"ko"}, "기상청은": {"ko"}, "폭우": {"ko"}, "기상*": {"ko"}, "기상청이": set(),
    "المتحف": {"ar"}, "متحف": {"ar"}, "الوطني": {"ar"}, "وطني": {"ar"},
    "istanbul": {"tr"}, "İSTANBUL": {"tr"}, "Istanbul": {"tr"}, "ıstanbul": {"tr"}, "tatbik*": {"tr"},
    "ёлку": {"ru"}, "елку": {"ru"}, "ЁЛКУ": {"ru"},
    "café": {"fr", "en"}, "cafe": {"fr", "en"}, "CAFÉ": {"fr", "en"}, "réouverture": {"fr"},
    '"café de la gare"': {"fr"}, '"gare de la café"': set(), "café -storm": {"fr"}, "reopen*": {"en"},
}


def _fetched(url: str, at: datetime) -> Fetched:
    body = url.encode()
    return Fetched("article", url, url, 200, at, 10, 1, body=body, body_sha256=hashlib.sha256(body).hexdigest())


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    for i, (name, (title, body)) in enumerate(STORIES.items()):
        url = f"http://s.test/{name}"
        ex = Extracted(title, [], None, None, body)
        store.record_capture(Capture(sid, url, None, _fetched(url, T0 + timedelta(minutes=i)), ex, ()))
    engine.dispose()
    with TestClient(create_app(db_url)) as c:
        yield c


def _found(client: TestClient, q: str) -> set[str]:
    resp = client.get("/api/articles", params={"q": q})
    assert resp.status_code == 200, resp.text
    return {a["url"].rsplit("/", 1)[1] for a in resp.json()["items"]}


def test_every_script_is_searchable(client: TestClient) -> None:
    found = {q: _found(client, q) for q in EXPECTED}
    assert {q: f for q, f in found.items() if f != EXPECTED[q]} == {}


def test_hostile_queries_are_only_words(client: TestClient) -> None:
    for hostile in ["'", "\\", "' & !", "a' | 'b", "<->", ":*", "!!x", '"', "NOT", "鹿児島'", "(x)"]:
        _found(client, hostile)  # never a server error
    assert _found(client, "it's") == set() and _found(client, "'災害'") == {"ja", "ja2"}


def test_the_store_indexes_the_document_it_is_given(db_url: str) -> None:
    """The capture carries the terms examine cut (the store cuts them only when none came)."""
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    url = "http://s.test/given"
    store.record_capture(Capture(sid, url, None, _fetched(url, T0), Extracted("T", [], None, None, "Body"), (),
                                 search_document="given it's back\\slash"))
    engine.dispose()
    with TestClient(create_app(db_url)) as c:
        assert _found(c, "given") == {"given"} and _found(c, "body") == set()


def test_real_pages_examined_stored_and_found(db_url: str) -> None:
    """Japanese and Korean article pages, through examine (which cuts the terms) and the store, as
    the pipeline sends them: words of the article are found, words of the page's boilerplate not."""
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    for name in ("ja_kiji", "ko_gisa"):
        url = f"http://s.test/{name}"
        body = (PAGES / f"{name}.html").read_bytes()
        f = Fetched("article", url, url, 200, T0, 10, 1, body=body, content_type="text/html",
                    body_sha256=hashlib.sha256(body).hexdigest())
        seen = examine_for_archive(f, url, None, None)
        assert seen.extracted is not None and seen.search_document is not None
        assert seen.search_document == search_document(seen.extracted.title, seen.extracted.text)
        store.record_capture(Capture(sid, url, None, f, seen.extracted, (), minhash=seen.minhash,
                                     content_hash=seen.content_hash, search_document=seen.search_document))
    engine.dispose()
    with TestClient(create_app(db_url)) as c:
        assert _found(c, "欠航") == _found(c, "新千歳空港") == _found(c, "大雪") == {"ja_kiji"}
        assert _found(c, "東北") == _found(c, "ランキング") == set()  # the page's other stories and menus
        assert _found(c, "지하철") == _found(c, "서울시") == _found(c, '"기본요금은"') == {"ko_gisa"}
        assert _found(c, "무단전재") == set()


def test_an_archive_made_before_0006_is_searchable_once_upgraded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data written at 0004 (the old index), upgraded: documents made for every version (by worker
    processes, as for a big archive); a downgrade brings the old index back, and a second upgrade
    (terms cut in this process) works again."""
    from worker.store import search_index

    monkeypatch.setattr(search_index, "_POOL_FROM", 0)
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: 2)
    command.upgrade(alembic_config(db_url), "0004")
    engine = make_engine(db_url)

    def sql(statement: str) -> TextClause:  # explicit columns: the models may have grown since 0004
        return text(statement).bindparams(bindparam("t", type_=UTCDateTime()))

    with engine.begin() as c:
        c.execute(sql("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 's', 'feed', :t)"), {"t": T0})
        for i, (name, (title, body)) in enumerate(STORIES.items(), start=1):
            at = T0 + timedelta(minutes=i)
            values = {"id": i, "url": f"http://s.test/{name}", "t": at, "title": title, "body": body}
            c.execute(sql("INSERT INTO articles (id, url, source_id, first_seen_at, last_seen_at, last_checked_at, "
                          "version_count, gone) VALUES (:id, :url, 1, :t, :t, :t, 1, false)"), values)
            c.execute(text("INSERT INTO article_urls (url, article_id) VALUES (:url, :id)"), values)
            c.execute(sql("INSERT INTO fetches (id, source_id, article_id, purpose, requested_url, status, fetched_at, "
                          "duration_ms, attempts, not_modified) "
                          "VALUES (:id, 1, :id, 'article', :url, 200, :t, 1, 1, false)"), values)
            c.execute(sql("INSERT INTO versions (id, article_id, number, content_hash, title, authors, text, "
                          "first_seen_at, last_seen_at, fetch_id) "
                          "VALUES (:id, :id, 1, :url, :title, '[]', :body, :t, :t, :id)"), values)
    upgrade(db_url)
    with TestClient(create_app(db_url)) as client:
        assert _found(client, "災害") == {"ja", "ja2"} and _found(client, "기상청") == {"ko"}
        assert _found(client, "เขื่อน") == {"th"} and _found(client, "istanbul") == {"tr"}
    command.downgrade(alembic_config(db_url), "0004")
    monkeypatch.setattr(search_index, "_POOL_FROM", 20_000)
    with engine.connect() as c:
        if c.dialect.name == "sqlite":
            assert c.scalar(text("SELECT count(*) FROM versions_fts WHERE versions_fts MATCH 'café'")) == 2
        else:
            assert c.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_versions_search'")) == 1
            assert c.scalar(text("SELECT count(*) FROM pg_tables WHERE tablename = 'version_search'")) == 0
    upgrade(db_url)
    with TestClient(create_app(db_url)) as client:
        assert _found(client, "避難") == {"ja"}
    engine.dispose()
