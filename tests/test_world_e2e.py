"""Every script, end to end (issue #15): a simulated web in English, Japanese, Chinese, Thai, Korean, Arabic,
Russian, Turkish and Azerbaijani (chrome, title separators and visible dates in each language, no
machine-readable dates), archived through the real CLI on SQLite and PostgreSQL, then revisited with:
  - cosmetic re-encodings (full-width digits made ASCII, a soft hyphen, a word joiner, a BOM) and a renamed
    site: never a version;
  - a wall in the page's own language served with status 200: a failed fetch of its kind, never a version;
  - a one-word edit: always a version, whose diff marks that word alone;
and a copy reworded once per paragraph under another site's URL: linked as a near-duplicate, unrelated
stories not. Search finds words inside spaceless text; titles, dates and languages come out right."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.simweb import SimWeb
from tests.simweb_world import HEADLINES, LANGS, published, reworded, story, world_site
from tests.test_e2e import by_url, jsonl, newsarchive, write_config
from worker.changes import word_diff
from worker.web.app import create_app

WALLS = Path(__file__).with_name("pages_walls")


def cosmetic(paragraphs: list[str]) -> list[str]:
    """The same text in another encoding: ASCII digits for full-width ones, invisible characters added."""
    out = [p.replace("（２０２６）", "(2026)") for p in paragraphs]
    out[2] = out[2][:3] + "\u00ad" + out[2][3:]
    out[3] = "\ufeff" + out[3].replace(" ", " \u2060", 1)
    out[4] = out[4] + "\u200b"
    return out


def test_every_script_end_to_end(tmp_path: Path, db_url: str) -> None:
    with SimWeb() as web:
        arts, sources = {}, []
        for code, lang in LANGS.items():
            site, wire = world_site(web, code), world_site(web, code, f"{code}-wire")
            when = published()
            titles = HEADLINES[code]
            a_text = story(lang, 1)
            a_text[1] = "（２０２６）" + a_text[1]
            arts[code] = {
                "edited": site.add_article("news/edited", title=titles[0], paragraphs=story(lang, 0, lead=True),
                                           published=when, subheading=None, bullets=[]),
                "cosmetic": site.add_article("news/cosmetic", title=titles[1], paragraphs=a_text, published=when,
                                             subheading=None, bullets=[]),
                "walled": site.add_article("news/walled", title=titles[2], paragraphs=story(lang, 2), published=when,
                                           subheading=None, bullets=[]),
                "unrelated": site.add_article("news/unrelated", title=titles[3], paragraphs=story(lang, 3),
                                              published=when, subheading=None, bullets=[]),
            }
            arts[code]["copy"] = wire.add_article("wire/copy", title=titles[1], paragraphs=reworded(lang, a_text, 7),
                                                  published=when, subheading=None, bullets=[])
            sources += [{"name": site.name, "kind": "feed", "url": site.url("/feed.xml")},
                        {"name": wire.name, "kind": "feed", "url": wire.url("/feed.xml")}]
        cfg = write_config(tmp_path / "s.yaml", sources, revisit="[1h]")
        base = ["--config", str(cfg), "--db", db_url]
        newsarchive("run", "--once", *base)
        first = by_url(jsonl(newsarchive("export", *base).stdout))

        for code, lang in LANGS.items():
            a = arts[code]
            a["edited"].site.title = lang.renamed  # a rebranded site: every title's suffix changes
            a["cosmetic"].edit(paragraphs=cosmetic(a["cosmetic"].paragraphs))
            a["edited"].edit(paragraphs=[a["edited"].paragraphs[0].replace(lang.old, lang.new, 1),
                                         *a["edited"].paragraphs[1:]])
            a["walled"].site.fault(a["walled"].path, "body", times=None,
                                   body=(WALLS / f"{lang.wall}.html").read_text(encoding="utf-8"))
            for k in ("walled", "unrelated"):  # listed as updated: fetched again whatever the revisit ages say
                a[k].edit()
        newsarchive("run", "--once", *base)
        final = by_url(jsonl(newsarchive("export", *base).stdout))
        fetches = jsonl(newsarchive("fetches", *base).stdout)
        failed = {f["requested_url"]: f["error"] for f in fetches if f["error"]}

    problems: list[str] = []
    for code, lang in LANGS.items():
        a = arts[code]
        wall_kind = json.loads((WALLS / f"{lang.wall}.json").read_text(encoding="utf-8"))["kind"]
        counts = {k: len(final[v.url]) for k, v in a.items()}
        if counts != {"edited": 2, "cosmetic": 1, "walled": 1, "unrelated": 1, "copy": 1}:
            problems.append(f"{code}: versions {counts}")
        if failed.get(a["walled"].url) != wall_kind:
            seen = [(f["purpose"], f["status"], f["error"]) for f in fetches if f["requested_url"] == a["walled"].url]
            problems.append(f"{code}: the wall was {failed.get(a['walled'].url)!r}, not {wall_kind!r}: {seen}")
        v1, v2 = final[a["edited"].url][:2]
        diff = word_diff(v1["text"], v2["text"])
        marked = ([t.strip() for k, t in diff if k == "delete"], [t.strip() for k, t in diff if k == "insert"])
        # one word each way, the one edited (a segmenter may keep a suffix with it: 北京市 -> 上海市)
        if not (len(marked[0]) == len(marked[1]) == 1 and lang.old in marked[0][0] and lang.new in marked[1][0]):
            problems.append(f"{code}: the diff marks {marked}, not {lang.old} -> {lang.new}")
        change = v2["change"]
        if "title" in change["fields"] or change.get("words_added", 99) > 2 or change.get("words_removed", 99) > 2:
            problems.append(f"{code}: change {change}")
        near = {n["url"] for n in first[a["cosmetic"].url][0]["near_duplicates"]}
        if near != {a["copy"].url}:
            problems.append(f"{code}: near-duplicates of the copied story {near}")
        for k in ("edited", "unrelated", "walled"):
            if first[a[k].url][0]["near_duplicates"]:
                problems.append(f"{code}: {k} has near-duplicates")
        for k, art in a.items():
            v = first[art.url][0]
            if v["title"] != art.title:
                problems.append(f"{code}: title {v['title']!r} for {art.title!r}")
            if v["language"] != code:
                problems.append(f"{code}: language {v['language']!r} for {k}")
            if (v["published_at"] or "")[:10] != art.published.date().isoformat():
                problems.append(f"{code}: published {v['published_at']!r} for {art.published.date()}")

    with TestClient(create_app(db_url)) as client:
        for code, lang in LANGS.items():
            for q in lang.queries:
                found = {i["url"] for i in client.get("/api/articles", params={"q": q}).json()["items"]}
                if found != {arts[code]["edited"].url}:
                    problems.append(f"{code}: search {q!r} found {sorted(found)}")
    assert not problems, "\n".join(problems)
