"""`status` and the browser agree, from one health function (issue 16, item 2), through the real command."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from fastapi.testclient import TestClient

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, write_config
from worker.config import load_config
from worker.fetch.errors import REFUSED
from worker.web import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_status_and_browser_agree_on_every_source(tmp_path: Path, db_url: str) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with SimWeb() as web:
        site = web.add_site("daily")
        for i in range(3):
            site.add_article(f"news/story-{i}", title=f"Story {i}", paragraphs=PARAS[i])
        cfg = write_config(tmp_path / "s.yaml", [
            {"name": "daily", "kind": "feed", "url": site.url("/feed.xml")},
            {"name": "down", "kind": "feed", "url": f"{down}/feed.xml"},
            {"name": "resting", "kind": "feed", "url": site.url("/atom.xml"), "enabled": False},
        ], respect_robots=True, retries=0)
        db = db_url  # SQLite and PostgreSQL
        base = ["--config", str(cfg), "--db", db]
        cli("run", "--once", *base, check=False)
        cli("run", "--once", *base, check=False)  # every poll of `down` failed, twice
        text = cli("status", *base).stdout
        doc = json.loads(cli("status", "--json", *base).stdout)
    lines = {ln.split()[0]: ln for ln in text.splitlines()[1:]}
    assert lines["daily"].rstrip().endswith("healthy")
    assert "NEEDS ATTENTION: last poll failed: feed robots_unreachable" in lines["down"]
    assert REFUSED in lines["down"] and "healthy" not in lines["down"]
    by = {s["name"]: s for s in doc["sources"]}
    assert doc["archive"]["articles"] == 3 and set(by) == {"daily", "down", "resting"}
    assert by["daily"]["state"] == "healthy" and by["down"]["state"] == "needs attention"
    assert by["resting"]["state"] == "disabled" and "DISABLED" in lines["resting"]
    with TestClient(create_app(db, load_config(cfg))) as client:
        api = {s["name"]: s for s in client.get("/api/sources").json()}
        html = client.get("/sources").text
    for name in by:  # the browser says exactly what status says
        assert (api[name]["state"], api[name]["problems"]) == (by[name]["state"], by[name]["problems"])
    assert "needs attention" in html and by["down"]["problems"][0] in html.replace("&#39;", "'").replace("&amp;", "&")


def test_disabled_source_is_marked(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        site.add_article("news/story", title="Story", paragraphs=PARAS[0])
        entry = {"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}
        cfg = write_config(tmp_path / "s.yaml", [entry])
        db = f"sqlite:///{tmp_path}/a.sqlite3"
        cli("run", "--once", "--config", str(cfg), "--db", db)
        cfg = write_config(tmp_path / "s.yaml", [entry | {"enabled": False}])
        out = cli("status", "--config", str(cfg), "--db", db).stdout
        doc = json.loads(cli("status", "--json", "--config", str(cfg), "--db", db).stdout)
    assert "DISABLED: disabled in the config" in out
    assert doc["sources"][0]["state"] == "disabled" and doc["sources"][0]["enabled"] is False
