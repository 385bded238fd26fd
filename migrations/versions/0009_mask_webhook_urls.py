"""mask the webhook URLs that deliveries recorded in clear before deliveries were masked

Since 0008's landing a webhook delivery is logged (purpose `notify`) under its masked URL: userinfo,
token-like path segments, query values and the fragment shown as `***` (worker/notify.py
mask_webhook_url). Rows written before that hold the URL in clear, and `fetches`, `status` and the
browser show them; a webhook URL is often its own credential. This masks them in place, in batches.
The rule is copied here as it stands at this revision, so the migration never changes with the code.
Not reversible: the clear URLs are gone, which is the point.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""
import re
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MASK = "***"
_TOKENISH = re.compile(r"[A-Za-z0-9._~=+%-]+")
BATCH = 1000


def _is_secret(segment: str) -> bool:
    if not _TOKENISH.fullmatch(segment) or len(segment) < 16:
        return False
    letters = [c for c in segment if c.isalpha()]
    mixed = (any(c.isdigit() for c in segment) and bool(letters)) or segment.isdigit() \
        or (any(c.isupper() for c in letters) and any(c.islower() for c in letters))
    return mixed or len(segment) >= 32 or (len(segment) >= 24 and not any(c in "-." for c in segment))


def mask(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return MASK
    netloc = f"{MASK}@{host}" if "@" in parts.netloc else host
    path = "/".join(MASK if _is_secret(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(f"{key}={MASK}" if sep else (MASK if _is_secret(key) else key)
                     for key, sep, _ in (item.partition("=") for item in parts.query.split("&") if item))
    return urlunsplit((parts.scheme, netloc, path, query, MASK if parts.fragment else ""))


def upgrade() -> None:
    conn = op.get_bind()
    fetches = sa.table("fetches", sa.column("id", sa.BigInteger), sa.column("purpose", sa.Text),
                       sa.column("requested_url", sa.Text), sa.column("final_url", sa.Text))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(fetches.c.id, fetches.c.requested_url, fetches.c.final_url)
            .where(fetches.c.purpose == "notify", fetches.c.id > last).order_by(fetches.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [{"row": r.id, "requested": mask(r.requested_url), "final": mask(r.final_url)} for r in rows
                   if (mask(r.requested_url), mask(r.final_url)) != (r.requested_url, r.final_url)]
        if changed:
            conn.execute(fetches.update().where(fetches.c.id == sa.bindparam("row"))
                         .values(requested_url=sa.bindparam("requested"), final_url=sa.bindparam("final")), changed)
        last = rows[-1].id


def downgrade() -> None:
    pass  # masked URLs cannot be unmasked
