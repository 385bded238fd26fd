"""What is not article text: class/id hints for elements, phrase patterns for short blocks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import regex

from .. import acknowledged
from ..segment import fold_widths
from . import date_words


def literal_alternation(words: list[str]) -> str:
    """A regex matching any of the literal words, factored as a trie ("sha(?:re|ring)").

    Python's re tries every branch of an alternation at every position; sharing prefixes makes
    a 90-word class-name matcher several times faster.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Substrings of a lower-cased class token or id that name a non-article box ("article-share-bar").
_ATTR_WORDS = """
share sharing social related newsletter subscri signup sign-up comment disqus cookie consent gdpr promo
advert adslot ad-slot ad-container ad-wrapper adunit ad-unit dfp gpt-ad sponsor outbrain taboola
recommend mostread most-read mostpopular most-popular popular trending readmore read-more readnext
read-next alsoread also-read morestories more-stories morearticles more-articles breadcrumb byline
author dateline timestamp caption credit taglist tag-list tags- toolbar pagination paywall modal popup
print- rating viewcount view-count sidebar sr-only visuallyhidden visually-hidden screenreader
screen-reader offscreen is-hidden header footer -meta meta- postnav post-nav navigation -nav
menu banner skiplink skip-link donate donation membership inlinelink inline-link seealso see-also
furtherreading further-reading -bio copyright disclaimer feedback survey table-of-contents jumplink
jump-link live-update-nav videoplayer video-player
""".split()
_ATTR_RE = re.compile(literal_alternation(_ATTR_WORDS) + r"|^(?:tags?|hidden|meta|d-none)$|^nav|bio$|toc$")
_STATE_PREFIX_RE = re.compile(r"^(?:has|with|no|non|show|js|enable|enabled)[-_]")
_AD_TOKEN_RE = re.compile(r"^(?:ad|ads|advert|adv)(?:[-_].*)?$|[-_](?:ad|ads)$")
# Hints that a node is the article itself even if another token looks like boilerplate.
_KEEP_WORDS = """
article-body articlebody story-body storybody post-body postbody entry-content entrycontent
post-content postcontent article-content articlecontent article-text articletext story-content
storycontent main-content maincontent body-text bodytext rich-text richtext prose
""".split()
KEEP_RE = re.compile(literal_alternation(_KEEP_WORDS) + "|^content$")


def is_boilerplate_attr(attrs: Mapping[str, str | None]) -> bool:
    """True when the element's class or id names it as share bar, related box, ad, byline, ..."""
    if not attrs:
        return False
    role = attrs.get("role")
    if role in ("complementary", "navigation", "banner", "contentinfo"):
        return True
    if attrs.get("itemprop") == "articleBody" or role == "main":
        return False
    classes, ident = attrs.get("class"), attrs.get("id")
    return bool(classes or ident) and _names_boilerplate(classes or "", ident or "")  # ("", ""): no tokens


@lru_cache(maxsize=8192)
def _names_boilerplate(classes: str, ident: str) -> bool:
    # Cached twice over (whole strings here, single tokens below): the regexes are not cheap.
    tokens = classes.lower().split()
    if ident:
        tokens.append(ident.lower())
    hit = False
    for token in tokens:
        kind = _token_kind(token)
        if kind == _KEEP:
            return False
        hit = hit or kind == _BOILER
    return hit


_NEUTRAL, _BOILER, _KEEP = 0, 1, 2
_SOCIAL_RE = re.compile(r"social|twitter|tweet|instagram|facebook|tiktok|bluesky|mastodon|threads")


