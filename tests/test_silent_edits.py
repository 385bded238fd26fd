"""Silent or acknowledged edits (worker/acknowledged.py): the verdict and its signals, correction notes
kept by the extractor whatever box they stand in, and the verdict end to end: a simulated site's
revisits through the real CLI's export (SQLite and PostgreSQL), the API, the browser's changes page and
its Atom feed over HTTP, and a webhook asking for `events: [silent_edit]`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.simweb import SimWeb
from tests.test_e2e import jsonl, newsarchive
from worker import acknowledged
from worker.acknowledged import Snapshot, headline_markers, notes, verdict
from worker.extract import extract
from worker.notify import version_event, wanted

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)

# (language, paragraphs, the edited paragraph's new text, the correction note added with the edit)
STORIES = {
    "en": (["Heavy rain and winds of up to 120 km/h battered the northern coast overnight, officials said on Friday.",
            "Emergency services evacuated more than two thousand residents from low-lying villages near the river.",
            "The regional government said damage to roads and power lines would take weeks to repair fully."],
           "Emergency services evacuated nearly three thousand residents from low-lying villages near the river.",
           "Correction: An earlier version of this article misstated the number of residents evacuated."),
    "ru": (["Сильный ливень и ветер до 120 км/ч обрушились ночью на северное побережье, сообщили в пятницу власти.",
            "Спасатели эвакуировали более двух тысяч жителей из низменных деревень у реки.",
            "Региональное правительство заявило, что ремонт дорог и линий электропередачи займёт несколько недель."],
           "Спасатели эвакуировали почти три тысячи жителей из низменных деревень у реки.",
           "Исправлено: в первоначальной версии статьи было неверно указано число эвакуированных жителей."),
    "tr": (["Saatte 120 kilometreye varan rüzgar ve şiddetli yağış gece boyunca kuzey kıyısını vurdu, yetkililer Cuma günü açıkladı.",
            "Acil durum ekipleri nehir kenarındaki alçak köylerden iki binden fazla kişiyi tahliye etti.",
            "Bölge yönetimi, yollardaki ve elektrik hatlarındaki hasarın onarılmasının haftalar süreceğini söyledi."],
           "Acil durum ekipleri nehir kenarındaki alçak köylerden yaklaşık üç bin kişiyi tahliye etti.",
           "Düzeltme: Haberin önceki versiyonunda tahliye edilen kişi sayısı yanlış verilmişti."),
    "az": (["Saatda 120 kilometrə çatan külək və güclü yağış gecə şimal sahilini vurub, rəsmilər cümə günü bildirib.",
            "Fövqəladə hallar xidməti çay kənarındakı kəndlərdən iki mindən çox sakini təxliyə edib.",
            "Regional hökumət yolların və elektrik xətlərinin təmirinin həftələr çəkəcəyini açıqlayıb."],
           "Fövqəladə hallar xidməti çay kənarındakı kəndlərdən təxminən üç min sakini təxliyə edib.",
           "Düzəliş: Xəbərin əvvəlki versiyasında təxliyə edilən sakinlərin sayı səhv göstərilmişdi."),
    "ja": (["北部の沿岸に夜通し最大風速３３メートルの暴風と大雨が襲い、当局は金曜日に被害の状況を発表した。",
            "消防などは川沿いの低い地域の集落から二千人を超える住民を避難させた。",
            "県は道路と送電線の復旧には数週間かかる見通しだと明らかにした。"],
           "消防などは川沿いの低い地域の集落から約三千人の住民を避難させた。",
           "【訂正】当初の記事で避難した住民の数に誤りがありました。おわびして訂正します。"),
}


def snap(title: str, paragraphs: list[str], modified: datetime | None = None) -> Snapshot:
    return Snapshot(title, "\n\n".join(paragraphs), T0, modified)


# --- the verdict, pure ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", sorted(STORIES))
def test_a_correction_note_added_with_the_edit_acknowledges_it(language: str) -> None:
    paras, edited, note = STORIES[language]
    new = [paras[0], edited, paras[2], note]
    v = verdict(snap("Storm", paras), snap("Storm", new))
    assert (v["acknowledged"], v["silent"]) == (True, False)
    assert [(s["kind"], s["how"], s["note"]) for s in v["signals"]] == [("correction_note", "added", note)]


def test_a_silent_headline_change_and_a_silent_body_change() -> None:
    paras, edited, _ = STORIES["en"]
    v = verdict(snap("Storm hits coast", paras), snap("Storm batters coast, thousands flee", paras))
    assert v == {"acknowledged": False, "silent": True, "signals": []}
    v = verdict(snap("Storm", paras), snap("Storm", [paras[0], edited, paras[2]]))
    assert v == {"acknowledged": False, "silent": True, "signals": []}


def test_modified_time_moved_forward_or_appeared_after_publication() -> None:
    paras, edited, _ = STORIES["en"]
    old, new = snap("Storm", paras, T0), snap("Storm", [paras[0], edited, paras[2]], T0 + timedelta(hours=2))
    assert verdict(old, new)["signals"] == [{"kind": "modified_at", "old": "2026-12-01T08:00:00Z",
                                             "new": "2026-12-01T10:00:00Z"}]
    assert verdict(snap("Storm", paras), new)["signals"][0]["old"] is None  # appeared, after publication
    assert verdict(snap("Storm", paras), snap("Storm", [edited], T0))["silent"]  # dateModified == datePublished
    assert verdict(new, snap("Storm", paras, T0))["silent"]  # moved back: no acknowledgement


def test_an_unchanged_note_acknowledges_nothing_and_a_reworded_one_does() -> None:
    paras, edited, note = STORIES["en"]
    with_note = snap("Storm", [*paras, note])
    v = verdict(with_note, snap("Storm", [paras[0], edited, paras[2], note]))
    assert v["silent"] and not v["signals"]  # the old note still stands: this edit is unacknowledged
    longer = note.replace("evacuated.", "evacuated; it was nearly three thousand, not two.")
    v = verdict(with_note, snap("Storm", [*paras, longer]))
    assert [(s["kind"], s["how"]) for s in v["signals"]] == [("correction_note", "changed")]
    # a note trailing a paragraph is its own sentence: editing the paragraph's other words is silent
    trailing = paras[2] + " (This article has been updated to correct the number of residents.)"
    v = verdict(snap("Storm", [paras[0], paras[1], trailing]),
                snap("Storm", [paras[0], paras[1], trailing.replace("weeks", "months")]))
    assert v["silent"]
    assert verdict(with_note, snap("Storm", paras))["silent"]  # a correction removed without a word


def test_headline_markers() -> None:
    assert headline_markers("UPDATE 2-Stocks fall as rates rise") == ["UPDATE 2"]
    assert headline_markers("CORRECTED-Stocks fall") == ["CORRECTED"]
    assert headline_markers("Storm hits coast (updated)") == ["updated"]
    assert headline_markers("【更新】株価が急落") == ["更新"]
    assert headline_markers("[정정] 서울시 버스 요금") == ["정정"]
    assert headline_markers("Government updated its guidance on storms") == []
    assert headline_markers("Covid-19 cases rise again") == []
    paras = STORIES["en"][0]
    v = verdict(snap("Stocks fall", paras), snap("UPDATE 1-Stocks fall", paras))
    assert v["signals"] == [{"kind": "headline_marker", "marker": "UPDATE 1"}]
    v = verdict(snap("UPDATE 1-Stocks fall", paras), snap("UPDATE 2-Stocks fall", paras))
    assert v["acknowledged"]
    v = verdict(snap("UPDATE 2-Stocks fall", paras), snap("UPDATE 2-Stocks slump", paras))
    assert v["silent"]


@pytest.mark.parametrize("text", [
    "Correction, Dec. 4, 2026: The vote was held on Tuesday, not Monday.",
    "Update (14:30 GMT): Police now say three people died.",
    "Editor's note: This story has been updated to include the mayor's response.",
    "Clarification: The company's figures refer to the third quarter.",
    "This article was amended on 4 December 2026 to correct the spelling of a name.",
    "Mise à jour : la préfecture a confirmé le bilan.",
    "Aktualisiert: Die Polizei hat inzwischen drei Festnahmen bestätigt.",
    "Actualización: la policía confirmó tres detenciones.",
    "تصحيح: ورد في نسخة سابقة من هذا المقال أن عدد الضحايا عشرة.",
    "اصلاحیه: در نسخه قبلی این خبر تعداد قربانیان اشتباه ذکر شده بود.",
    "更正：本文此前版本中的伤亡人数有误，特此更正。",
    "[정정] 이 기사는 수정되었습니다. 버스 요금은 200원 인상됩니다.",
    "Koreksi: Berita ini telah diperbarui untuk memperbaiki jumlah korban.",
    "सुधार: इस खबर के पिछले संस्करण में मृतकों की संख्या गलत थी।",
    "Sprostowanie: w pierwotnej wersji tekstu podaliśmy błędną liczbę ofiar.",
    "Виправлено: у попередній версії статті була неправильно вказана кількість жертв.",
    "Correctie: in een eerdere versie van dit artikel stond een verkeerd aantal.",
    "Đính chính: Bài viết đã được cập nhật số người thiệt mạng.",
    "แก้ไข: ข่าวนี้ได้รับการแก้ไขจำนวนผู้เสียชีวิต",
    "Correção: uma versão anterior deste texto informava um número errado de vítimas.",
    "Rettifica: in una precedente versione di questo articolo il numero era errato.",
])
def test_notes_in_many_languages(text: str) -> None:
    assert notes(text), text


@pytest.mark.parametrize("text", [
    "Update the app now, officials urged, because the old version has a flaw that attackers already use.",
    "The company updated its forecast: sales will rise by a tenth next year.",
    "Stocks fell on Monday in what analysts called a long overdue market correction of the tech rally.",
    "更新日時：2026年12月4日",
    "정정당당하게 싸우겠다고 그는 말했다.",
])
def test_article_sentences_are_not_notes(text: str) -> None:
    assert not notes(text), text


def test_no_note_or_mark_in_the_extraction_test_articles() -> None:
    """Full articles of nine languages, chrome and all, with no correction in them: none is found."""
    pages = sorted((ROOT / "tests" / "pages").glob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        meta = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        ex = extract(page.read_text(encoding="utf-8"), meta["url"])
        assert not notes(ex.text) and not headline_markers(ex.title), page.name


# --- extraction keeps the note ---------------------------------------------------------------------------

BODY = "".join(f"<p>{p}</p>" for p in STORIES["en"][0] * 2)


@pytest.mark.parametrize("box", [
    '<aside class="correction"><p>Correction: An earlier version of this article misstated the date.</p></aside>',
    "<footer><p>Correction: An earlier version of this article misstated the date of the vote.</p></footer>",
    '<div class="disclaimer">This article was amended on 4 December 2026 to correct the date.</div>',
    "<p>Updated: police now say three people died in the storm.</p>",
    '<div class="story-update"><strong>UPDATE:</strong> This story has been updated with new figures.</div>',
])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_extraction_keeps_a_correction_note_whatever_box_it_stands_in(box: str, where: str) -> None:
    body = box + BODY if where == "top" else BODY + box
    html = f"<html><body><article><h1>Storm</h1><div class='story__body'>{body}</div></article></body></html>"
    text = extract(html, "https://example.com/2026/12/04/storm").text
    assert notes(text), text


@pytest.mark.parametrize("line", ["Updated 4 December 2026, 14:30", "Updated 5 minutes ago",
                                  "Обновлено 21.11.2026, 10:30", "Updated at 14:30 GMT on 4 December"])
def test_an_updated_dateline_still_leaves_the_body(line: str) -> None:
    html = f"<html><body><article><h1>Storm</h1><div class='story__body'>{BODY}<p>{line}</p></div></article></body></html>"
    assert line not in extract(html, "https://example.com/2026/12/04/storm").text


def test_silent_edit_webhook_filter() -> None:
    def event(silent: bool, kind: str = "new_version") -> dict[str, Any]:
        return version_event(kind, source="s", url="u", version=2, title="t", content_hash="0" * 64,
                             change={"fields": ["title"], "acknowledged": not silent, "silent": silent, "signals": []})
    assert wanted(("silent_edit",), event(True)) and not wanted(("silent_edit",), event(False))
    assert wanted(("new_version",), event(False)) and wanted(("new_version", "silent_edit"), event(True))
    assert not wanted(("silent_edit",), event(False, "new_article"))


# --- end to end: a simulated site's revisits, the CLI's export, the API and the feed over HTTP -----------

class Hooks:
    """A webhook receiver on 127.0.0.1: the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hooks.bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0")))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    h = Hooks()
    yield h
    h.close()


