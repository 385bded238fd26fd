"""Is this capture the article, or something served in its place (bot check, consent wall, paywall
stub, error page, soft 404)? Pure: status, HTML, the extraction and the latest version's text in.

A wall is judged by two things together: a marker (status, a challenge vendor's script or element,
a wall's own words, JSON-LD `isAccessibleForFree: false`, an error title) AND a body that does not
look like the article (too short, cut against the latest version, or sharing almost nothing with
it). A marker alone never makes a wall: real pages carry consent banners, captcha'd comment forms and
"subscribe" links around a full article. Where a wall's words sit matters too: inside a thin body
(the extractor picked the wall's message) any drop counts; only outside the body (a banner beside
the text), the body must also be cut by length, so a rewritten article on a page with a banner stays
an article. Be conservative both ways: a false "blocked" loses a real edit, a false "article" makes
a false version; an unsure case is confirmed by one more fetch. A wall's words are worker/lexicon.py's
in every language it has, found folded at word edges (phrase_match), counted inside the body only
as a short paragraph of their own, never quoted; lengths are words of any script (segment.words),
so a Thai or Japanese page is measured as an English one is. The pipeline's rule:

    verdict = classify(status, html, extracted, latest.text if latest else None)
    not an article             -> a failed fetch of kind verdict.kind, retried later
    same hash as latest        -> unchanged
    verdict.confirm, or latest and is_suspicious_change(latest.text, extracted.text)
                               -> a version only if one more fetch right away gives the same hash
    otherwise                  -> a new version
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import regex
from selectolax.lexbor import LexborHTMLParser

from worker import lexicon, segment
from worker.phrase_match import Hit, PhraseSet, match_form
from worker.values import Extracted

THIN_WORDS = 120  # with no earlier version, a body shorter than this may be a wall's leftover
CUT_RATIO = 0.6  # a body below this share of the latest version's length is cut
DISSIMILAR = 0.2  # word 5-shingle Jaccard below this: almost nothing shared
SHRINK_RATIO = 0.5  # is_suspicious_change: the body lost more than half its words
PAYWALL_TEASER_WORDS = 200  # with no version yet, a body this short beside a paywall/consent marker is a teaser
ERROR_TITLE_CHARS = 40  # an error page's title is short ("404 - Page not found"); a headline is longer
# With no version yet, a consent banner beside a longer body is no wall (not below COLLAPSE_WORDS: see _by_words).
CONSENT_BESIDE_WORDS = 60
FIRST_LONG_WORDS = 400  # a first capture this long is an article whatever its title says
COLLAPSE_MIN_PREVIOUS = 100  # the latest version was a real body of at least this many words ...
COLLAPSE_RATIO = 0.1  # ... and the capture has under a tenth of it (and under COLLAPSE_WORDS)
COLLAPSE_WORDS = 30
WALL_LINE_WORDS = 30  # a wall's message is a short paragraph; an article's paragraph that quotes one is longer
SHELL_WORDS = 10  # a page of scripts with fewer words than this beside its <noscript> message is a check
BLOCK_STATUSES = frozenset({401, 403, 407, 429, 451})
SHINGLE = 5

# Two patterns, each with a literal prefix re can skip to: one alternation scans 150 KB at ~1.5 ms.
_ARIA_MODAL_RE = re.compile(r"""aria-modal=["']?true""")
_LOCKED_BODY_RE = re.compile(r"""<body[^>]*class=["'][^"']*(?:consent|cmp|modal-open|no-?scroll|overflow-hidden|locked)""")
_NOT_FREE_RE = re.compile(
    r"""["']?isaccessibleforfree["']?\s*(?::|content=)\s*["']?(?:false|no|0)\b""", re.I
)


@dataclass(frozen=True)
class Verdict:
    kind: str  # "article" | "blocked" | "consent" | "paywall" | "error" | "soft_404"
    reason: str  # short human text, e.g. "challenge marker: cf-chl", "status 403"
    # An article that may still be a wall (a first capture beside a consent banner): like a
    # suspicious change, it becomes a version only when one more fetch shows the same hash.
    confirm: bool = False


ARTICLE = Verdict("article", "")