@lru_cache(maxsize=16384)
def _token_kind(token: str) -> int:
    if KEEP_RE.search(token):
        return _KEEP
    token = token.split("--", 1)[0]  # BEM: "Report__Section--Ads" names a section, not an ad
    if _STATE_PREFIX_RE.match(token) or "layout" in token:
        return _NEUTRAL  # "non-paywall", "has-comments": a state; "fixed-sidebar-layout": a page layout
    if "embed" in token and _SOCIAL_RE.search(token):
        return _NEUTRAL  # a tweet or post the article quotes ("social-media-embed") is its text
    # "commentary" is an opinion piece, not comments; Drupal's "node-promoted" a state, not a promo box
    token = token.replace("commentar", "").replace("promoted", "")
    return _BOILER if _ATTR_RE.search(token) or _AD_TOKEN_RE.search(token) else _NEUTRAL


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
    r"all rights reserved.*|©.*|copyright.*|top of page|back to top|next|previous|prev|close|menu|"
    r"this article is more than \d+ \w+ old|this video can not be played|"
    r"we'?re sorry,? this feature is currently unavailable.*|enable javascript.*|"
    r"this (?:entry|post) was posted.*|you (?:may|might) also like.*|pdf version|table of contents|"
    r"more stories.*|recommended stories.*|leave a (?:comment|reply).*|post a comment|comments? by.*|"
    # The same boxes in the archive's other main languages (headings of related/share/ad boxes).
    r"lesen sie auch.*|lies auch.*|auch interessant.*|das könnte (?:sie|dich) auch interessieren.*|"
    r"weitere (?:artikel|beiträge|nachrichten|infos|informationen|themen)(?: zum thema)?.*|"
    r"mehr zum thema.*|inhaltsverzeichnis|(?:jetzt |artikel |beitrag )?teilen|(?:rezept |artikel |seite )?drucken|"
    r"zum artikel|(?:zum )?weiterlesen|(?:möchten|wollen) sie (?:den|diesen) (?:artikel|beitrag) teilen\??|"
    r"teilen sie (?:dies|diesen artikel|diesen beitrag|den artikel)(?: mit)?.*|be sociable,? share|"
    r"kommentare?(?: schreiben| verfassen)?|kommentieren|schreibe(?:n sie)? einen kommentar.*|"
    # Teasers of other stories set inside the text, and the archive's filing lines.
    r"(?:le|te|les) puede(?:n)? interesar.*|puedes ver:.*|mir[ae]:.*|ver también:.*|"
    r"czytaj (?:też|również).*|zobacz (?:także|również).*|"
    r"(?:das|dieses) thema könnte (?:dich|sie) auch interessieren.*|empfohlene (?:beiträge|artikel).*|"
    r"mehr themen.*|keine kommentare|lust auf mehr\??|"
    r"(?:categor(?:y|ies)|kategorien?|catégories?|categorías?|categori[ae]|tags|schlagworte)\s?:.*|"
    # A source line under a wire story ("Quelle: dpa", "Źródło: PAP").
    r"(?:source|quelle|źródło|fuente|fonte|источник)n?\s?:\s?[^.]{0,60}|"
    # ...and where words are not spaced: the filing lines of Chinese stories ("责任编辑：张丽", "来源：新华社"),
    # and the reporter's sign-off under a Korean story ("김민수 기자 minsu@news.example").
    r"(?:责任编辑|責任編輯|编辑|編輯|来源|來源)\s?[：:]\s?[^。：:]{1,30}|"
    r"[가-힣]{2,4}\s?(?:기자|특파원|통신원)(?:\s*[\w.+-]+@[\w.-]+)?|"
    # Calls to follow the publisher, which stand where a share bar was removed.
    r"folgen sie uns.*|folge uns.*|suivez-nous.*|síguenos.*|siga-nos.*|nos siga no.*|seguici.*|obserwuj nas.*|"
    r"zurück(?: zu[rm]?)? (?:übersicht|startseite|listenansicht|vorherigen seite|artikelübersicht).*|"
    r"ähnliche (?:themen|artikel|beiträge|nachrichten).*|"
    r"dieser (?:eintrag|beitrag|artikel) wurde .{0,40}veröffentlicht.*|"
    r"lire aussi.*|à lire aussi.*|voir aussi.*|sur le même sujet.*|partager|"
    r"lea también.*|lee también.*|te puede interesar.*|noticias relacionadas.*|compartir|leer más.*|"
    r"leggi anche.*|potrebbe interessarti.*|condividi|"
    r"leia também.*|veja também.*|saiba mais.*|compartilhe.*|"
    r"lees ook.*|delen|ilgili haberler.*|bunlar da ilginizi çekebilir.*|paylaş|devamını oku.*|"
    r"читайте также.*|поделиться|czytaj także.*|zobacz też.*|udostępnij|"
    r"ツイート|シェア(?:する)?|いいね|関連(?:記事|ニュース|リンク)|相关(?:新闻|阅读|文章|报道)|分享(?:到(?:微信|微博|朋友圈|qq空间|qq)?)?|"
    r"관련\s?기사|공유하기"
)
# Matched against lower-cased text without re.I: IGNORECASE makes long alternations far slower.
_BOILER_RE = re.compile(rf"^(?:{_PHRASES})$")
_BYLINE_RE = re.compile(
    r"^(?:[Bb]y|[Vv]on|[Pp]or|[Pp]ar):? [A-Z][\w'.-]*(?:,? (?:and |& )?[A-Z][\w'.-]*){0,7}$"
)
_TRAIL_PUNCT = " \t.:!|–—-»›>→【】[]：:"


