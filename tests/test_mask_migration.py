"""Migration 0009: webhook URLs that deliveries logged in clear before masking are masked in place;
masked ones and other fetches are left as they are. On SQLite and PostgreSQL, with data in the archive."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, select

from worker.notify import mask_webhook_url
from worker.store.engine import make_engine
from worker.store.migrate import alembic_config, upgrade
from worker.store.models import Fetch

CLEAR = "https://user:pa55@hooks.slack.com/services/T0AAAA1111/B0BBBB2222/XyZ123abcDEF456ghiJKL789?token=s3cret"
ARTICLE = "https://daily.example/news/a-story-with-a-rather-long-slug-2026?page=2"


def test_0009_masks_clear_webhook_urls_and_nothing_else(db_url: str) -> None:
    command.upgrade(alembic_config(db_url), "0008")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(insert(Fetch), [
            {"purpose": "notify", "requested_url": CLEAR, "final_url": CLEAR, "status": 200, "fetched_at": at,
             "duration_ms": 5, "attempts": 1, "not_modified": False},
            {"purpose": "notify", "requested_url": mask_webhook_url(CLEAR), "final_url": mask_webhook_url(CLEAR),
             "status": 200, "fetched_at": at, "duration_ms": 5, "attempts": 1, "not_modified": False},
            {"purpose": "article", "requested_url": ARTICLE, "final_url": ARTICLE, "status": 200, "fetched_at": at,
             "duration_ms": 5, "attempts": 1, "not_modified": False}])
    engine.dispose()
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(select(Fetch.purpose, Fetch.requested_url, Fetch.final_url).order_by(Fetch.id)).all()
    engine.dispose()
    masked = "https://***@hooks.slack.com/services/T0AAAA1111/B0BBBB2222/***?token=***"
    assert mask_webhook_url(CLEAR) == masked  # the migration's frozen rule is today's
    assert [tuple(r) for r in rows] == [("notify", masked, masked), ("notify", masked, masked),
                                        ("article", ARTICLE, ARTICLE)]
    assert "pa55" not in str(rows) and "s3cret" not in str(rows)
