"""What is not article text: class/id hints for elements, phrase patterns for short blocks."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Matched against each lower-cased class token and the id. Substrings, so "article-share-bar" hits.
_ATTR_RE = re.compile(
    r"share|sharing|social|related|newsletter|subscri|signup|sign-up|comment|disqus|cookie|consent|"
    r"gdpr|promo|advert|adslot|ad-slot|ad-container|ad-wrapper|adunit|ad-unit|dfp|gpt-ad|sponsor|"
    r"outbrain|taboola|recommend|most-?read|most-?popular|popular|trending|read-?more|read-?next|"
    r"also-?read|more-?stories|more-?articles|breadcrumb|byline|author|dateline|timestamp|caption|"
    r"credit|^tags?$|tag-?list|tags-|toolbar|pagination|paywall|modal|popup|print-|rating|"
    r"view-?count|sidebar|widget|sr-only|visually-?hidden|screen-?reader|offscreen|^hidden$|is-hidden|"
    r"d-none|header|footer|^meta$|-meta|meta-|post-?nav|navigation|^nav|-nav|menu|banner|skip-?link|"
    r"donate|donation|membership|inline-?link|see-?also|further-?reading|bio$|-bio|copyright|"
    r"disclaimer|feedback|survey|toc$|table-of-contents|jump-?link|live-?update-?nav|video-?player"
)
# A cheap superset of the two patterns, run on the whole attribute string before the token checks.
_PREFILTER_RE = re.compile(
    _ATTR_RE.pattern.replace("^", "").replace("$", "") + r"|\bad|[-_]ads?(?![a-z])|adv"
)  # no re.I: callers lower-case first, and IGNORECASE makes this alternation ten times slower
_AD_TOKEN_RE = re.compile(r"^(?:ad|ads|advert|adv)(?:[-_].*)?$|[-_](?:ad|ads)$")
# Hints that a node is the article itself even if another token looks like boilerplate.
_KEEP_RE = re.compile(
    r"article-?body|articlebody|story-?body|post-?body|entry-?content|post-?content|article-?content|"
    r"article-?text|story-?content|main-?content|body-?text|^content$|rich-?text|prose"
)


def is_boilerplate_attr(attrs: Mapping[str, str | None]) -> bool:
    """True when the element's class or id names it as share bar, related box, ad, byline, ..."""
    role = attrs.get("role")
    if role in ("complementary", "navigation", "banner", "contentinfo"):
        return True
    classes, ident = (attrs.get("class") or "").lower(), (attrs.get("id") or "").lower()
    if not _PREFILTER_RE.search(classes) and not _PREFILTER_RE.search(ident):
        return False
    if attrs.get("itemprop") == "articleBody" or role == "main":
        return False
    tokens = classes.split()
    if ident:
        tokens.append(ident)
    hit = False
    for token in tokens:
        if _KEEP_RE.search(token):
            return False
        if not hit and (_ATTR_RE.search(token) or _AD_TOKEN_RE.search(token)):
            hit = True
    return hit


_PHRASES = (
    r"advertisements?|advertising|ad|ads|sponsored(?: content)?|anzeige|werbung|publicidad|"
    r"publicité|pubblicità|reklam|реклама|إعلان|"
    r"story continues below(?: advertisement)?|continue reading.*|read more.*|read next.*|"
    r"keep reading.*|related(?: articles| stories| content| coverage| news| posts)?(?::.*)?|see also(?::.*)?|"
    r"also read(?::.*)?|recommended(?: for you)?(?::.*)?|more from .*|more on this story.*|"
    r"share(?: this)?(?: article| story| post| page)?(?: on .*)?|tweet|email|e-mail|print|facebook|"
    r"twitter|whatsapp|linkedin|pinterest|reddit|copy link|copied!?|follow us.*|sign up.*|"
    r"subscribe.*|click here.*|listen to (?:this )?article.*|listen|"
    r"\d[\d.,]*\s*[km]?\s*(?:min(?:ute)?s?(?: read)?|views?|comments?|shares?|likes?)|comments?|"
    r"loading\.*|skip (?:to )?(?:content|ad).*|accept(?: all)?(?: cookies)?|"
    r"(?:image|photo|picture|foto|video|graphic)s?(?: credit)?(?::\s.*)?|getty images|ap photo.*|"
    r"(?:updated|published|posted|last updated)(?: on| at)?:? [^.]*\d[^.]*|"
    r"(?:by|von|por|par):? (?-i:[A-Z][\w'.-]*(?:,? (?:and |& )?[A-Z][\w'.-]*){0,7})|"
    r"all rights reserved.*|©.*|copyright.*|top of page|back to top|next|previous|prev|close|menu|"
    r"this article is more than \d+ \w+ old|this video can not be played|"
    r"we'?re sorry,? this feature is currently unavailable.*|enable javascript.*"
)
_BOILER_RE = re.compile(rf"^(?:{_PHRASES})$", re.I)
_TRAIL_PUNCT = " \t.:!|–—-»›>→"


def is_boilerplate_text(block: str) -> bool:
    if len(block) > 120:
        return False
    return bool(_BOILER_RE.match(block.strip(_TRAIL_PUNCT)))


def drop_boilerplate_blocks(blocks: list[str], title: str) -> list[str]:
    """Blocks minus the repeated headline and short share/ad/read-more/byline lines."""
    folded_title = title.casefold().strip()
    kept = []
    for index, block in enumerate(blocks):
        if index < 5 and folded_title and block.casefold() == folded_title:
            continue
        if is_boilerplate_text(block):
            continue
        kept.append(block)
    return kept
