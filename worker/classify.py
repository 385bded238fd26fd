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
a false version; an unsure case is confirmed by one more fetch. The pipeline's rule:

    verdict = classify(status, html, extracted, latest.text if latest else None)
    not an article             -> a failed fetch of kind verdict.kind, retried later
    same hash as latest        -> unchanged
    verdict.confirm, or latest and is_suspicious_change(latest.text, extracted.text)
                               -> a version only if one more fetch right away gives the same hash
    otherwise                  -> a new version
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser

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
BLOCK_STATUSES = frozenset({401, 403, 407, 429, 451})
SHINGLE = 5

# Words: \w+ runs, except that each CJK or Thai character counts as one (those scripts put no
# spaces between words, and a whole sentence as one "word" would make every such page look empty).
_SPACELESS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RE = re.compile(rf"[{_SPACELESS}]|[^\W{_SPACELESS}]+")
# Two patterns, each with a literal prefix re can skip to: one alternation scans 150 KB at ~1.5 ms.
_ARIA_MODAL_RE = re.compile(r"""aria-modal=["']?true""")
_LOCKED_BODY_RE = re.compile(r"""<body[^>]*class=["'][^"']*(?:consent|cmp|modal-open|no-?scroll|overflow-hidden|locked)""")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " "})
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
    "bot-protection-challenge",
)  # fmt: skip
# Weak raw markers: a captcha widget or iframe. Comment forms carry them too, so they count only
# with a very thin or cut body.
CAPTCHA_WIDGETS = ("g-recaptcha", "h-captcha", "cf-turnstile", "recaptcha/api", "hcaptcha.com/1/api")

