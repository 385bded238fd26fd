"""`run --once --recheck`: an edit no listing announced is seen now, not at the next revisit age (issue 16)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, write_config


def _versions(db: str) -> dict[str, int]:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as c:
            rows = c.execute(sa.text("SELECT a.url, count(v.id) FROM articles a JOIN versions v ON v.article_id = a.id "
                                     "GROUP BY a.url"))
            return {url.rsplit("/", 1)[1]: n for url, n in rows}
    finally:
        engine.dispose()


def test_recheck_fetches_known_articles_now_and_sees_a_silent_edit(db_url: str, tmp_path: Path) -> None:
    with SimWeb() as web:
        site, other = web.add_site("daily"), web.add_site("weekly")
        edited = site.add_article("news/edited", title="A story", paragraphs=PARAS[0])
        site.add_article("news/kept", title="Another story", paragraphs=PARAS[1])
        other.add_article("news/elsewhere", title="Elsewhere", paragraphs=PARAS[2])
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")},
                                                 {"name": "weekly", "kind": "feed", "url": other.url("/feed.xml")}])
        cli("run", "--once", "--config", str(cfg), "--db", db_url)
        assert _versions(db_url) == {"edited": 1, "kept": 1, "elsewhere": 1}
        # a silent edit: the body changes, the feed does not (same modified date)
        edited.edit(paragraphs=[*PARAS[0][:-1], "The regional government now says repairs will take months."],
                    modified=edited.modified)
        fetched = len(site.paths())
        cli("run", "--once", "--config", str(cfg), "--db", db_url)  # no revisit age: the edit is not seen
        assert [p for p in site.paths()[fetched:] if p.startswith("/news/")] == []
        assert _versions(db_url)["edited"] == 1

        fetched, fetched_other = len(site.paths()), len(other.paths())
        res = cli("run", "--once", "--recheck", "--source", "daily", "--config", str(cfg), "--db", db_url)
        assert "recheck: 2 known articles to fetch again" in res.stderr
        assert sorted(p for p in site.paths()[fetched:] if p.startswith("/news/")) == ["/news/edited", "/news/kept"]
        assert not [p for p in other.paths()[fetched_other:] if p.startswith("/news/")]  # only the named source
        assert _versions(db_url) == {"edited": 2, "kept": 1, "elsewhere": 1}
        cli("run", "--once", "--config", str(cfg), "--db", db_url)  # the recheck is done: nothing due again
        assert _versions(db_url) == {"edited": 2, "kept": 1, "elsewhere": 1}


def test_recheck_needs_once(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": "http://127.0.0.1:9/feed.xml"}])
    res = cli("run", "--recheck", "--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", check=False)
    assert res.returncode == 2 and "--recheck goes with --once" in res.stderr