# Raw-HTML markers that only challenge interstitials carry (never a normal article page). Generic
# vendor scripts that ride on every page (bot-detection tags, the JS-detection script) are not here.
CHALLENGE_MARKERS = (
    "_cf_chl_opt", "cf-chl-", "/cdn-cgi/challenge-platform/h/b/orchestrate", "cf-browser-verification",
    "cf_chl_", 'id="challenge-form"', "cf-turnstile-response", "captcha-delivery.com", "ddcaptcha",
    "px-captcha", "_pxcaptcha", "perimeterx block", "_incapsula_resource", "incapsula incident",
    "sec-if-cpt", "awswaf-captcha", "captcha.awswaf", "hcaptcha-challenge", "recaptcha-challenge",
    "bot-protection-challenge", "sucuri_cloudproxy_js", "/.well-known/ddos-guard/", "/_sec/cp_challenge",
)  # fmt: skip
# Weak raw markers: a captcha widget or iframe. Comment forms carry them too, so they count only
# with a very thin or cut body.
CAPTCHA_WIDGETS = (
    "g-recaptcha", "h-captcha", "cf-turnstile", "recaptcha/api", "hcaptcha.com/1/api", "smartcaptcha",
    "captcha-api.yandex", "static.geetest.com", "turing.captcha.qcloud.com", "tencentcaptcha",
)  # fmt: skip
CONSENT_MARKERS = (
    "onetrust", "didomi", "sp_message_container", "qc-cmp2", "usercentrics", "cybotcookiebot",
    "fc-consent-root", "consent-wall", "consentwall", "cookie-wall", "cookiewall", "cmp-container",
)  # fmt: skip
# A form that posts to a challenge or captcha path: the page is the check, whatever its language.
_CHALLENGE_FORM_RE = re.compile(
    r"""<form\b[^>]*\baction=["']?[^"'\s>]*(?:captcha|challenge|/cdn-cgi/|bot-?check|/_sec/|/sec-cpt)"""
)

# The wall families' phrases in every language worker/lexicon.py knows, found in one pass per text:
# (verdict kind, label, lexicon family, first-capture word limits (beside the body, as the body)).
# With no version yet, a wall's words count only beside or as a body shorter than these. A paywall's
# teaser may run to a few paragraphs. Consent banners are often in the HTML of real articles (3 of
# 990 real pages in webeval carry one beside a 115-190 word body): beside a body they need a short
# one and a page that locks itself (aria-modal, a locked <body>), else an all but empty one; a
# longer body, up to PAYWALL_TEASER_WORDS, beside a locking layer is an article to confirm (_unsure).
_FAMILIES = (
    ("blocked", "bot check", "bot", (THIN_WORDS, THIN_WORDS)),
    ("paywall", "paywall text", "paywall", (PAYWALL_TEASER_WORDS, PAYWALL_TEASER_WORDS)),
    ("paywall", "login wall", "login", (PAYWALL_TEASER_WORDS, PAYWALL_TEASER_WORDS)),
    ("consent", "consent wall", "consent", (CONSENT_BESIDE_WORDS, PAYWALL_TEASER_WORDS)),
    ("soft_404", "not-found text", "not_found", (THIN_WORDS, THIN_WORDS)),
    ("error", "error text", "error", (THIN_WORDS, THIN_WORDS)),
)
_WALL_PHRASES = PhraseSet({family: lexicon.phrases(family) for _, _, family, _ in _FAMILIES})
_TITLE_PHRASES = PhraseSet({f: lexicon.phrases(f) for f in ("not_found_title", "error_title")})
# Titles any language writes with digits: "404", "Error 404", "503 Service Unavailable".
_NOT_FOUND_TITLE_RE = re.compile(r"^(?:error\s*)?404\b")
_ERROR_TITLE_RE = re.compile(r"^(?:500|502|503|504)\b")
_WORD_RE = regex.compile(r"\w+")  # segment.words' words, where no script is spaceless
_QUOTE_MARKS = "\"'“”„«»「」『』‹›"
_END_PUNCTUATION = ".!?。！？…"
_PAID_PART_RE = re.compile(r'"cssselector"\s*:\s*"([^"]{1,200})"')
_SITE_SUFFIX_RE = re.compile(r"\s+[|–—·:»-]\s+[^|–—·:»]+$")


def _words(text: str) -> list[str]:
    """The lower-cased words of any script (worker/segment.py: ICU words for CJK and Thai).
    segment.words tests each \\w+ run for a spaceless script (2-3 ms on a long article): a text
    with none at all is its runs, found in one call."""
    text = text.casefold()
    return segment.words(text) if segment.has_spaceless(text) else _WORD_RE.findall(text)


