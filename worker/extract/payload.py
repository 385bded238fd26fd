"""The article body in a page's data payload: the JSON a script hands to the page's JavaScript.

Pages built by Next.js (`<script id="__NEXT_DATA__" type="application/json">`), Nuxt
(`window.__NUXT__=`), Arc Publishing (`Fusion.globalContent=`), Apollo or Redux
(`window.__APOLLO_STATE__=`, `__PRELOADED_STATE__`, `__INITIAL_STATE__`), and any script of a JSON
type (`application/json`, `application/ld+json` of any @type), often show the article only once their
JavaScript ran: the HTML holds a stub, the script holds the text. No key of one site or CMS is read;
the article is found by its shape, as one of:

- the longest prose string (several sentences; an HTML fragment is rendered to paragraphs), or
- a list of content elements (objects each with a `content`, `text` or `html` string, or a list of
  such objects under any key, as Arc's `content_elements` or a portable-text block's `children`),
  whose joined prose is the largest,

preferring one under an object whose headline or title (`headline`, `title`, `headlines`, `name`) is
the page's title. Scripts of JavaScript rather than JSON (Nuxt 2's `(function(a,b){...}(...))`, object
literals with bare keys) give their long string literals only.

Cheap by construction: `present` is a few substring searches; `payload_body` runs only where the
DOM's body is short (choose.py) and parses at most MAX_SCRIPT characters per script, MAX_TOTAL per
page, loaded totally (safejson's depth guard; numbers are never converted: only strings count).
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import regex
from selectolax.lexbor import LexborHTMLParser

from .. import safejson
from ..segment import words
from .render import effective_length, render

log = logging.getLogger(__name__)

# Where a payload is assigned in a script (JavaScript), or named in a JSON script's tag.
CONTAINERS = ("__NEXT_DATA__", "__NUXT__", "__NUXT_DATA__", "globalContent", "__APOLLO_STATE__",
              "__PRELOADED_STATE__", "__INITIAL_STATE__")  # fmt: skip
_JSON_TYPE = "json"  # application/json, application/ld+json: checked in the script tag's attributes
MAX_SCRIPT = 3_000_000  # characters of one script parsed at most (a larger one is skipped)
MAX_TOTAL = 6_000_000  # characters parsed per page at most
MIN_BODY = 400  # effective characters: a shorter payload text is a teaser, not a body
MIN_SENTENCES = 3
_MIN_RAW = MIN_BODY // 3  # characters: a Han or kana character counts three in effective length
_MAX_DEPTH = 48  # walk depth
_MAX_NODES = 300_000  # values visited per page
_RENDER_TOP = 6  # candidates rendered (by raw length), plus as many under the page's title

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.I)
_SCRIPT_END = re.compile(r"</script", re.I)
_ASSIGN_RE = re.compile(r"\s*(?:\]\s*)?=\s*")
_TAG_RE = re.compile(r"<[a-zA-Z/][^>]{0,500}>")
_STRING_RE = re.compile(r'"((?:[^"\\\n]|\\.){200,})"')
_SHORT_STRING_RE = re.compile(r'"((?:[^"\\\n]|\\.){8,300})"')
_BARE_QUOTE = re.compile(r'(?<!\\)((?:\\\\)*)"')
_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|')")
# Stops of many scripts; Thai writes none, and parts its sentences with a space.
_SENTENCE = regex.compile(r"[.!?؟।။።。！？](?=[\s\"'”’»)]|$)|[。！？]|(?<=\p{Thai}) (?=\p{Thai})")
_WORD = regex.compile(r"\w+")
_CODE = re.compile(r"[{}\[\]=;|\\<>]")  # rare in prose, everywhere in code and data
_TITLE_KEYS = ("headline", "title", "headlines", "name")
_TEXT_KEYS = ("content", "text", "html", "source", "markup", "body")  # an element's text
_JSONML_TAG = re.compile(r"[a-z][a-z0-9-]{0,15}")  # ["p", {attrs}, "text", ["a", {...}, "link"]]
_JSONML_BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote div section pre ul ol figcaption".split())
_decoder = json.JSONDecoder(
    strict=False, parse_int=lambda s: None, parse_float=lambda s: None, parse_constant=lambda s: None
)


def present(html: str) -> bool:
    """Whether the page may hold a payload: a container's name or a JSON script (substring checks)."""
    return any(name in html for name in CONTAINERS) or "/json" in html or "ld+json" in html