# Photo captions ending in a credit: "... (AP Photo/Jane Doe)", "... (NASA via AP, File)", "Photo: Reuters",
# in the archive's other languages too ("Foto: dpa", "Kuva: Lehtikuva", "Fot. PAP", "Фото: ТАСС"), or a
# "© agency | photographer" line.
_CREDIT_CJK = r"写真|撮影|画像|图片来源|圖片來源|图片|圖片|图|圖|摄影|攝影|사진|ภาพ|صورة|تصوير"
_CREDIT_WORDS = r"photo|image|credit|foto|bild|kuva|zdjęcie|фото|titelbild|beitragsbild|bildquelle"
_CREDIT_RE = re.compile(
    r"(?:\((?:[^()]{0,80}\b(?:photo|photograph|image|file|via|getty|shutterstock|courtesy|credit|foto|bild|kuva)\b"
    rf"[^()]{{0,80}})\)|\b(?:crédits? )?(?:fot\.|(?:{_CREDIT_WORDS})s?\s?:)\s*[^.:]{{2,60}}"
    r"|©\s?[^.©]{2,80}|[|/]\s*(?:getty images|shutterstock)"
    # ...and where words are not spaced: "（写真：共同）", "图片来源：新华社", "사진=연합뉴스", "ภาพ: รอยเตอร์"
    rf"|(?:^|[\s。、，（(])(?:{_CREDIT_CJK})\s?[：:＝=/]\s?[^。.：:]{{1,40}}[）)]?)\s*\.?$"
)
# Words one of which a credit holds: one search, before the credit pattern (anchored at $, it tries every start).
_CREDIT_HINT_RE = re.compile(literal_alternation(
    ["photo", "image", "credit", "foto", "bild", "kuva", "fot", "zdjęcie", "фото", "©", "getty", "shutterstock",
     "写真", "撮影", "图", "圖", "사진", "ภาพ", "صورة", "تصوير"]
))  # fmt: skip
# Newsletter and app calls to action written as a sentence rather than a button.
_CTA_RE = re.compile(r"\b(?:newsletters?|inbox|download (?:our|the) app)\b")
_CTA_VERB_RE = re.compile(r"\b(?:subscribe|sign up|sign-up|register|get|download)\b")


# An ad slot rendered as one block: its label set off by dashes, bars or a colon, then the ad's own short
# text ("- Advertisement -Holiday flights from 49", "广告 | 限时优惠"). The ad's words are in any language
# and often one link, whose share of a CJK block's characters is small: the label is what tells.
_AD_LABEL_RE = re.compile(
    r"^[\s\-–—|·•*]*(?:advertisements?|advertising|anzeige|werbung|publicidad|publicité|pubblicità|reklam|"
    r"реклама|إعلان|広告|广告|廣告|광고|โฆษณา|sponsored)(?:(?<=^[-–—|·•*])|\s*[-–—|·•*:])"
)
_AD_LABEL_LEAD_RE = re.compile(r"^\s*[-–—|·•*]")