def _shingles(tokens: list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = _shingles(a), _shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def is_suspicious_change(previous_text: str, new_text: str) -> bool:
    """True when the body lost more than half its words, or almost nothing is shared (5-shingle
    Jaccard < DISSIMILAR): such a change is confirmed by one more fetch before it becomes a version."""
    before, after = _words(previous_text), _words(new_text)
    if not before:
        return False
    return len(after) < SHRINK_RATIO * len(before) or _jaccard(before, after) < DISSIMILAR


class _Page:
    """What the rules look at. The costly parts (the parsed page, its visible text, the folded
    texts phrases are looked for in) are computed only when a rule needs them: a full article
    usually never does. Lengths are in words of any script (segment.words)."""

    def __init__(self, html: str, extracted: Extracted, previous_text: str | None) -> None:
        self.html = html or ""
        self.headings = extracted.headings  # <title>, then <h1>s
        self.extracted = extracted
        self.previous_text = previous_text or ""
        self.tokens = _words(extracted.text or "")
        self.words = len(self.tokens)
        same = previous_text == extracted.text  # most revisits: nothing to compare
        previous = self.tokens if same else _words(previous_text) if previous_text else []
        self.before = len(previous)
        self.thin = self.words < THIN_WORDS
        self.cut = self.words < CUT_RATIO * self.before if self.before else self.thin  # by length
        dissimilar = bool(self.before) and not same and _jaccard(previous, self.tokens) < DISSIMILAR
        self.hollow = self.cut or dissimilar  # cut, or sharing almost nothing with the latest version
        # A wall's words taken for the body count in a hollow body, but a long body sharing
        # nothing with the latest version is a rewrite, whatever words it uses.
        self.hollow_inside = self.cut or (dissimilar and self.thin)
        self.looks_full = not self.thin and not self.cut and not dissimilar
        self._found: dict[str, list[Hit]] = {}

    @cached_property
    def lines(self) -> list[str]:
        """The body's paragraphs (extraction's lines), folded."""
        return [line for line in map(match_form, (self.extracted.text or "").splitlines()) if line]

    @cached_property
    def body(self) -> str:
        return " ".join(self.lines)

    def line_at(self, offset: int) -> str:
        """The paragraph of the body that holds this offset of `body`."""
        for line in self.lines:
            if offset <= len(line):
                return line
            offset -= len(line) + 1
        return ""

    @cached_property
    def headline(self) -> str:
        return match_form(self.extracted.title or "")  # the article's, not a wall's

    @cached_property
    def previous(self) -> str:
        return match_form(self.previous_text)  # the latest version's body ("" when none)

    @cached_property
    def raw(self) -> str:
        """The casefolded markup, for marker scans (a full article rarely needs one)."""
        return self.html.casefold()

    @cached_property
    def blocking(self) -> bool:
        """The page locks itself behind a layer (aria-modal, a locked <body>); looked for once."""
        return bool(_ARIA_MODAL_RE.search(self.raw) or _LOCKED_BODY_RE.search(self.raw))

    @cached_property
    def tree(self) -> LexborHTMLParser:
        tree = LexborHTMLParser(self.html or "<html></html>")
        for node in tree.css("script, style, template, svg"):
            node.decompose()
        return tree

    @cached_property
    def titles(self) -> list[str]:
        """<title> with the site name cut off, the h1s and the extracted title, folded."""
        if self.headings is None:  # not found by extraction: parse the page for them
            tag = self.tree.css_first("title")
            self.headings = (tag.text() if tag else "", *(h.text() for h in self.tree.css("h1")))
        titles = [_SITE_SUFFIX_RE.sub("", match_form(self.headings[0] if self.headings else ""))]
        titles += [match_form(h) for h in self.headings[1:]] + [self.headline]
        return [t for t in titles if t]

    @cached_property
    def visible(self) -> str:
        """Every text node of the page, noscript included."""
        root = self.tree.body or self.tree.root
        return match_form(root.text(separator=" ") if root else "")

    @cached_property
    def controls(self) -> str:
        """Text of buttons, links, labels and input values, " | "-joined."""
        texts = [n.text() for n in self.tree.css("button, a, [role=button], label")]
        texts += [n.attributes.get("value") or "" for n in self.tree.css("input")]
        return match_form(" | ".join(t for t in texts if t.strip()))

    def found(self, where: str) -> list[Hit]:
        """The wall phrases in one of the texts above ("body", "visible", ...): one pass, once."""
        if where not in self._found:
            self._found[where] = _WALL_PHRASES.find(" | ".join(self.titles) if where == "title" else getattr(self, where))
        return self._found[where]

    def counts(self, where: str) -> Counter[str]:
        return Counter(h.formed for h in self.found(where))


def _first(haystack: str, needles: tuple[str, ...]) -> str | None:
    return next((n for n in needles if n in haystack), None)


def _wall_words(page: _Page, family: str, inside: bool, first_limit: int = THIN_WORDS) -> str | None:
    """A wall's phrase that counts on this page. Outside the body (title, a button, the chrome) it
    counts beside a body cut by length; inside (the extractor took the wall's message for the
    body) it counts when the body is hollow. With no version yet, "cut" means under `first_limit` words."""
    cut = page.cut if page.previous_text else page.words < first_limit
    hollow = page.hollow_inside if page.previous_text else cut
    if not (hollow if inside else cut):
        return None
    if inside:
        # Words the latest version already had are the article's own (a story about captchas).
        return next((h.phrase for h in page.found("body")
                     if h.group == family and h.formed not in page.previous and _wall_line(page, h)), None)  # fmt: skip
    in_text = page.counts("body") + page.counts("headline")  # the headline is the article's, not a wall's
    controls, visible = page.counts("controls"), page.counts("visible")
    for hit in page.found("title") + page.found("controls") + page.found("visible"):
        if hit.group == family and (
            _is_title(page, hit.formed) or controls[hit.formed] or visible[hit.formed] > in_text[hit.formed]
        ):
            return hit.phrase
    return None


def _wall_line(page: _Page, hit: Hit) -> bool:
    """A wall's words stand alone: in a short paragraph of their own ("Subscribe to continue
    reading.") or in the one that is the body (a consent wall's notice), never quoted. An article
    mentions them in quotes, or in one long paragraph among others."""
    body, end = page.body, hit.start + len(hit.formed)
    before = body[hit.start - 1] if hit.start else ""
    after = body[end:].lstrip(_END_PUNCTUATION)[:1]
    if before in _QUOTE_MARKS and before or after in _QUOTE_MARKS and after:
        return False
    words = segment.count(page.line_at(hit.start))
    # A consent notice is long legal text: it may be one long paragraph that is most of the body.
    return words <= WALL_LINE_WORDS or hit.group == "consent" and 2 * words >= page.words


def _is_title(page: _Page, phrase: str) -> bool:
    """The phrase is a title or heading by itself ("Access denied"), not the start of a headline."""
    return any(t.startswith(phrase) and len(t) <= len(phrase) + 15 for t in page.titles)


def _not_free_but_whole(page: _Page) -> bool:
    """JSON-LD marks the paid part with hasPart.cssSelector: when that part's text is in the body,
    the page carries the whole article (a subscriber's or a crawler's view)."""
    body = " ".join(page.tokens)
    for selector in _PAID_PART_RE.findall(page.raw):
        try:
            nodes = page.tree.css(selector)
        except Exception:  # a selector lexbor does not understand: no evidence either way
            continue
        paid = _words(" ".join(n.text(separator=" ") for n in nodes))
        if len(paid) >= COLLAPSE_WORDS and " ".join(paid[:COLLAPSE_WORDS]) in body:
            return True
    return False


def _challenge(page: _Page) -> Verdict | None:
    """A challenge vendor's script, a form posting to a challenge path, or a page that is nothing
    but scripts and a <noscript> message: the check itself, in whatever language it speaks."""
    if page.looks_full:  # the cheap test first: scanning 150 KB for each marker costs ~1 ms
        return None
    marker = _first(page.raw, CHALLENGE_MARKERS)
    if marker:
        return Verdict("blocked", f"challenge marker: {marker}")
    form = "<form" in page.raw and _CHALLENGE_FORM_RE.search(page.raw)
    if form:
        return Verdict("blocked", f"challenge form: {form[0].rsplit('action=', 1)[-1][:60]}")
    return _script_shell(page)


def _script_shell(page: _Page) -> Verdict | None:
    """Scripts, a <noscript> message ("enable JavaScript"), and (almost) no other text anywhere."""
    if page.words >= COLLAPSE_WORDS or "<noscript" not in page.raw or "<script" not in page.raw:
        return None
    message = segment.count(" ".join(n.text(separator=" ") for n in page.tree.css("noscript")))
    others = segment.count(page.visible) - message
    if message and others < SHELL_WORDS:
        return Verdict("blocked", f"script-only page: a {message}-word noscript message, {max(others, 0)} other words")
    return None


def _by_words(page: _Page, inside: bool) -> Verdict | None:
    for kind, label, family, (beside, within) in _FAMILIES:
        # A banner that blocks nothing counts only beside an all but empty body. Whether the page
        # blocks (a scan of the whole markup) matters only for a first capture shorter than `beside`.
        if kind == "consent" and not inside and not page.previous_text and page.words < beside and not page.blocking:
            beside = COLLAPSE_WORDS
        phrase = _wall_words(page, family, inside, within if inside else beside)
        if phrase:
            return Verdict(kind, f"{label}: {phrase!r}")
    return None


def _unsure(page: _Page) -> Verdict | None:
    """A first capture whose page locks itself behind a consent layer (aria-modal, a locked body)
    beside a short body: a consent layer over a teaser, or a real short article. One more fetch
    decides: a layer served now and then goes away; a real article (or a wall served always) stays."""
    if page.previous_text or page.words >= PAYWALL_TEASER_WORDS or not page.blocking:  # the cheap tests first
        return None
    phrase = _wall_words(page, "consent", False, PAYWALL_TEASER_WORDS)
    if phrase:
        return Verdict("article", f"unsure: consent text {phrase!r} beside a {page.words}-word body", True)
    return None


def _title_is(page: _Page, family: str, numeric: re.Pattern[str]) -> bool:
    """A short title (not a headline) that starts with an error page's words or code."""
    for title in page.titles:
        if len(title) <= ERROR_TITLE_CHARS and (
            numeric.search(title) or any(h.start == 0 and h.group == family for h in _TITLE_PHRASES.find(title))
        ):
            return True
    return False


def _by_structure(page: _Page, previous_text: str | None) -> Verdict | None:
    """Markers that are not words: captcha widgets, consent platforms, structured data, titles."""
    # Each marker rule needs a cut body: test that before scanning the markup.
    widget = page.cut and _first(page.raw, CAPTCHA_WIDGETS)  # comment forms have them: only with (almost) no body
    if widget and (previous_text or page.words < COLLAPSE_WORDS):
        return Verdict("blocked", f"captcha widget: {widget}")
    short = page.cut if previous_text else page.words < PAYWALL_TEASER_WORDS
    if short and "isaccessibleforfree" in page.raw and _NOT_FREE_RE.search(page.raw) and not _not_free_but_whole(page):
        return Verdict("paywall", f"isAccessibleForFree false with a {page.words}-word body")
    marker = page.cut and page.words < COLLAPSE_WORDS and _first(page.raw, CONSENT_MARKERS)
    if marker:  # on most pages: only with (almost) no body
        return Verdict("consent", f"consent platform {marker} and a {page.words}-word body")
    # "Page not found" as the title is plain; "Error ..." may start a real headline: needs a thin body.
    if (page.hollow or previous_text is None and page.words < FIRST_LONG_WORDS) and _title_is(
        page, "not_found_title", _NOT_FOUND_TITLE_RE
    ):
        return Verdict("soft_404", "not-found title")
    if page.hollow and _title_is(page, "error_title", _ERROR_TITLE_RE):
        return Verdict("error", "error title")
    return None


def _collapsed(page: _Page) -> Verdict | None:
    if page.before >= COLLAPSE_MIN_PREVIOUS and page.words < max(COLLAPSE_WORDS, COLLAPSE_RATIO * page.before):
        return Verdict("error", f"body collapsed from {page.before} to {page.words} words")
    return None


def classify(status: int | None, html: str, extracted: Extracted, previous_text: str | None) -> Verdict:
    """Is this capture the article? `previous_text` is the latest version's body (None: none yet)."""
    if status in BLOCK_STATUSES:
        return Verdict("blocked", f"status {status}")
    previous_text = previous_text if previous_text and previous_text.strip() else None
    page = _Page(html, extracted, previous_text)
    if status is not None and status >= 400:
        marker = _first(page.raw, CHALLENGE_MARKERS)
        return Verdict("blocked", f"challenge marker: {marker}") if marker else Verdict("error", f"status {status}")
    # Strongest first: a challenge script, then a wall's words around the body, then markers that
    # are not words, then a wall's words taken for the body, then a body that all but vanished.
    verdict = (_challenge(page) or _by_words(page, inside=False) or _by_structure(page, previous_text)
               or _by_words(page, inside=True) or _collapsed(page))  # fmt: skip
    if verdict is not None:
        return verdict
    if page.words == 0:
        return Verdict("error", "empty extraction")
    return _unsure(page) or ARTICLE
