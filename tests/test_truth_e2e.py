"""Version truth end to end (issue #8): walls served on revisits never become versions, a real edit
does, near-duplicates are linked, and a source whose selectors stop matching is reported degraded."""

from __future__ import annotations

import random
import time
from pathlib import Path
from string import Template

from tests.simweb import TEMPLATE_DIR, SimWeb
from tests.test_e2e import by_url, jsonl, newsarchive, write_config

WALLS = Path(__file__).with_name("pages_walls")
WORDS = ("harbour council budget river storm museum railway school hospital market energy police court "
         "election farmers bridge airport festival library university workers tourism water coast village "
         "minister mayor report study data plan project weather season visitors residents officials").split()


def paragraphs(seed: int, n: int = 8) -> list[str]:
    """Long, distinct, plausible paragraphs (articles of a few hundred words)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(40)]
        out.append(f"Paragraph {i} of story {seed}: " + " ".join(words).capitalize() + ".")
    return out


def wall(name: str) -> str:
    return (WALLS / f"{name}.html").read_text(encoding="utf-8")


def test_walls_are_failed_fetches_and_edits_are_versions(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        arts = [site.add_article(f"news/story-{i}", title=f"Story number {i} about the harbour",
                                 paragraphs=paragraphs(i), authors=["Jane Doe"]) for i in range(7)]
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           revisit="[1s, 2s, 3s, 4s, 5s, 6s]")
        base = ["--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}"]
        newsarchive("run", "--once", *base)
        assert len(jsonl(newsarchive("export", *base).stdout)) == 7

        # revisits: five articles answer with walls, one is really edited, one is left alone
        site.fault(arts[0].path, "body", times=None, status=403, body=wall("en_challenge_cf_style_403"))
        site.fault(arts[1].path, "body", times=None, body=wall("en_challenge_cf_style_200"))
        site.fault(arts[2].path, "body", times=None, body=wall("en_consent_before_you_continue"))
        site.fault(arts[3].path, "body", times=None, body=wall("en_paywall_jsonld"))
        site.fault(arts[4].path, "body", times=None, body=wall("en_error_something_went_wrong"))
        edited = list(arts[5].paragraphs)
        edited[2] = edited[2].replace("Paragraph 2", "Corrected paragraph 2")
        arts[5].edit(title="Story number 5 about the harbour, updated", paragraphs=edited)
        time.sleep(1.5)
        newsarchive("run", "--once", *base)

        versions = by_url(jsonl(newsarchive("export", *base).stdout))
        for art in arts[:5] + arts[6:]:
            assert [v["version"] for v in versions[art.url]] == [1], art.url
        fifth = versions[arts[5].url]
        assert [v["version"] for v in fifth] == [1, 2]
        change = fifth[1]["change"]
        assert set(change["fields"]) >= {"title", "body"} and change["words_added"] > 0
        assert fifth[0]["change"]["fields"] == []

        failed = {f["requested_url"]: f["error"] for f in jsonl(newsarchive("fetches", "--failed", *base).stdout)}
        assert failed[arts[0].url] == "blocked"
        assert failed[arts[1].url] == "blocked"
        assert failed[arts[2].url] == "consent"
        assert failed[arts[3].url] == "paywall"
        assert failed[arts[4].url] == "error"


def test_near_duplicates_are_linked(tmp_path: Path) -> None:
    with SimWeb() as web:
        wire, local = web.add_site("wire"), web.add_site("local")
        story = wire.add_article("wire/flood", title="Floods close the coast road", paragraphs=paragraphs(101))
        # the same wire story with a local intro and its last paragraph trimmed: nearly the same text
        local_version = local.add_article(
            "local/flood", title="Floods close the coast road near us",
            paragraphs=["Residents of our valley were among those affected, the town hall said."]
            + story.paragraphs[:-1])
        unrelated = local.add_article("local/fair", title="Autumn fair opens", paragraphs=paragraphs(202))
        cfg = write_config(tmp_path / "s.yaml", [
            {"name": "wire", "kind": "feed", "url": wire.url("/feed.xml")},
            {"name": "local", "kind": "feed", "url": local.url("/feed.xml")}])
        base = ["--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}"]
        newsarchive("run", "--once", *base)
        rows = by_url(jsonl(newsarchive("export", *base).stdout))
        (a,), (b,), (c,) = rows[story.url], rows[local_version.url], rows[unrelated.url]
        assert [n["url"] for n in a["near_duplicates"]] == [local_version.url]
        assert [n["url"] for n in b["near_duplicates"]] == [story.url]
        assert b["near_duplicates"][0]["similarity"] >= 0.7 and b["duplicate_of"] is None
        assert c["near_duplicates"] == []


def test_source_whose_selectors_stop_matching_is_degraded(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily", template="daily")
        arts = [site.add_article(f"news/item-{i}", title=f"Item {i} of the day", paragraphs=paragraphs(300 + i))
                for i in range(3)]
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml"),
                                                  "extract": {"body": ".story__body"}}], revisit="[1s]")
        base = ["--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}"]
        newsarchive("run", "--once", *base)
        assert newsarchive("status", *base).stdout.rstrip().endswith("healthy")
        # a redesign: the site now renders its articles with another template
        site._article = Template((TEMPLATE_DIR / "herald" / "article.html").read_text("utf-8"))
        site._page = Template((TEMPLATE_DIR / "herald" / "page.html").read_text("utf-8"))
        arts[0].edit(title="Item 0 of the day, corrected")
        time.sleep(1.2)
        newsarchive("run", "--once", *base)
        status = newsarchive("status", *base).stdout
        assert "NEEDS ATTENTION: extraction degraded" in status and ".story__body" in status
        # the generic extractor took over: the edit is archived all the same
        rows = by_url(jsonl(newsarchive("export", *base).stdout))
        assert rows[arts[0].url][-1]["title"] == "Item 0 of the day, corrected"
        assert arts[0].paragraphs[0] in rows[arts[0].url][-1]["text"]
