"""Text segmentation for the whole house: the words of any script, and the terms search indexes.

Pure. Every module that counts, compares, diffs, shingles or indexes words takes them from here, so
Japanese, Thai and English are cut the same way everywhere.

- Spaced scripts (Latin, Cyrillic, Arabic, Devanagari, Hangul, ...): runs of word characters, as the
  `regex` module's Unicode \\w sees them: letters, digits and combining marks, so a Thai or Devanagari
  mark never leaves its base letter (the standard library's \\w splits "नमस्ते" in three).
- Spaceless scripts (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar): ICU's word break iterator
  (its dictionaries), through icu4py: 鹿児島県で災害 -> 鹿児島 / 県 / で / 災害.
- Search terms: ICU's dictionary words are not stable enough to look up (鹿児島県 is one word or two,
  depending on the dictionary), so search indexes overlapping character bigrams of spaceless and
  Hangul runs, as Lucene's CJK analyzer does: 기상청은 -> 기상 상청 청은, and the query 기상청 -> 기상 상청
  is found as a phrase. Spaced words are case- and accent-folded (Turkish İ/ı fold to i) and lose
  the Arabic definite article (الكتاب finds كتاب).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby

import regex

_WORD = regex.compile(r"\w+")
_CHUNK = regex.compile(r"(\s*)(\S+)")
_GRAPHEME = regex.compile(r"\X")
# Scripts written without spaces between words: cut by ICU's dictionaries.
_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
# Scripts whose search terms are character bigrams: the spaceless ones, and Hangul (particles glued on).
_BIGRAM = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Hangul}]")
_ARABIC_ARTICLE = regex.compile(r"^(?:[وفبكل]?ال|لل)(?=\p{Arabic}{2})")
_FOLD_MARKS = regex.compile(r"(?<=[\p{Latin}\p{Greek}\p{Cyrillic}]\p{M}*)\p{Mn}")


@lru_cache(maxsize=1)
def _breaker_type():  # type: ignore[no-untyped-def]
    # imported on first use: processes that never meet a spaceless script do not load ICU's 30 MB
    from icu4py.breakers import WordBreaker
    from icu4py.locale import Locale

    root = Locale("root")
    return lambda text: WordBreaker(text, root).segments()


def _icu_pieces(chunk: str) -> list[str]:
    """All of ICU's word-break pieces of a chunk without whitespace (punctuation included)."""
    return [chunk[a:b] for a, b in _breaker_type()(chunk)]


# Characters that show nothing and mean nothing to a reader: a site adding or dropping them is no edit.
# (Zero-width joiner and non-joiner are kept: Persian and Indic words need them.)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\ufeff\u2060\u200b\u2061\u2062\u2063\u2064"))
_WIDE = regex.compile(r"[\u3000\uff01-\uffef]+")


def fold_widths(text: str) -> str:
    """Full-width Latin letters, digits and punctuation to their ASCII forms, half-width katakana to
    full width (NFKC on those blocks alone: NFKC on the whole text would rewrite Thai ำ, ligatures
    and superscripts, which are content)."""
    if text.isascii():
        return text  # nothing to fold, and no regex scan
    return _WIDE.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)


def drop_invisible(text: str) -> str:
    """The text without soft hyphens, BOMs, word joiners and zero-width spaces."""
    return text.translate(_INVISIBLE)


def words(text: str) -> list[str]:
    """The words of a text, in order: no whitespace, no punctuation."""
    if _SPACELESS.search(text) is None:  # most texts: one pass, no search per word
        return _WORD.findall(text)
    out: list[str] = []
    for token in _WORD.findall(text):
        if _SPACELESS.search(token):
            out.extend(p for p in _icu_pieces(token) if _WORD.match(p))
        else:
            out.append(token)
    return out


def count(text: str) -> int:
    """How many words a text has (a CJK or Thai sentence counts its words, not as one)."""
    return len(words(text))


def chunk_count(text: str) -> int:
    """Whitespace-delimited chunks ("Jean-Pierre", "Le Monde.fr": one each), a chunk of a spaceless
    script counting its words: the length of a name or a title as a reader sees it, in any script."""
    if _SPACELESS.search(text) is None:
        return len(text.split())
    return sum(count(chunk) if _SPACELESS.search(chunk) else 1 for chunk in text.split())


def has_spaceless(text: str) -> bool:
    return _SPACELESS.search(text) is not None


def diff_tokens(text: str) -> list[tuple[str, str]]:
    """The text as (token, what stands before it: whitespace or ""), for word diffs.

    A whitespace-delimited chunk is one token ("Hello," stays whole, as diffs always showed it), except
    in spaceless scripts, where the chunk is cut into ICU's pieces: a corrected number in a Japanese
    sentence marks that word, not the sentence. Joined back ("".join(lead + token)), the pairs give
    the text, trailing whitespace dropped."""
    out: list[tuple[str, str]] = []
    for lead, chunk in _CHUNK.findall(text):
        if not _SPACELESS.search(chunk):
            out.append((chunk, lead))
            continue
        pieces = _icu_pieces(chunk)
        out.append((pieces[0], lead))
        out.extend((p, "") for p in pieces[1:])
    return out


def fold(word: str) -> str:
    """Case and accents folded as a reader searching expects: İstanbul, ISTANBUL, istanbul and
    ıstanbul are one; café is cafe; ё is е. Marks of other scripts (Thai, Devanagari) are kept."""
    if word.isascii():
        return word.lower()  # ASCII: widths, marks and normal forms are already folded; casefold is lower
    word = fold_widths(word).replace("ı", "i").casefold()
    word = _FOLD_MARKS.sub("", unicodedata.normalize("NFD", word))
    return unicodedata.normalize("NFC", word)


def search_terms(text: str) -> list[str]:
    """The terms search indexes for a text, in order (a query is cut the same way and matched as a
    phrase of them): folded spaced words, and bigrams of spaceless and Hangul runs; digits and Latin
    letters inside such a run (10時30分, iPhone用) stay whole terms."""
    out: list[str] = []
    for token in _WORD.findall(text):
        token = fold(token)
        if not _BIGRAM.search(token):
            out.append(_ARABIC_ARTICLE.sub("", token))
            continue
        graphemes = _GRAPHEME.findall(token)
        for is_bigram, group in groupby(graphemes, key=lambda g: _BIGRAM.match(g) is not None):
            run = list(group)
            if not is_bigram:
                out.append("".join(run))
            elif len(run) == 1:
                out.append(run[0])
            else:
                out.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
    return out
