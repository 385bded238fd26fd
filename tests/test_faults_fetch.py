"""Fetch faults through the real `run --once`: each article of one simulated site misbehaves in its own
way. The pass completes (exit 0), the good articles are archived, every failure is one row in
`fetches --failed` with the right kind, nothing is archived twice, and memory stays bounded under
the decompression bombs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tests.simweb import SimWeb, Site
from tests.test_faults_helpers import PARAS, archive_invariants, cli, fetch_log, jsonl, write_config

RU = ["Президент подписал указ о новых мерах поддержки экономики региона.",
      "Эксперты считают, что эти меры помогут малому бизнесу пережить зиму.",
      "Правительство выделит на программу более двух миллиардов рублей.",
      "Первые выплаты начнутся уже в следующем месяце, сообщили в министерстве."]
JA = ["東京都は本日、新しい防災計画を発表しました。",
      "専門家はこの計画が市民の安全を大きく高めると述べています。",
      "計画には避難所の増設と情報伝達の改善が含まれています。",
      "都は来年度から段階的に実施する予定です。"]
BOMB = 256 << 20  # inflates to 256 MiB; a reader without an output bound would need that much memory
MALFORMED = ("<html><head><title>Broken page</title></head><body><div class=story><h1>Broken markup story"
             "</h1><p>The council approved the new budget late on Thursday after a long debate.</span>"
             "<p>Opposition members walked out \xff\xfe before the final vote \x00 was taken.</b></i>"
             "<p>The budget includes more money for schools, roads and the city's ageing water pipes."
             "<table><tr><td>stray cell</div></div></body>")


# slug -> (fault kind or None, fault params, times, expected: "ok" or the error kind)
CASES: dict[str, tuple[str | None, dict[str, Any], int | None, str]] = {
    "good-one": (None, {}, None, "ok"),
    "good-two": (None, {}, None, "ok"),
    "forced-gzip": ("gzip", {}, None, "ok"),
    "busy-503-twice": ("status", {"status": 503}, 2, "ok"),
    "rate-limited-seconds": ("status", {"status": 429, "retry_after": 1}, 1, "ok"),
    "rate-limited-date": ("status", {"status": 429}, 1, "ok"),  # retry_after: an HTTP date, set below
    "always-503": ("status", {"status": 503}, None, "http_5xx"),
    "not-found": ("status", {"status": 404}, None, "http_4xx"),
    "connection-reset": ("reset", {}, None, "connection"),
    "truncated-body": ("truncate", {"keep": 0.4}, None, "connection"),
    "never-answers": ("hang", {}, None, "timeout"),
    "trickles-forever": ("trickle", {"chunk": 16, "delay": 0.2}, None, "timeout"),
    "endless-body": ("endless", {}, None, "too_large"),
    "huge-declared": ("huge", {"size": 3_000_000}, None, "too_large"),
    "huge-undeclared": ("huge", {"size": 3_000_000, "declare": False}, None, "too_large"),
    "gzip-bomb": ("gzip_bomb", {"size": BOMB}, None, "too_large"),
    "brotli-bomb": ("brotli_bomb", {"size": BOMB}, None, "too_large"),
    "redirect-loop": ("redirect", {"to": "/news/redirect-loop"}, None, "redirect_loop"),
    "redirect-cycle": ("redirect", {"to": "/news/cycle-b"}, None, "redirect_loop"),  # -> b -> back here
    "pdf-served": ("pdf", {}, None, "not_html"),
    "image-served": ("body", {"body": b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 2000,
                              "content_type": "image/jpeg"}, None, "not_html"),
    "cp1251-meta-only": ("charset", {"encoding": "windows-1251"}, None, "ok"),
    "shift-jis-meta-only": ("charset", {"encoding": "shift_jis"}, None, "ok"),
    "header-lies-utf8": ("charset", {"encoding": "windows-1251", "header": "utf-8"}, None, "ok"),
    "header-lies-1251": ("charset", {"encoding": "utf-8", "header": "windows-1251"}, None, "ok"),
    "malformed-markup": ("body", {"body": MALFORMED.encode("utf-8", "surrogateescape")}, None, "ok"),
}
LANG = {"cp1251-meta-only": RU, "header-lies-utf8": RU, "header-lies-1251": RU, "shift-jis-meta-only": JA}
TITLES = {id(RU): "Указ о поддержке экономики", id(JA): "東京都が新しい防災計画を発表"}


def _build(site: Site) -> dict[str, str]:
    """One article per case, each with its own text; returns slug -> URL."""
    urls = {}
    for i, (slug, (kind, params, times, _)) in enumerate(CASES.items()):
        paras = LANG.get(slug) or [f"{p} Case {slug}." for p in PARAS[i % len(PARAS)]]
        title = TITLES.get(id(LANG.get(slug)), f"Story {slug}")
        art = site.add_article(f"news/{slug}", title=title, paragraphs=paras, authors=["Jane Doe"])
        urls[slug] = art.url
        if kind is not None:
            if slug == "rate-limited-date":
                params = {**params, "retry_after": format_datetime(datetime.now(UTC) + timedelta(seconds=4),
                                                                   usegmt=True)}
            site.fault(art.path, kind, times=times, **params)
    site.fault("/news/cycle-b", "redirect", times=None, to="/news/redirect-cycle")
    return urls


@pytest.fixture(scope="module")
def faulty_pass(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One pass over every case (module-scoped: the whole table costs one pass of about 15 s)."""
    tmp = tmp_path_factory.mktemp("fetchfaults")
    db = f"sqlite:///{tmp / 'archive.sqlite3'}"
    with SimWeb() as web:
        site = web.add_site("daily")
        urls = _build(site)
        cfg = write_config(tmp / "s.yaml", [{"name": "faulty", "kind": "urls", "urls": list(urls.values())}],
                           timeout="3s", retries=2, max_bytes="1MB")
        result = cli("run", "--once", "--config", str(cfg), "--db", db, timeout=180)
        export = jsonl(cli("export", "--db", db).stdout)
        return {"urls": urls, "db": db, "result": result, "export": export, "log": fetch_log(db),
                "failed": fetch_log(db, failed=True), "site": site}