class Found(NamedTuple):
    text: str  # paragraphs, a blank line apart
    titled: bool  # found under an object whose headline or title is the page's


def payload_body(html: str, title: str) -> Found | None:
    """The article text of the page's payload scripts; None when none is found (or reading failed:
    the DOM's body is then kept, never lost to a payload)."""
    try:
        return _payload_body(html, title)
    except Exception:
        log.warning("payload reading failed", exc_info=True)
        return None


def _payload_body(html: str, title: str) -> Found | None:
    finder = _Finder(title)
    budget = MAX_TOTAL
    for attrs, content in _scripts(html):
        if len(content) > MAX_SCRIPT or len(content) > budget:
            continue
        for value in _values(attrs, content, finder.title_words):
            budget -= len(content)
            finder.walk(value)
    return finder.best()


def _scripts(html: str) -> Iterator[tuple[str, str]]:
    """(tag attributes, text) of the inline scripts that may hold a payload."""
    for match in _SCRIPT_RE.finditer(html):
        attrs = match.group(1)
        if " src=" in attrs.lower():
            continue
        end = _SCRIPT_END.search(html, match.end())
        content = html[match.end() : end.start() if end else len(html)]
        if _JSON_TYPE in attrs.lower() or any(name in content for name in CONTAINERS):
            yield attrs, content


def _values(attrs: str, content: str, title_words: set[str]) -> Iterator[Any]:
    """The parsed data of one script: its JSON, each container's assigned JSON, or its long strings
    (under the page's title when the script also holds it as a string: it carries this page's data)."""
    if _JSON_TYPE in attrs.lower():
        value = _load(content.strip().removeprefix("<!--").removesuffix("-->"), 0)
        if value is not None:
            yield value
        return
    parsed = False
    for name in CONTAINERS:
        start = content.find(name)
        while start >= 0:
            assign = _ASSIGN_RE.match(content, start + len(name))
            if assign:
                at = assign.end()
                if content.startswith("JSON.parse(", at):
                    value = _json_parse_call(content, at + len("JSON.parse("))
                else:
                    value = _load(content, at) if content[at : at + 1] in ("{", "[") else None
                if value is not None:
                    parsed = True
                    yield value
            start = content.find(name, start + len(name))
    if not parsed:  # JavaScript, not JSON: its long string literals alone
        strings = [s for s in (_js_string(m.group(1)) for m in _STRING_RE.finditer(content)) if s]
        if strings:
            yield {"title": _literal_title(content, title_words), "strings": strings}


def _literal_title(content: str, title_words: set[str]) -> str:
    """The first short string literal of the script that is the page's title, or ""."""
    for match in _SHORT_STRING_RE.finditer(content):
        text = _js_string(match.group(1))
        if text and title_matches(text, title_words):
            return text
    return ""


def _load(text: str, at: int) -> Any:
    """The JSON value starting at `at` (what follows it is ignored), or None."""
    try:
        return _decoder.raw_decode(text, at)[0]
    except RecursionError:
        try:
            return _decoder.raw_decode(safejson.shallow(text[at:]), 0)[0]
        except (ValueError, RecursionError):
            return None
    except ValueError:
        return None


