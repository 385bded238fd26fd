"""Archived text printed for a human cannot drive the terminal: `history`, `diff` and `status` strip
control characters (ESC sequences, BEL, CR, C1 controls, bidi overrides) from what they print, through
the real CLI, on SQLite and PostgreSQL. JSON output keeps the text as archived (JSON escapes it)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import text

from tests.test_e2e import newsarchive
from tests.test_web_api import NOW, T0, capture, fetched
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore

URL = "http://daily.test/storm"
HOSTILE_TITLE = "Storm\x1b]0;owned\x07 hits\x1b[2J\x1b[31m coast\x9b1m\r\u202eevil"
HOSTILE_TEXT = "Heavy rain.\x1b[8m hidden\x1b[0m\n\nMore rain."
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_history_diff_status_print_no_control_characters(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    ids = store.sync_sources([("daily", "feed", "http://daily.test/feed.xml")], T0)
    capture(store, ids["daily"], URL, T0, "Storm hits coast", "Heavy rain.\n\nMore rain.")
    capture(store, ids["daily"], URL, T0 + timedelta(hours=1), HOSTILE_TITLE, HOSTILE_TEXT,
            body=b"<html><body>v2</body></html>")
    store.log_fetch(fetched("http://daily.test/feed.xml", NOW, body=None, status=None, purpose="feed",
                            error="timeout", error_detail="no answer\x1b[2J\x1b]0;owned\x07"), ids["daily"])
    store.mark_polled(ids["daily"], NOW, False)
    with engine.begin() as conn:  # the store now drops C0 controls; an archive written before it kept them
        conn.execute(text("UPDATE versions SET title = :t WHERE number = 2"), {"t": HOSTILE_TITLE})
        conn.execute(text("UPDATE fetches SET error_detail = :d WHERE error = 'timeout'"),
                     {"d": "no answer\x1b[2J\x1b]0;owned\x07"})
    engine.dispose()

    history = newsarchive("history", URL, "--db", db_url).stdout
    assert "v2" in history and "Storm]0;owned hits[2J[31m coast1mevil" in history
    diff = newsarchive("diff", URL, "--db", db_url).stdout
    assert "hidden" in diff and "\n" in diff
    status = newsarchive("status", "--db", db_url).stdout
    assert "daily" in status and "no answer" in status
    for out in (history, diff, status):
        assert not CONTROL.search(out.replace("\n", "").replace("\t", "")), repr(out)

    as_json = newsarchive("history", URL, "--json", "--db", db_url).stdout
    assert "\\u001b" in as_json and json.loads(as_json)["versions"][1]["title"] == HOSTILE_TITLE