def _ad_slot(lowered: str) -> bool:
    m = _AD_LABEL_RE.match(lowered)
    if m is None:
        return False
    separated = _AD_LABEL_LEAD_RE.match(lowered) is not None or lowered[m.end() - 1] in "-–—|·•*:"
    return separated and len(lowered) - m.end() <= 60


# An "updated" dateline standing as a block of its own ("10時30分更新", "Обновлено 21.11.2026, 10:30", "수정
# 2026.11.20 오후 3:10"): its time moves with every update, so in the body it would make versions of
# unchanged text.
_DATE_PARTS_RE = regex.compile(r"[\d\p{Nd}年月日時分秒点點시분년월일:.,/\-–—()（）［］\[\]|·•\s]+")
_DATELINE_WORDS = frozenset((*date_words.MODIFIED_LABELS, *date_words.PUBLISHED_LABELS, *date_words.MONTHS,
                             "am", "pm", "午前", "午後", "上午", "下午", "오전", "오후", "at", "on", "um", "в", "saat",
                             "最終", "最后", *"月火水木金土日", *"월화수목금토일"))  # fmt: skip  (weekdays: "3/9(木) 18:45")


_MODIFIED = date_words.MODIFIED_LABELS
_CJK_RE = regex.compile(r"^[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+$")
_CJK_LABELS = sorted((w for w in _DATELINE_WORDS if _CJK_RE.match(w)), key=len, reverse=True)


def _dateline(block: str) -> bool:
    if len(block) > 60 or not any(map(str.isdigit, block)):
        return False
    folded = fold_widths(block)
    tokens = []
    for piece in _DATE_PARTS_RE.sub(" ", folded).split():
        token = date_words.key(piece)
        if not _dateline_word(token):
            return False  # (the rest need no folding)
        tokens.append(token)
    # Only an "updated" line: its time moves; a publication dateline stays put and some texts keep it.
    return any(label in t for t in tokens for label in _MODIFIED)


def _dateline_word(token: str) -> bool:
    """A label, a month name or a clock word; in CJK, labels glued together ("更新配信") count too."""
    if token in _DATELINE_WORDS:
        return True
    if not _CJK_RE.match(token):
        return False
    for label in _CJK_LABELS:
        token = token.replace(label, "")
    return not token


def is_boilerplate_text(block: str) -> bool:
    """Share/ad/read-more lines, bylines, photo credits, newsletter calls to action."""
    if len(block) > 400:
        return False
    lowered = block.lower()
    if _ad_slot(lowered) or _dateline(block):
        return True
    # Credits end the block: look only at its tail, and only when a credit word is there at all
    # (a regex anchored at $ still tries every start position).
    tail = lowered[-170:]
    hinted = tail.endswith((")", ").", "）")) or _CREDIT_HINT_RE.search(tail) is not None
    if hinted and _CREDIT_RE.search(tail):
        return True
    if len(block) <= 200 and ("newsletter" in lowered or "inbox" in lowered or " app" in lowered):
        if _CTA_RE.search(lowered) and _CTA_VERB_RE.search(lowered):
            return True
    if len(block) > 120:
        return False
    stripped = block.strip(_TRAIL_PUNCT)
    if _BOILER_RE.match(stripped.lower()):
        return not correction_note(block)  # "Updated: police now say 3 died" is the article's, not a dateline
    return bool(_BYLINE_RE.match(stripped))


_WORD_RE = regex.compile(r"[\p{L}\p{M}]{3,}")
_DENSE_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Hangul}]")
_RELATIVE = frozenset("ago minute minutes hour hours second seconds day days mins hrs just now".split())


def correction_note(block: str) -> bool:
    """A correction, update or editor's note (worker/acknowledged.py) with words of its own: the
    publisher's acknowledgement of an edit is the article's content, whatever box it stands in. A
    bare "Updated 5 minutes ago" or "Updated at 14:30 GMT on Friday" is a dateline, not a note."""
    found = acknowledged.notes(block[:2000])
    if not found:
        return False
    words = [w for w in _WORD_RE.findall(found[0].key) if not _dateline_word(date_words.key(w)) and w not in _RELATIVE]
    return len(words) >= 4 or len(_DENSE_RE.findall(found[0].key)) >= 8


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