BOT_PHRASES = (
    "verify you are human", "verify that you are human", "verifying you are human", "are you a robot",
    "are you human", "i'm not a robot", "i am not a robot", "checking your browser",
    "checking if the site connection is secure", "enable javascript and cookies to continue",
    "please enable cookies", "please complete the security check", "unusual traffic",
    "automated queries", "press & hold", "press and hold", "access to this page has been denied",
    "you don't have permission to access", "your request has been blocked", "request blocked",
    "too many requests", "rate limit exceeded", "security check", "bot detection", "just a moment",
    "attention required", "access denied", "human verification",
    "vérifiez que vous êtes humain", "vérification de sécurité", "êtes-vous un robot",
    "bitte bestätigen sie, dass sie ein mensch sind", "sind sie ein roboter", "sicherheitsüberprüfung",
    "zugriff verweigert", "verifica que eres humano", "¿eres un robot?", "comprobación de seguridad",
    "acceso denegado", "verifica di essere umano", "verifique que você é humano",
    "подтвердите, что вы не робот", "вы не робот", "доступ запрещён", "доступ запрещен",
    "robot olmadığınızı doğrulayın", "تحقق من أنك لست روبوت", "أنا لست روبوت",
)  # fmt: skip
CONSENT_PHRASES = (
    "accept all cookies", "accept all", "accept cookies", "agree and continue", "accept and continue",
    "we value your privacy", "we and our partners", "before you continue", "consent to the use of cookies",
    "reject all",
    "alle akzeptieren", "alle cookies akzeptieren", "akzeptieren und weiter", "zustimmen und weiter",
    "wir und unsere partner", "tout accepter", "accepter et continuer", "accepter et fermer",
    "nous et nos partenaires", "aceptar todo", "aceptar todas", "aceptar y continuar",
    "nosotros y nuestros socios", "accetta tutto", "accetta e continua", "noi e i nostri partner",
    "aceitar todos", "aceitar e continuar", "alles accepteren", "zaakceptuj wszystko",
    "принять все", "согласиться и продолжить", "tümünü kabul et", "kabul et ve devam et",
    "قبول الكل", "すべて同意", "모두 동의",
)  # fmt: skip
CONSENT_MARKERS = (
    "onetrust", "didomi", "sp_message_container", "qc-cmp2", "usercentrics", "cybotcookiebot",
    "fc-consent-root", "consent-wall", "consentwall", "cookie-wall", "cookiewall", "cmp-container",
)  # fmt: skip
PAYWALL_PHRASES = (
    "subscribe to continue reading", "subscribe to read", "subscribe to keep reading",
    "to continue reading, subscribe", "this article is for subscribers", "this article is available to subscribers",
    "sign in to continue reading", "log in to continue reading", "register to continue reading",
    "create a free account to continue", "to read the full article", "unlock this article",
    "abonnez-vous pour lire la suite", "réservé aux abonnés", "pour lire la suite",
    "jetzt weiterlesen", "weiterlesen mit", "nur für abonnenten",
    "um weiterzulesen", "suscríbete para seguir leyendo", "suscríbete para continuar",
    "exclusivo para suscriptores", "abbonati per continuare", "riservato agli abbonati",
    "assine para continuar lendo",
    "exclusivo para assinantes", "подпишитесь, чтобы продолжить", "продолжение доступно по подписке",
    "только для подписчиков", "okumaya devam etmek için abone", "abonelere özel",
    "اشترك لمتابعة القراءة", "للمشتركين فقط",
)  # fmt: skip
# A title (site name cut off) that is nothing but an error: anchored at its start.
NOT_FOUND_TITLE_RE = re.compile(
    r"^(?:error\s*)?404\b|^(?:page|article|content)?\s*not found|^page (?:does not|doesn't) exist|"
    r"^seite nicht gefunden|^fehler 404|^page (?:introuvable|non trouvée)|^página no encontrada|"
    r"^pagina non trovata|^página não encontrada|^страница не найдена|^sayfa bulunamadı|"
    r"^الصفحة غير موجودة|^ページが見つかりません"
)
ERROR_TITLE_RE = re.compile(
    r"^(?:error|fehler|erreur)\b|^(?:500|502|503|504)\b|^internal server error|^service unavailable|"
    r"^something went wrong|^an error (?:has )?occurred|^ein fehler ist aufgetreten|"
    r"^une erreur s'est produite|^se ha producido un error|^si è verificato un errore|^произошла ошибка"
)
NOT_FOUND_PHRASES = (
    "page not found", "the page you requested could not be found", "we couldn't find", "we can't find",
    "this page doesn't exist", "this page does not exist", "no longer available", "has been removed",
    "seite nicht gefunden", "page introuvable", "página no encontrada", "pagina non trovata",
    "страница не найдена", "sayfa bulunamadı", "الصفحة غير موجودة",
)  # fmt: skip
ERROR_PHRASES = (
    "an error occurred", "an error has occurred", "something went wrong", "internal server error",
    "service unavailable", "temporarily unavailable", "please try again later", "bad gateway",
    "ein fehler ist aufgetreten", "une erreur s'est produite", "se ha producido un error",
    "si è verificato un errore", "произошла ошибка", "bir hata oluştu",
)  # fmt: skip
# (kind, label, phrases, first-capture word limits (beside the body, as the body)). With no version
# yet, a wall's words count only beside or as a body shorter than these. A paywall's teaser may run
# to a few paragraphs. Consent banners are often in the HTML of real articles (3 of 990 real pages
# in webeval carry one beside a 115-190 word body): beside a body they need a short one and a page
# that locks itself (aria-modal, a locked <body>), else an all but empty one; a longer body, up to
# PAYWALL_TEASER_WORDS, beside a locking layer is an article to confirm (_unsure).
_FAMILIES = (
    ("blocked", "bot check", BOT_PHRASES, (THIN_WORDS, THIN_WORDS)),
    ("paywall", "paywall text", PAYWALL_PHRASES, (PAYWALL_TEASER_WORDS, PAYWALL_TEASER_WORDS)),
    ("consent", "consent wall", CONSENT_PHRASES, (CONSENT_BESIDE_WORDS, PAYWALL_TEASER_WORDS)),
    ("soft_404", "not-found text", NOT_FOUND_PHRASES, (THIN_WORDS, THIN_WORDS)),
    ("error", "error text", ERROR_PHRASES, (THIN_WORDS, THIN_WORDS)),
)
_PAID_PART_RE = re.compile(r'"cssselector"\s*:\s*"([^"]{1,200})"')
_SITE_SUFFIX_RE = re.compile(r"\s+[|–—·:»-]\s+[^|–—·:»]+$")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTES).casefold().split())


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Word `size`-shingles of the lower-cased \\w+ tokens; a shorter text is one shingle."""
    tokens = _words(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def is_suspicious_change(previous_text: str, new_text: str) -> bool:
    """True when the body lost more than half its words, or almost nothing is shared (5-shingle
    Jaccard < DISSIMILAR): such a change is confirmed by one more fetch before it becomes a version."""
    before, after = len(_words(previous_text)), len(_words(new_text))
    if before == 0:
        return False
    return after < SHRINK_RATIO * before or jaccard(previous_text, new_text) < DISSIMILAR


class _Page:
    """What the rules look at. The costly parts (the parsed page, its visible text) are computed
    only when a rule needs them: a full article usually never does."""

    def __init__(self, html: str, extracted: Extracted, previous_text: str | None) -> None:
        self.html = html or ""
        self.headings = extracted.headings  # <title>, then <h1>s
        self.headline = _norm(extracted.title or "")  # the article's, not a wall's
        self.previous = _norm(previous_text or "")  # the latest version's body ("" when none)
        self.body = _norm(extracted.text or "")
        self.body_flat = " ".join(_words(extracted.text or ""))  # \w+ tokens only
        self.words = len(self.body_flat.split())
        before = len(_words(previous_text)) if previous_text else 0
        self.thin = self.words < THIN_WORDS
        self.cut = self.words < CUT_RATIO * before if before else self.thin  # by length
        dissimilar = bool(before) and jaccard(previous_text or "", extracted.text or "") < DISSIMILAR
        self.hollow = self.cut or dissimilar  # cut, or sharing almost nothing with the latest version
        self.looks_full = not self.thin and not self.cut and not dissimilar

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
    def title(self) -> str:
        """<title> with the site name cut off, the h1s and the extracted title, " | "-joined."""
        if self.headings is None:  # not found by extraction: parse the page for them
            tag = self.tree.css_first("title")
            self.headings = (tag.text() if tag else "", *(h.text() for h in self.tree.css("h1")))
        titles = [_SITE_SUFFIX_RE.sub("", _norm(self.headings[0] if self.headings else ""))]
        titles += [_norm(h) for h in self.headings[1:]] + [self.headline]
        return " | ".join(t for t in titles if t)

    @cached_property
    def visible(self) -> str:
        """Every text node of the page, noscript included."""
        root = self.tree.body or self.tree.root
        return _norm(root.text(separator=" ") if root else "")

    @cached_property
    def controls(self) -> str:
        """Text of buttons, links, labels and input values, " | "-joined."""
        texts = [n.text() for n in self.tree.css("button, a, [role=button], label")]
        texts += [n.attributes.get("value") or "" for n in self.tree.css("input")]
        return _norm(" | ".join(t for t in texts if t.strip()))


def _first(haystack: str, needles: tuple[str, ...]) -> str | None:
    return next((n for n in needles if n in haystack), None)


def _wall_words(page: _Page, phrases: tuple[str, ...], inside: bool, first_limit: int = THIN_WORDS) -> str | None:
    """A wall's phrase that counts on this page. Outside the body (title, a button, the chrome) it
    counts beside a body cut by length; inside (the extractor took the wall's message for the
    body) it counts when the body is hollow. With no version yet, "cut" means under `first_limit` words."""
    cut = page.cut if page.previous else page.words < first_limit
    hollow = page.hollow if page.previous else cut
    if not (hollow if inside else cut):
        return None
    for phrase in phrases:
        in_body = page.body.count(phrase)
        in_text = in_body + page.headline.count(phrase)  # the headline is the article's, not a wall's
        # Words the latest version already had are the article's own (a story about captchas).
        if inside and in_body and hollow and phrase not in page.previous:
            return phrase
        if not inside and cut and (
            _is_title(page, phrase) or phrase in page.controls or page.visible.count(phrase) > in_text
        ):
            return phrase
    return None


def _is_title(page: _Page, phrase: str) -> bool:
    """The phrase is a title or heading by itself ("Access denied"), not the start of a headline."""
    return any(t.startswith(phrase) and len(t) <= len(phrase) + 15 for t in page.title.split(" | "))


def _not_free_but_whole(page: _Page) -> bool:
    """JSON-LD marks the paid part with hasPart.cssSelector: when that part's text is in the body,
    the page carries the whole article (a subscriber's or a crawler's view)."""
    for selector in _PAID_PART_RE.findall(page.raw):
        try:
            nodes = page.tree.css(selector)
        except Exception:  # a selector lexbor does not understand: no evidence either way
            continue
        paid = _words(" ".join(n.text(separator=" ") for n in nodes))
        if len(paid) >= COLLAPSE_WORDS and " ".join(paid[:COLLAPSE_WORDS]) in page.body_flat:
            return True
    return False


def _challenge(page: _Page) -> Verdict | None:
    if page.looks_full:  # the cheap test first: scanning 150 KB for each marker costs ~1 ms
        return None
    marker = _first(page.raw, CHALLENGE_MARKERS)
    if marker:
        return Verdict("blocked", f"challenge marker: {marker}")
    return None


def _by_words(page: _Page, inside: bool) -> Verdict | None:
    for kind, label, phrases, (beside, within) in _FAMILIES:
        # A banner that blocks nothing counts only beside an all but empty body. Whether the page
        # blocks (a scan of the whole markup) matters only for a first capture shorter than `beside`.
        if kind == "consent" and not inside and not page.previous and page.words < beside and not page.blocking:
            beside = COLLAPSE_WORDS
        phrase = _wall_words(page, phrases, inside, within if inside else beside)
        if phrase:
            return Verdict(kind, f"{label}: {phrase!r}")
    return None


def _unsure(page: _Page) -> Verdict | None:
    """A first capture whose page locks itself behind a consent layer (aria-modal, a locked body)
    beside a short body: a consent layer over a teaser, or a real short article. One more fetch
    decides: a layer served now and then goes away; a real article (or a wall served always) stays."""
    if page.previous or page.words >= PAYWALL_TEASER_WORDS or not page.blocking:  # the cheap tests first
        return None
    phrase = _wall_words(page, CONSENT_PHRASES, False, PAYWALL_TEASER_WORDS)
    if phrase:
        return Verdict("article", f"unsure: consent text {phrase!r} beside a {page.words}-word body", True)
    return None


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
    if not (page.hollow or previous_text is None and page.words < FIRST_LONG_WORDS):
        return None  # neither title rule below can apply: spare the second parse of the page
    titles = [t for t in page.title.split(" | ") if len(t) <= ERROR_TITLE_CHARS]  # not a headline
    # "Page not found" as the title is plain; "Error ..." may start a real headline: needs a thin body.
    if (page.hollow or previous_text is None and page.words < FIRST_LONG_WORDS) and any(
        NOT_FOUND_TITLE_RE.search(t) for t in titles
    ):
        return Verdict("soft_404", "not-found title")
    if page.hollow and any(ERROR_TITLE_RE.search(t) for t in titles):
        return Verdict("error", "error title")
    return None


def _collapsed(page: _Page, previous_text: str | None) -> Verdict | None:
    before = len(_words(previous_text)) if previous_text else 0
    if before >= COLLAPSE_MIN_PREVIOUS and page.words < max(COLLAPSE_WORDS, COLLAPSE_RATIO * before):
        return Verdict("error", f"body collapsed from {before} to {page.words} words")
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
               or _by_words(page, inside=True) or _collapsed(page, previous_text))  # fmt: skip
    if verdict is not None:
        return verdict
    if page.words == 0:
        return Verdict("error", "empty extraction")
    return _unsure(page) or ARTICLE
