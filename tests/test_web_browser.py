"""The archive browser in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright,
against `serve` in its own process, over an archive the real worker built from the simulated news web.

Skipped with the reason when /usr/bin/chromium is absent, except in CI (CI=true), where that fails.
Screenshots of each step land in test-artifacts/ (gitignored)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.simweb import SimWeb
from tests.test_e2e import PARAS, newsarchive, write_config

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
ROOT = Path(__file__).parents[1]


def _need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (in CI this is a failure, not a skip)")
        pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_command(db_url: str, port: int) -> list[str]:
    """`newsarchive serve` once the CLI has it; until then the same entry point, worker.web.serve."""
    from worker.cli import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices or {}
    if "serve" in commands:
        return [sys.executable, "-m", "worker", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)]
    code = "import sys; from worker.web import serve; sys.exit(serve(sys.argv[1], None, '127.0.0.1', int(sys.argv[2])))"
    return [sys.executable, "-c", code, db_url, str(port)]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """An archive with an edited story and a reprint, served on a free port: (base URL, article URLs)."""
    _need_chromium()
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with SimWeb() as web:
        daily, herald = web.add_site("daily"), web.add_site("herald")
        t = datetime(2026, 11, 20, 8, tzinfo=UTC)
        storm = daily.add_article("world/storm-hits-coast", title="Storm hits northern coast", paragraphs=PARAS[0],
                                  authors=["Jane Doe"], published=t)
        museum = herald.add_article("culture/museum-reopens", title="Medieval hall reopens", paragraphs=PARAS[2],
                                    authors=["Ana Ruiz"], published=t)
        reprint = herald.reprint(storm, "wire/storm-hits-coast")
        cfg = str(write_config(tmp_path / "sources.yaml", [
            {"name": "daily", "kind": "feed", "url": daily.url("/atom.xml")},
            {"name": "herald", "kind": "feed", "url": herald.url("/atom.xml")}], revisit="[]"))
        newsarchive("run", "--once", "--config", cfg, "--db", db)
        edited = list(storm.paragraphs)
        edited[1] = edited[1].replace("more than two thousand", "nearly three thousand")
        storm.edit(title="Storm batters northern coast, thousands evacuated", paragraphs=edited)
        newsarchive("run", "--once", "--config", cfg, "--db", db)  # the feed says it was updated: fetched at once
    port = free_port()
    proc = subprocess.Popen(_serve_command(db, port), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, proc)
        yield base, {"storm": storm.url, "museum": museum.url, "reprint": reprint.url}
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0, f"serve exited {proc.returncode} on SIGTERM:\n{out[-2000:]}"


def wait_up(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited {proc.returncode}:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve did not answer /healthz within 30 s")


def test_browse_search_compare_and_follow_reprint(served: tuple[str, dict[str, str]]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, urls = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(10_000)

        page.goto(base + "/")  # the list: three articles, newest first
        expect(page.locator("ol.list > li")).to_have_count(3)
        expect(page.get_by_role("link", name="Storm batters northern coast, thousands evacuated")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-1-list.png", full_page=True)

        page.get_by_role("searchbox").fill("frescoes")  # search: only the museum story says it
        page.get_by_role("button", name="Show").click()
        expect(page.locator("ol.list > li")).to_have_count(1)
        expect(page.locator("ol.list .url")).to_have_text(urls["museum"])
        page.screenshot(path=ARTIFACTS / "browser-2-search.png", full_page=True)

        page.get_by_role("searchbox").fill("evacuated")
        page.get_by_role("button", name="Show").click()
        page.get_by_role("link", name="Storm batters northern coast, thousands evacuated").click()
        expect(page.locator("h1")).to_have_text("Storm batters northern coast, thousands evacuated")
        expect(page.locator("ol.timeline > li")).to_have_count(2)

        # compare v1 with v2 (the form, as a reader would): changed words marked, the rest folded or plain
        page.locator("select[name=a]").select_option("1")
        page.locator("select[name=b]").select_option("2")
        page.get_by_role("button", name="Compare").click()
        old, new = page.locator(".col.old"), page.locator(".col.new")
        expect(old.locator("del")).to_contain_text(["hits"])
        expect(new.locator("ins").first).to_have_text("batters")
        expect(old.locator(".text-diff del")).to_have_text(["more than two"] * 2)  # paragraph and key point
        expect(new.locator(".text-diff ins")).to_have_text(["nearly three"] * 2)
        expect(new.locator(".text-diff")).to_contain_text("Forecasters expect the weather")  # unchanged text kept
        page.screenshot(path=ARTIFACTS / "browser-3-compare.png", full_page=True)
        page.set_viewport_size({"width": 820, "height": 620})  # the README's picture (docs/browser.png)
        page.screenshot(path=ARTIFACTS / "browser-readme.png", clip={"x": 0, "y": 150, "width": 820, "height": 620})

        # the reprint (same text as v1, under the other site) is one click away
        page.locator("ul.reprints a.reprint").click()
        expect(page.locator("p.meta a.url")).to_have_text(urls["reprint"])
        expect(page.locator("ul.reprints a.reprint")).to_have_text(urls["storm"])
        page.screenshot(path=ARTIFACTS / "browser-4-reprint.png", full_page=True)

        # the raw capture opens sandboxed: the captured page's scripts never run
        page.get_by_role("link", name="raw capture").first.click()
        frame = page.frame_locator("iframe.raw")
        expect(frame.locator("h1").first).to_be_visible()
        page.screenshot(path=ARTIFACTS / "browser-5-raw.png")
        browser.close()


def test_the_evidence_view_prints_on_one_page(served: tuple[str, dict[str, str]]) -> None:
    """The evidence of an edit (two texts, the diff, both captures' provenance, the verdict) prints on one
    page with the print stylesheet: what a newsroom hands over."""
    from playwright.sync_api import sync_playwright

    base, urls = served
    article = next(a for a in httpx.get(f"{base}/api/articles").json()["items"] if a["url"] == urls["storm"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/articles/{article['id']}/evidence")
        assert page.locator("h1").inner_text() == "Storm batters northern coast, thousands evacuated"
        pdf = page.pdf(format="A4")
        browser.close()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
