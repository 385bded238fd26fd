"""The changes feed as Atom (RFC 4287), so people can subscribe to edits."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def changes_feed(changes: list[dict[str, Any]], base_url: str | None, updated: str, silent: bool = False) -> bytes:
    """changes: list_changes() rows, newest first. base_url: the archive's configured address (no trailing
    slash), or None: links are then relative to the feed's own address (RFC 4287 resolves them against
    it) and ids are tag: URIs, as an id must be absolute. Never the request's Host header.
    silent: the feed of silent edits only (/changes.atom?silent=1)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ids = base_url or "tag:newsarchive,2026:"
    base_url = base_url or ""
    query = "?silent=1" if silent else ""
    _sub(feed, "title", "newsarchive: latest silent edits" if silent else "newsarchive: latest edits")
    _sub(feed, "id", f"{ids}/changes{query}")
    _sub(feed, "updated", changes[0]["first_seen_at"] if changes else updated)
    _sub(feed, "link", rel="self", href=f"{base_url}/changes.atom{query}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base_url}/changes{query}")
    author = _sub(feed, "author")
    _sub(author, "name", "newsarchive")
    for c in changes:
        entry = _sub(feed, "entry")
        _sub(entry, "title", f"{c['title']} (version {c['version']})")
        page = f"{base_url}/articles/{c['article_id']}?a={c['version'] - 1}&b={c['version']}"
        _sub(entry, "id", f"{ids}/versions/{c['version_id']}")
        _sub(entry, "link", rel="alternate", type="text/html", href=page)
        _sub(entry, "link", rel="related", href=c["url"])
        _sub(entry, "updated", c["first_seen_at"])
        if c["title_changed"]:
            summary = f"Headline was: {c['previous_title']}. {c['source']}: {c['url']}"
        else:
            summary = f"The text changed. {c['source']}: {c['url']}"
        if c.get("silent"):
            summary = f"Silent edit (no correction note, no new modified time). {summary}"
        elif c.get("acknowledged"):
            summary = f"Acknowledged ({', '.join(dict.fromkeys(s['kind'] for s in c['signals']))}). {summary}"
        _sub(entry, "summary", summary)
        if c.get("silent"):
            _sub(entry, "category", term="silent_edit", label="Silent edit")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
