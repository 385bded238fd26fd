"""Extractor upgrades never make versions (issue #14): an archive made by another extractor, revisited by
today's with every page unchanged, gets no new version; a real one-sentence edit gets one.

The first pass runs the real CLI with a deliberately different extractor swapped in (EXTRACTOR_VERSION 1,
leaving an "Advertisement" line in every body, as an older extractor that let boilerplate through would);
the revisits run today's, unpatched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from tests.simweb import SimWeb
from tests.test_e2e import by_url, jsonl, newsarchive, write_config
from tests.test_truth_e2e import paragraphs
from worker.extract import EXTRACTOR_VERSION
from worker.store.models import VersionRestatement

OLD_EXTRACTOR = """
import sys
from dataclasses import replace
import worker.examine as examine
from worker.extract import extract as today

def old_extract(html, url=None, rules=None):
    ex = today(html, url, rules)
    parts = ex.text.split("\\n\\n")
    return replace(ex, text="\\n\\n".join(parts[:1] + ["Advertisement"] + parts[1:]), extraction_method=None)

examine.extract, examine.EXTRACTOR_VERSION = old_extract, 1
from worker.cli import main
sys.exit(main(sys.argv[1:]))
"""


def old_newsarchive(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-c", OLD_EXTRACTOR, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NEWSARCHIVE_EXAMINERS": "0"}, cwd=Path(__file__).parents[1])
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_an_extractor_upgrade_makes_no_version_and_an_edit_does(tmp_path: Path, db_url: str) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        arts = [site.add_article(f"news/story-{i}", title=f"Story {i} about the river", paragraphs=paragraphs(500 + i))
                for i in range(20)]
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           revisit="[1s, 2s, 3s, 4s, 5s, 6s]")
        base = ["--config", str(cfg), "--db", db_url]
        newsarchive("db", "upgrade", "--db", db_url)
        old_newsarchive("run", "--once", *base)
        made = by_url(jsonl(newsarchive("export", *base).stdout))
        assert all(vs[0]["provenance"]["extractor_version"] == 1 and "Advertisement" in vs[0]["text"]
                   for vs in made.values()) and len(made) == 20

        time.sleep(1.2)
        newsarchive("run", "--once", *base)  # today's extractor, every page unchanged
        after = by_url(jsonl(newsarchive("export", *base).stdout))
        assert {len(vs) for vs in after.values()} == {1}, "an extractor upgrade made versions"
        assert all(vs[0]["provenance"]["extractor_version"] == EXTRACTOR_VERSION for vs in after.values())
        assert all("Advertisement" not in vs[0]["text"] for vs in after.values())
        assert all(vs[0]["content_hash"] != made[u][0]["content_hash"] for u, vs in after.items())

        for art in arts[:15]:  # one sentence edited in 15 of them
            edited = list(art.paragraphs)
            edited[3] = edited[3].replace("Paragraph 3 of story", "Paragraph 3, corrected, of story")
            art.edit(paragraphs=edited)
        time.sleep(2.2)
        newsarchive("run", "--once", *base)
        final = by_url(jsonl(newsarchive("export", *base).stdout))
        assert sum(len(vs) - 1 for vs in final.values()) == 15
        for art in arts[:15]:
            change = final[art.url][1]["change"]
            assert "title" not in change["fields"] and (change["words_added"], change["words_removed"]) == (1, 0), change  # "corrected" added

    engine = create_engine(db_url)
    with engine.connect() as c:  # every version was restated once, and what it said before was kept
        rows = c.execute(select(VersionRestatement.old_extractor_version, VersionRestatement.old_text)).all()
        assert len(rows) == 20 and all(r.old_extractor_version == 1 and "Advertisement" in r.old_text for r in rows)
        assert c.execute(select(func.count()).select_from(VersionRestatement)).scalar() == 20
    engine.dispose()
