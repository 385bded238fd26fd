"""JSON-LD: find the article object among a page's ld+json blocks (lists, @graph, mainEntity)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborNode

from .. import safejson

_ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article NewsArticle BlogPosting ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle "
        "BackgroundNewsArticle ReviewNewsArticle LiveBlogPosting Report ScholarlyArticle TechArticle "
        "SocialMediaPosting DiscussionForumPosting SatiricalArticle AdvertiserContentArticle "
        "AskPublicModerationNewsArticle Posting"
    ).split()
)
_CONTROL_RE = re.compile(r"[\x00-\x1f]")


def _loads(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->")
    if "<![CDATA[" in raw[:20]:  # "<![CDATA[ {...} ]]>", "//<![CDATA[", "/* <![CDATA[ */": XHTML habits
        raw = raw.split("<![CDATA[", 1)[1].rsplit("]]>", 1)[0].strip()
        raw = raw.removeprefix("*/").removesuffix("/*").removesuffix("//").strip()
    # Too deep, too big a number: that value alone is dropped (safejson), never the block.
    try:
        return safejson.loads(raw)
    except ValueError:
        pass
    # Common breakage: raw control characters and trailing commas.
    try:
        cleaned = re.sub(r",\s*([}\]])", r"\1", _CONTROL_RE.sub(" ", raw))
        return safejson.loads(cleaned)
    except ValueError:
        return None


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in the structure, shallow ones first within each block."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value[:200]:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in value:
                yield from _walk(value[key], depth + 1)


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind.lower()}
    if isinstance(kind, list):
        return {k.lower() for k in kind if isinstance(k, str)}
    return set()


class JsonLd:
    """The article object of a page (if any) plus an @id index for resolving references."""

    def __init__(self, scripts: list[LexborNode]) -> None:
        self.article: dict[str, Any] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.objects: list[dict[str, Any]] = []
        for node in scripts:
            if "ld+json" not in (node.attributes.get("type") or "").lower():
                continue
            data = _loads(node.text() or "")
            if data is not None:
                self.objects.extend(_walk(data))
        for obj in self.objects:
            if isinstance(obj.get("@id"), str):
                self.by_id.setdefault(obj["@id"], obj)
        articles = [o for o in self.objects if types_of(o) & _ARTICLE_TYPES]
        if articles:
            # Prefer the object that carries a body, then one with a headline.
            articles.sort(key=lambda o: (not o.get("articleBody"), not o.get("headline")))
            self.article = articles[0]
        else:
            pages = [o for o in self.objects if "webpage" in types_of(o) and o.get("headline")]
            self.article = pages[0] if pages else {}

    def resolve(self, value: Any) -> Any:
        """Follow a {"@id": ...} reference to its full object when the page defines it."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self.by_id:
            return self.by_id[value["@id"]]
        return value

    def text(self, key: str) -> str | None:
        value = self.article.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("@value")
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
        return None
