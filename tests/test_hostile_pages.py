"""Bounded cost per page, through the real command: pages built to make parsing cost minutes are
failed fetches of kind `too_complex` and the pass goes on to archive the others.

- nested 64,000 deep: refused by the caps before any parsing (worker/extract/complexity.py);
- 60,000 `<option>`s, within the caps but minutes of lexbor's time: its examining process is killed at
  the budget (NEWSARCHIVE_PAGE_SECONDS, 3 s here) and a fresh one takes the next page;
- a section page nested 64,000 deep: its listing is refused by the same caps, off the event loop;
- in one process (NEWSARCHIVE_EXAMINERS=0) the caps hold all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_faults_helpers import PARAS, archive_invariants, cli, fetch_log, jsonl, write_config
from worker.examine import examine
from worker.extract.complexity import Limits, measure
from worker.values import Fetched


def deep(depth: int, inner: str = "") -> bytes:
    para = "<p>" + " ".join(PARAS[0]) + "</p>"
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + para + inner + "</div>" * depth
            + "</body></html>").encode()


def options(n: int) -> bytes:
    para = "<p>" + " ".join(PARAS[1]) + "</p>"
    return (f"<html><head><title>Options</title></head><body><article>{para}<select>" + "<option>x" * n
            + "</select></article></body></html>").encode()


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


@pytest.mark.parametrize("examiners", ["1", "0"])
def test_hostile_pages_are_too_complex_and_the_pass_goes_on(web: SimWeb, tmp_path: Path, examiners: str) -> None:
    site = web.add_site("daily")
    good = [site.add_article(f"news/story-{i}", title=f"Story {i}", paragraphs=PARAS[i % len(PARAS)]) for i in range(3)]
    hostile = {"deep": site.add_article("news/deep", title="Deep", paragraphs=PARAS[0])}
    site.fault(hostile["deep"].path, "body", times=None, body=deep(64_000))
    if examiners != "0":  # the budget needs a process to kill
        hostile["options"] = site.add_article("news/options", title="Options", paragraphs=PARAS[1])
        site.fault(hostile["options"].path, "body", times=None, body=options(60_000))
    links = "".join(f'<a href="{a.url}">{a.title}</a>' for a in good)
    site.fault("/section-hostile/", "body", times=None, body=deep(64_000, links))
    cfg = write_config(tmp_path / "s.yaml", [
        {"name": "daily", "kind": "feed", "url": site.url("/feed.xml")},
        {"name": "section", "kind": "page", "url": site.url("/section-hostile/"), "links": "a"},
    ], per_host_concurrency=2)
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    env = {"NEWSARCHIVE_EXAMINERS": examiners, "NEWSARCHIVE_PAGE_SECONDS": "3"}
    res = cli("run", "--once", "--config", str(cfg), "--db", db, env=env, timeout=100)
    assert "pass complete" in res.stdout

    failed = {f["requested_url"]: f for f in fetch_log(db, failed=True)}
    for art in hostile.values():
        assert failed[art.url]["error"] == "too_complex", failed.get(art.url)
    assert "nested more than" in failed[hostile["deep"].url]["error_detail"]
    if "options" in hostile:
        assert "took more than 3 s" in failed[hostile["options"].url]["error_detail"]
    assert failed[site.url("/section-hostile/")]["error"] == "too_complex"
    archived = {a["url"] for a in jsonl(cli("export", "--db", db).stdout)}
    assert archived == {a.url for a in good}
    archive_invariants(db)


def _fetched(body: bytes) -> Fetched:
    from datetime import UTC, datetime

    return Fetched(requested_url="https://n.example/a", final_url="https://n.example/a", status=200, body=body,
                   content_type="text/html", fetched_at=datetime(2026, 1, 1, tzinfo=UTC), purpose="article",
                   duration_ms=1, attempts=1)


def test_depth_is_measured_as_a_tree_builder_nests() -> None:
    assert measure("<div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x></div>") == (2, 8)
    assert measure("<div><span><b>unclosed</div><div>next</div>")[0] == 3  # </div> closes what it holds
    assert measure("<script>for (i=0;i<n;i++) { s += '<div>' }</script><div></div>") == (1, 2)
    assert measure("<!-- <div><div><div> --><div></div>") == (1, 1)
    assert measure("<svg>" + "<path d='M0'/>" * 50 + "</svg>")[0] == 1  # self-closed in svg
    assert measure("<div/>" * 50)[0] == 50  # not in HTML: an open div
    assert measure("</div></span>" * 10 + "<div>")[0] == 1  # stray end tags close nothing


def test_the_caps_refuse_before_parsing_and_zero_lifts_them() -> None:
    assert Limits(2_000, 300_000).exceeded(deep(64_000).decode()) == "elements nested more than 2,000 deep"
    assert Limits(0, 1_000).exceeded(options(6_000).decode()) == "more than 1,000 elements"
    assert Limits(10, 10).exceeded(deep(4_000).decode()) is None  # too few tags to be costly: not measured
    assert Limits(0, 0).exceeded(deep(64_000).decode()) is None
    assert Limits().exceeded(deep(1_000).decode()) is None
    seen = examine(_fetched(deep(5_000)), "https://n.example/a", None, None, Limits(max_depth=4_000))
    assert seen.extracted is None and seen.fetched.error == "too_complex"
    ok = examine(_fetched(deep(3_000)), "https://n.example/a", None, None, Limits(max_depth=4_000))
    assert ok.extracted is not None and ok.fetched.error is None


async def test_listings_are_parsed_off_the_event_loop_within_the_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from worker import discover
    from worker.examiners import Examiner, TooComplex

    threads: list[int] = []

    def recording(body: bytes, base: str) -> list[object]:
        threads.append(threading.get_ident())
        return []

    monkeypatch.setattr(discover, "parse_feed", recording)
    for processes in (0, 1):  # feeds and sitemaps: in a thread of this process, examining processes or not
        threads.clear()
        examiner = Examiner(processes=processes)
        try:
            await examiner.parse_listing("feed", b"<rss/>", "https://n.example/")
        finally:
            examiner.close()
        assert threads and threads[0] != threading.get_ident()
    section = deep(64_000, '<a href="/news/a">A</a>').decode()
    for processes in (0, 1):
        examiner = Examiner(processes=processes)
        try:
            with pytest.raises(TooComplex, match="nested more than 2,000 deep"):
                await examiner.parse_listing("page", section, "https://n.example/", "a")
            links = await examiner.parse_listing("page", '<a href="/news/a">A</a>', "https://n.example/", "a")
            assert [ln.url for ln in links] == ["https://n.example/news/a"]  # type: ignore[union-attr]
        finally:
            examiner.close()


@pytest.mark.parametrize("env", [{"NEWSARCHIVE_PAGE_SECONDS": "ten"}, {"NEWSARCHIVE_PAGE_MAX_DEPTH": "-1"}])
def test_a_bad_limit_is_one_clear_line(tmp_path: Path, env: dict[str, str]) -> None:
    config = tmp_path / "s.yaml"
    config.write_text("sources:\n  - {name: a, kind: urls, urls: ['https://news.example/a']}\n")
    res = cli("run", "--once", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", check=False,
              env=env)
    (name, value), = env.items()
    assert res.returncode == 2 and f"{name}={value!r}: give a number, 0 or more" in res.stderr
    assert "Traceback" not in res.stderr