def _json_parse_call(content: str, at: int) -> Any:
    """JSON.parse("...") or JSON.parse('...'): the string literal, then its JSON."""
    quote = content[at : at + 1]
    if quote not in ("'", '"'):
        return None
    end = at + 1
    while True:
        end = content.find(quote, end)
        if end < 0:
            return None
        backslashes = len(content[at + 1 : end]) - len(content[at + 1 : end].rstrip("\\"))
        if backslashes % 2 == 0:
            break
        end += 1
    literal = _js_string(content[at + 1 : end], quote)
    return None if literal is None else _load(literal, 0)


def _js_string(body: str, quote: str = '"') -> str | None:
    """A JavaScript string literal's body decoded (JSON escapes plus \\xHH and \\'), or None."""
    if quote == "'":
        body = _BARE_QUOTE.sub(r'\1\\"', body)
    try:
        return json.loads('"' + _JS_ESCAPE.sub(_js_escape, body) + '"', strict=False)
    except ValueError:
        return None


def _js_escape(match: re.Match[str]) -> str:
    code = match.group(1)
    return "'" if code == "'" else "\\u00" + code[1:]


def _words(text: str) -> list[str]:
    return words(text.casefold())  # the house's segments: a Japanese title is words, not one clause


def title_matches(candidate: str, title_words: set[str]) -> bool:
    """The object's title is the page's: nearly all the shorter one's words are in the other."""
    words = set(_words(candidate))
    if not words or not title_words:
        return False
    shared = len(words & title_words)
    return shared >= min(len(words), len(title_words)) * 0.8 and shared >= min(2, len(title_words))


def _title_of(obj: dict[str, Any]) -> str:
    for key in _TITLE_KEYS:
        value = obj.get(key)
        if isinstance(value, dict):  # {"basic": "...", "web": "..."}
            value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return value
    return ""


class _Finder:
    """Walks payloads, keeping candidate texts (their parts, raw length, whether under the title)."""

    def __init__(self, title: str) -> None:
        self.title_words = set(_words(title))
        self.candidates: list[tuple[int, bool, list[str]]] = []
        self.visited = 0

    def walk(self, value: Any, titled: bool = False, depth: int = 0) -> None:
        self.visited += 1
        if depth > _MAX_DEPTH or self.visited > _MAX_NODES:
            return
        if isinstance(value, str):
            if len(value) >= _MIN_RAW:
                if value[:1] in ("{", "[") and (inner := _load(value, 0)) is not None:
                    self.walk(inner, titled, depth + 1)  # JSON inside a string: read it as JSON
                else:
                    self.candidates.append((len(value), titled, [value]))
        elif isinstance(value, dict):
            if not titled:
                name = _title_of(value)
                titled = bool(name) and title_matches(name, self.title_words)
            for item in value.values():
                if isinstance(item, str | dict | list):
                    self.walk(item, titled, depth + 1)
        elif isinstance(value, list):
            parts = _elements(value)
            if len(parts) >= 2 and _paragraph_share(parts) >= 0.6:
                size = sum(len(p) for p in parts)
                if size >= _MIN_RAW:
                    self.candidates.append((size, titled, parts))
            for item in value:
                if isinstance(item, str | dict | list):
                    self.walk(item, titled, depth + 1)

    def best(self) -> Found | None:
        """The longest prose, or the longest under the page's title when it is half as long or more."""
        if not self.candidates:
            return None
        by_size = sorted(self.candidates, key=lambda c: c[0], reverse=True)
        chosen = by_size[:_RENDER_TOP] + [c for c in by_size if c[1]][:_RENDER_TOP]
        best, best_titled = ("", 0), ("", 0)
        seen: set[int] = set()
        for _size, titled, parts in chosen:
            if id(parts) in seen:
                continue
            seen.add(id(parts))
            text = prose(parts)
            length = effective_length(text) if text else 0
            if length > best[1]:
                best = (text, length)
            if titled and length > best_titled[1]:
                best_titled = (text, length)
        if best_titled[1] and best_titled[1] >= best[1] * 0.5:
            return Found(best_titled[0], True)
        return Found(best[0], False) if best[0] else None


