"""Find many phrases of many languages in a text at once (worker/lexicon.py's, or any).

Pure. Phrases and texts are compared in one folded form (match_form), with one Aho-Corasick pass
per text (pyahocorasick): a thousand phrases cost no more than one, where a `phrase in text` loop
over 150 KB of page text would cost a millisecond per hundred phrases.

Spaced scripts match whole words: "accept all" is not found in "accept allegations", unless the
phrase ends in "*" (the last word may go on: Turkish "abone*" finds "abone olun", "aboneliğiniz").
Spaceless scripts (CJK, Thai) and Hangul (whose particles glue onto words) match anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import ahocorasick
import regex

from worker.segment import drop_invisible, fold

_NO_EDGE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Hangul}]")
# Whitespace between two spaceless characters is layout (a <br>, a tag boundary), not a word gap.
_SPACELESS_GAP = regex.compile(
    r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]) (?=[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}])"
)
_DIGITS = "0123456789"
# Spellings a writer may or may not use, made one: typographic quotes; Arabic-script letter
# variants (Arabic and Persian yeh and kaf, hamza seats), vowel marks and tatweel; the Indic nukta
# and chandrabindu; Arabic-Indic, Persian, Devanagari and Bengali digits. ZWNJ (Persian half-space)
# is a space: writers who do not type it type a space.
_TABLE = str.maketrans(
    {
        "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "\u00a0": " ", "\u200c": " ", "\u200d": None,
        "ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ۀ": "ه", "ـ": None,
        **dict.fromkeys(map(chr, range(0x064B, 0x0660)), None), "\u0670": None,
        "\u093c": None, "\u09bc": None, "\u0901": "\u0902",
        **{chr(base + i): _DIGITS[i] for base in (0x0660, 0x06F0, 0x0966, 0x09E6) for i in range(10)},
    }
)  # fmt: skip


# str.translate looks every character up (5 ms on 100 KB of text): find the few that change first.
# The invisible ones are segment.drop_invisible's.
_VARIANTS = regex.compile(
    "[" + "".join(regex.escape(chr(c)) for c in _TABLE) + "\u00ad\ufeff\u2060\u200b\u2061-\u2064]+"
)


def match_form(text: str) -> str:
    """The form phrases and texts are compared in: folded (segment.fold: case, widths, Latin,
    Greek and Cyrillic accents, Turkish dotless i), variant spellings made one, whitespace one space."""
    if text.isascii():
        # the same result, with no Unicode pass: ASCII is its own NFC and fold, "`" its only variant,
        # and no spaceless script stands on either side of a space
        return " ".join(text.replace("`", "'").lower().split())
    text = _VARIANTS.sub(lambda m: drop_invisible(m[0]).translate(_TABLE), unicodedata.normalize("NFC", text))
    return _SPACELESS_GAP.sub("", " ".join(fold(text).split()))


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char)[0] == "M"


class Hit(NamedTuple):
    group: str  # the name the phrase was given under (a family)
    phrase: str  # as written in the lexicon
    formed: str  # in match_form
    start: int  # where it starts in the formed text


class PhraseSet:
    """Named groups of phrases, found together in a text already in match_form."""

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        entries: dict[str, tuple[list[tuple[str, str]], bool]] = {}
        for group, phrases in groups.items():
            for phrase in phrases:
                formed = match_form(phrase.removesuffix("*"))
                if not formed:
                    continue
                owners, open_end = entries.get(formed, ([], False))
                owners.append((group, phrase.removesuffix("*")))
                entries[formed] = (owners, open_end or phrase.endswith("*"))
        self._automaton = ahocorasick.Automaton()
        for formed, (owners, open_end) in entries.items():
            start_edge = _in_word(formed[0]) and not _NO_EDGE.match(formed[0])
            end_edge = not open_end and _in_word(formed[-1]) and not _NO_EDGE.match(formed[-1])
            self._automaton.add_word(formed, (formed, tuple(owners), start_edge, end_edge))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries

    def occurs(self, formed_text: str) -> bool:
        """Whether any phrase occurs in the text, word edges not checked: when not, find() finds
        nothing in the text nor in any piece of it (one automaton pass, no Hit built)."""
        if self._empty or not formed_text:
            return False
        return next(self._automaton.iter(formed_text), None) is not None

    def find(self, formed_text: str) -> list[Hit]:
        """Every phrase found (at word edges where its script has them), in text order."""
        if self._empty or not formed_text:
            return []
        hits: list[Hit] = []
        for end, (formed, owners, start_edge, end_edge) in self._automaton.iter(formed_text):
            start = end - len(formed) + 1
            if start_edge and start > 0 and _in_word(formed_text[start - 1]):
                continue
            if end_edge and end + 1 < len(formed_text) and _in_word(formed_text[end + 1]):
                continue
            hits.extend(Hit(group, phrase, formed, start) for group, phrase in owners)
        hits.sort(key=lambda h: h.start)
        return hits
