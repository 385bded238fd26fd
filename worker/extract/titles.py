"""Headlines without the site's name: "Headline | Site", "日本語の見出し｜日本新聞", "Site: Headline".

A part goes when it is a name the page gives for itself (og:site_name, application-name, the
publisher, the section, its home link), compared after folding case and widths; failing that, a
short last part after a strong separator (| – — ｜) is taken for a site name. A colon never cuts
on length alone: "Ukraine: talks resume" is a headline, not "Ukraine" on the site "talks resume".
"""

from __future__ import annotations

import regex

from ..segment import chunk_count, fold, fold_widths

# Spaced separators; unspaced only the full-width bar, ASCII bar, and "_" between CJK words (portals).
_SEP_RE = regex.compile(
    r"(\s+(?:[|｜\-–—−·•/»«]|::|:|：)\s+|\s*[｜|]\s*|\s*：\s*|(?<=\p{Han}|\p{Hiragana}|\p{Katakana}|[)）」])\s*[_－]\s*"
    r"|(?<=\S):\s+)"
)
_SEP_CHARS = regex.compile(r"[|｜\-–—−·•/»«:：_－]")  # a cheap look before the costly split
_NOT_ALNUM = regex.compile(r"[\W_]+")
_COLONS = frozenset(":：")
_CJK_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def name_key(text: str) -> str:
    """A name as compared: widths, case and accents folded, spaces and punctuation gone."""
    return _NOT_ALNUM.sub("", fold(text))


def _is_name(part: str, names: tuple[str, ...]) -> bool:
    key = name_key(part)
    if not key:
        return False
    # "Le Monde.fr" names the site that titles "Le Monde", "BBC" the one of "BBC News": a few letters
    # more or less; "Energie" is not the name in "Energiesparen bei Cern".
    return any(key == n or (len(key) >= 3 and len(n) >= 3 and abs(len(key) - len(n)) <= 5
                            and (n.startswith(key) or key.startswith(n)))
               for n in names)  # fmt: skip


def _short_enough(tail: str, head: str) -> bool:
    if _CJK_RE.search(tail):
        return len(tail) <= 20 and len(head) >= max(len(tail), 5)
    # words as the house counts them: a Thai headline has no spaces, and is more than one word
    return chunk_count(tail) <= 4 and len(tail) <= 40 and len(head) >= len(tail) and chunk_count(head) >= 2


def _split(title: str) -> list[str]:
    """Parts and separators alternating: [part, sep, part, ...]; quotes «» are not separators."""
    pieces = _SEP_RE.split(title)
    if "«" in title and "»" in title:
        joined: list[str] = [pieces[0]]
        for sep, part in zip(pieces[1::2], pieces[2::2], strict=True):
            if sep.strip() in "«»":
                joined[-1] += sep + part
            else:
                joined.extend((sep, part))
        pieces = joined
    return pieces


def _whole_name_off(title: str, site_names: tuple[str, ...]) -> str:
    """A known name that itself holds a separator ("Group: Online | Storm hits") goes whole."""
    folded = fold_widths(title).casefold()
    for name in site_names:
        name = fold_widths(" ".join(name.split())).casefold()
        if (
            len(name) < 3
            or len(name) >= len(folded)
            or not _SEP_CHARS.search(name)
            or not _SEP_RE.search(name)
        ):
            continue
        if folded.startswith(name) and (sep := _SEP_RE.match(title, len(name))):
            return title[sep.end() :]
        head = title[: len(title) - len(name)]
        if folded.endswith(name) and (seps := list(_SEP_RE.finditer(head))) and seps[-1].end() == len(head):
            return head[: seps[-1].start()]
    return title


def strip_site_suffix(title: str, site_names: tuple[str, ...] = (), sections: tuple[str, ...] = ()) -> str:
    """'Headline | Site' -> 'Headline' (also 'Site | Headline', and several: 'Headline - Section - Site').

    A section's name goes only after a bar or dash ("Opinion | ..."): "Bergisch Gladbach: die Stadt
    klagt" keeps its colon clause even when the section is called Bergisch Gladbach."""
    title = " ".join(title.split())
    if _SEP_CHARS.search(title) is None:
        return title
    # A "site name" that is the whole title names nothing (a CMS filling application-name with it).
    site_names = tuple(s for s in site_names if s and name_key(s) != name_key(title))
    names = tuple(k for k in (name_key(s) for s in site_names) if k)
    title = _whole_name_off(title, site_names)
    section_names = names + tuple(k for k in (name_key(s) for s in sections if s) if k)
    pieces = _split(title)
    dropped = ""
    while len(pieces) >= 3:
        tail_names = names if pieces[-2].strip() in _COLONS else section_names
        front_names = names if pieces[1].strip() in _COLONS else section_names
        if _is_name(pieces[-1], tail_names):
            dropped, pieces = pieces[-2].strip(), pieces[:-2]
        elif _is_name(pieces[0], front_names):
            dropped, pieces = pieces[1].strip(), pieces[2:]
        else:
            break
    # The last separator that is no colon: "Headline - Strava-Update: POI" has the tail after the dash.
    at = next((i for i in range(len(pieces) - 2, 0, -2) if pieces[i].strip() not in _COLONS), 0)
    if at:
        sep, tail = pieces[at].strip(), "".join(pieces[at + 1 :]).strip()
        head = "".join(pieces[:at]).strip()
        # Unknown, a short tail goes: the site's name, or after the site's name a section ("_科技_腾讯网").
        if (not dropped or sep == dropped) and _short_enough(tail, head):
            return strip_site_suffix(head, site_names, sections) if sep in "|｜_" and not dropped else head
    return "".join(pieces).strip()


def home_names(tree) -> list[str]:  # type: ignore[no-untyped-def]
    """What the page's links to its home page say: the logo's alt text, the masthead's name."""
    out = []
    for node in tree.css('a[href="/"], a[rel~="home"]')[:6]:
        text = " ".join((node.text() or "").split())
        if not text:
            img = node.css_first("img[alt]")
            text = (img.attributes.get("alt") or "").strip() if img is not None else ""
        if 2 <= len(text) <= 60:
            out.append(text)
    return out


def has_separator(title: str) -> bool:
    return _SEP_CHARS.search(title) is not None and _SEP_RE.search(title) is not None