def test_pass_completes_and_reports(faulty_pass: Any) -> None:
    res = faulty_pass["result"]
    assert res.returncode == 0 and "pass complete" in res.stdout
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("slug", CASES)
def test_each_fault_archived_or_logged(faulty_pass: Any, slug: str) -> None:
    url, expected = faulty_pass["urls"][slug], CASES[slug][3]
    rows = [f for f in faulty_pass["log"] if f["requested_url"] == url]
    versions = [v for v in faulty_pass["export"] if v["url"] == url]
    failed = [f for f in faulty_pass["failed"] if f["requested_url"] == url]
    assert rows
    if expected == "ok":
        assert not failed, failed
        assert [v["version"] for v in versions] == [1]
    else:
        assert len(rows) == 1 and rows[0]["error"] == expected, rows  # one failed fetch, retries inside it
        assert failed == rows and versions == []


def test_retries_and_retry_after(faulty_pass: Any) -> None:
    by_url = {f["requested_url"]: f for f in reversed(faulty_pass["log"])}  # each URL's first fetch
    urls = faulty_pass["urls"]
    assert by_url[urls["busy-503-twice"]]["attempts"] == 3
    assert by_url[urls["always-503"]]["attempts"] == 3 and by_url[urls["always-503"]]["status"] == 503
    assert by_url[urls["not-found"]]["attempts"] == 1  # a 404 is not retried
    seconds = by_url[urls["rate-limited-seconds"]]
    assert seconds["attempts"] == 2 and seconds["duration_ms"] >= 1000  # it waited Retry-After: 1
    assert by_url[urls["rate-limited-date"]]["attempts"] == 2


@pytest.mark.parametrize("slug", LANG)
def test_charsets_decoded(faulty_pass: Any, slug: str) -> None:
    (v,) = [v for v in faulty_pass["export"] if v["url"] == faulty_pass["urls"][slug]]
    for p in LANG[slug]:
        assert p in v["text"], v["text"][:300]
    assert "\ufffd" not in v["text"] and v["title"] == TITLES[id(LANG[slug])]


def test_malformed_markup_still_yields_the_article(faulty_pass: Any) -> None:
    (v,) = [v for v in faulty_pass["export"] if v["url"] == faulty_pass["urls"]["malformed-markup"]]
    assert "approved the new budget" in v["text"] and "ageing water pipes" in v["text"]


def test_nothing_archived_twice(faulty_pass: Any) -> None:
    counts = archive_invariants(faulty_pass["db"])
    ok = {faulty_pass["urls"][s] for s, c in CASES.items() if c[3] == "ok"}
    assert set(counts.values()) == {1}
    assert set(counts) == ok


def test_memory_bounded_under_bombs(faulty_pass: Any) -> None:
    # Both bombs inflate to 256 MiB and the endless body never ends; the child stays below one bomb's size.
    # (About 100 MB of it is the program itself: SQLAlchemy, httpx, numpy, lxml.)
    print(f"run --once peak RSS under the bombs: {faulty_pass['result'].max_rss_mb:.1f} MB")  # pytest -s
    assert faulty_pass["result"].max_rss_mb < 250, faulty_pass["result"].max_rss_mb



def test_utf8_body_under_a_stale_legacy_label() -> None:
    """Unit check of the charset rule the header-lies-1251 case needs (worker/fetch/charset.py)."""
    from worker.fetch import decode_html

    body = ("<html><head><meta charset='windows-1251'></head><body><p>" + " ".join(RU) + "</p></body></html>")
    for ctype in ("text/html; charset=windows-1251", "text/html; charset=iso-8859-1", "text/html"):
        assert RU[0] in decode_html(body.encode("utf-8"), ctype)
    assert RU[0] in decode_html(body.encode("cp1251"), "text/html; charset=windows-1251")  # still right


def test_article_that_failed_transiently_is_fetched_by_the_next_pass(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        arts = [site.add_article(f"news/t{i}", title=f"T{i}", paragraphs=PARAS[i]) for i in range(3)]
        site.fault(arts[0].path, "status", times=None, status=503)
        site.fault(arts[1].path, "reset", times=None)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "f", "kind": "feed", "url": site.url("/feed.xml")}],
                           retries=0)
        db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
        cli("run", "--once", "--config", str(cfg), "--db", db)
        assert set(archive_invariants(db)) == {arts[2].url}
        site.clear_faults()  # the outage is over; the feed itself has not changed
        cli("run", "--once", "--config", str(cfg), "--db", db)
        assert set(archive_invariants(db)) == {a.url for a in arts}