def _config(path: Path, feed: str, hook: str) -> str:
    path.write_text("\n".join([
        "defaults:", "  every: 15m", "  revisit: [8s]", "  timeout: 10s", "  retries: 1", "  per_host_delay: 0s",
        "  per_host_concurrency: 4", "  allow_private_networks: true", "sources:", "  - name: daily", "    kind: feed",
        f"    url: {feed}", "    notify:", f"      url: {hook}", "      events: [silent_edit]"]) + "\n")
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Any]:
    procs: list[subprocess.Popen[str]] = []

    def start(db: str) -> str:
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "worker", "serve", "--db", db, "--port", str(port)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("serve did not come up")

    yield start
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=20)


def test_silent_and_acknowledged_edits_end_to_end(db_url: str, tmp_path: Path, hooks: Hooks, serve: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with SimWeb() as web:
        daily = web.add_site("daily", template="daily")
        arts = {lang: daily.add_article(f"world/storm-{lang}", title=f"Storm hits coast ({lang})", paragraphs=paras,
                                        published=T0, authors=["Jane Doe"])
                for lang, (paras, _, _) in STORIES.items()}
        en = STORIES["en"][0]
        headline = daily.add_article("world/headline", title="Minister resigns over budget", paragraphs=en,
                                     published=T0)
        dated = daily.add_article("world/dated", title="Storm: the figures", paragraphs=en, published=T0)
        boxed = daily.add_article("world/boxed", title="Storm: the boxed note", paragraphs=en, published=T0)
        first_note = "Correction: An earlier version of this article misstated the date of the storm."
        noted = daily.add_article("world/noted", title="Storm: the note", paragraphs=[*en, first_note], published=T0)
        cfg = _config(tmp_path / "s.yaml", daily.url("/feed.xml"), hooks.url)
        base = ["--config", cfg, "--db", db_url]
        newsarchive("run", "--once", *base)
        captured = time.monotonic()  # every first capture is before this; the 8 s revisit counts from it
        # (8 s: a pass revisits what falls due before it ends, and the first one must not use it up)

        same = T0  # modified left as published: the page says nothing of the edit
        headline.edit(title="Minister quits amid budget row", modified=same)
        for lang, art in arts.items():
            paras, edited, note = STORIES[lang]
            art.edit(paragraphs=[paras[0], edited, paras[2], note], modified=same)
        dated.edit(paragraphs=[en[0], STORIES["en"][1], en[2]], modified=T0 + timedelta(days=1))
        boxed.edit(paragraphs=[en[0], STORIES["en"][1], en[2]], modified=same,
                   appendix='<aside class="correction"><p>Correction: An earlier version of this article '
                            "misstated the number of residents evacuated.</p></aside>")
        noted.edit(paragraphs=[*en, first_note.replace("storm.", "storm: it was Friday, not Thursday.")],
                   modified=same)  # only the note changes
        time.sleep(max(0.0, captured + 8.2 - time.monotonic()))  # due (the feed shows no update for these)
        newsarchive("run", "--once", *base)

    rows = jsonl(newsarchive("export", *base).stdout)
    by = {(r["url"], r["version"]): r["change"] for r in rows}
    assert len(rows) == 2 * (len(arts) + 4), sorted((r["url"].rsplit("/", 1)[1], r["version"]) for r in rows)
    assert all(by[(a.url, 1)] is None or "acknowledged" not in by[(a.url, 1)] for a in [*arts.values(), headline])

    def kinds(url: str, version: int = 2) -> list[tuple[str, ...]]:
        return [tuple(s[k] for k in ("kind", "how") if k in s) for s in by[(url, version)]["signals"]]

    assert by[(headline.url, 2)]["silent"] is True and by[(headline.url, 2)]["acknowledged"] is False
    assert by[(headline.url, 2)]["signals"] == []
    for lang, art in arts.items():
        change = by[(art.url, 2)]
        assert (change["acknowledged"], change["silent"]) == (True, False), lang
        assert kinds(art.url) == [("correction_note", "added")], lang
        assert change["signals"][0]["note"] == STORIES[lang][2], lang
    assert kinds(dated.url) == [("modified_at",)] and by[(dated.url, 2)]["silent"] is False
    assert kinds(boxed.url) == [("correction_note", "added")]  # kept from its <aside>
    assert kinds(noted.url) == [("correction_note", "changed")] and by[(noted.url, 2)]["fields"] == ["body"]

    # the webhook asked for silent edits only: the headline change, and nothing else
    deadline = time.monotonic() + 5
    while not hooks.bodies and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [(b["event"], b["url"], b["change"]["silent"], b["change"]["signals"]) for b in hooks.bodies] == [
        ("new_version", headline.url, True, [])]

    served = serve(db_url)
    page = httpx.get(f"{served}/api/changes", params={"silent": 1}).json()
    assert [i["url"] for i in page["items"]] == [headline.url] and page["items"][0]["silent"] is True
    everything = httpx.get(f"{served}/api/changes").json()["items"]
    assert {i["url"] for i in everything if i["acknowledged"]} == {a.url for a in arts.values()} | {
        dated.url, boxed.url, noted.url}
    article_id = page["items"][0]["article_id"]
    versions = httpx.get(f"{served}/api/articles/{article_id}").json()["versions"]
    assert "silent" not in (versions[0]["change"] or {}) and versions[1]["change"]["silent"] is True
    feed = ET.fromstring(httpx.get(f"{served}/changes.atom", params={"silent": 1}).content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}link[@rel='related']").get("href") for e in entries] == [headline.url]
    assert "silent" in feed.findtext(f"{atom}title")
    html = httpx.get(f"{served}/changes", params={"silent": 1}).text
    assert "Minister quits amid budget row" in html and "Storm: the figures" not in html
    assert "acknowledged: correction note" in httpx.get(f"{served}/changes").text
    assert "silent edit" in httpx.get(f"{served}/articles/{article_id}").text
    assert acknowledged.NOTE_CHARS >= len(STORIES["en"][2])

    # ?silent=1 judges a bounded number of edits per page and goes on from where it stopped
    from worker.store.engine import make_engine
    from worker.web import queries

    monkeypatch.setattr(queries, "SILENT_SCAN", 4)
    monkeypatch.setattr(queries, "_SCAN_CHUNK", 2)
    engine = make_engine(db_url)
    found, cursor, pages = [], None, 0
    with engine.connect() as conn:
        while True:
            items, token = queries.list_changes(conn, cursor, 1, silent=True)
            found += [i["url"] for i in items]
            pages += 1
            if token is None:
                break
            cursor = queries.Cursor.decode(token)
    engine.dispose()
    assert found == [headline.url] and pages > 2  # 9 edits, 4 judged a page