def _elements(items: list[Any]) -> list[str]:
    """The text strings of a list of content elements (objects holding a text, or a list of them)."""
    parts: list[str] = []
    seen: set[str] = set()
    for item in items[:2000]:
        if isinstance(item, dict):
            text = _element_text(item, 0)
        elif isinstance(item, list):
            text = _jsonml_text(item, 0).strip()
        else:
            continue
        if text and text not in seen:  # a value repeated (description, og:description...) once
            seen.add(text)
            parts.append(text)
    return parts


def _paragraph_share(parts: list[str]) -> float:
    """Share of the characters in parts of paragraph length (two such parts at least): a body, not a
    table of labels or a page's meta tags."""
    long = [len(p) for p in parts if len(p) >= 80]
    total = sum(len(p) for p in parts)
    return sum(long) / total if total and len(long) >= 2 else 0.0


def _jsonml_text(node: list[Any], depth: int) -> str:
    """The text of a JsonML element (tag name, optional attributes, children); "" when not one."""
    if not node or not isinstance(node[0], str) or not _JSONML_TAG.fullmatch(node[0]) or depth > 12:
        return ""
    pieces: list[str] = []
    for child in node[1:]:
        if isinstance(child, str):
            pieces.append(child)
        elif isinstance(child, list):
            inner = _jsonml_text(child, depth + 1)
            block = isinstance(child[0], str) and child[0] in _JSONML_BLOCKS if child else False
            pieces.append(f"\n{inner}\n" if block else inner)
    return "".join(pieces)


def _element_text(item: dict[str, Any], depth: int) -> str:
    """An element's text string (`content`, `text`, `html`...), or its inner elements' (a list or an object)."""
    text = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), None)
    if text is not None or depth >= 3:
        return (text or "").strip()
    for value in item.values():
        if isinstance(value, dict):
            inner = _element_text(value, depth + 1)
            if inner:
                return inner
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            pieces = [
                t for t in (_element_text(v, depth + 1) for v in value[:2000] if isinstance(v, dict)) if t
            ]
            if pieces:
                return (" " if _inline(value) else "\n").join(pieces)
    return ""


def _inline(items: list[Any]) -> bool:
    """Spans of one paragraph (portable text's children), not blocks: no HTML, short pieces."""
    return all(isinstance(i, dict) and "_type" in i and i.get("_type") == "span" for i in items[:50])


def prose(parts: list[str]) -> str:
    """The parts as paragraphs ("" unless they make prose: MIN_BODY characters, several sentences).

    HTML fragments are rendered like any page's blocks (one parse for all parts); plain text keeps its
    line breaks as paragraph breaks.
    """
    if not any("<" in p for p in parts) and any("&lt;" in p for p in parts):
        parts = [html_lib.unescape(p) for p in parts]  # HTML escaped once more: "&lt;p&gt;..."
    if any(_TAG_RE.search(p) for p in parts):
        fragment = "".join(
            f"<div>{p}</div>" if _TAG_RE.search(p) else "".join(
                f"<div>{html_lib.escape(line)}</div>" for line in p.split("\n")
            )
            for p in parts
        )  # fmt: skip
        body = LexborHTMLParser(f"<html><body>{fragment}</body></html>").body
        paragraphs = render(body) if body is not None else []
    else:
        lines = (" ".join(html_lib.unescape(line).split()) for p in parts for line in p.split("\n"))
        paragraphs = [line for line in lines if line]
    text = "\n\n".join(paragraphs)
    if text.endswith(("...", "…")):
        return ""  # a teaser cut short (as JSON-LD's articleBody often is)
    if effective_length(text) < MIN_BODY or len(_SENTENCE.findall(text)) < MIN_SENTENCES:
        return ""
    if len(_CODE.findall(text)) * 50 > len(text) or (
        text.isascii() and len(_WORD.findall(text)) * 20 < len(text)
    ):
        return ""  # no prose: code, serialized data, base64, URLs
    return text
