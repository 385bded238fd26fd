"""Language: declared codes normalised to ISO 639-1, else a light detection from the text.

Detection is deliberately simple: the writing system decides for scripts used by one main
language (or a clear family), stop-word counts decide among Latin-script languages. It answers
None when unsure rather than guess.
"""

from __future__ import annotations

import re
from collections import Counter

from . import script_langs

# ISO 639-2/3 codes some pages declare instead of 639-1.
_THREE_LETTER = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
    "por": "pt", "nld": "nl", "dut": "nl", "rus": "ru", "tur": "tr", "pol": "pl", "swe": "sv",
    "jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh", "ara": "ar", "aze": "az", "ukr": "uk",
    "ell": "el", "gre": "el", "heb": "he", "tha": "th", "fas": "fa", "per": "fa", "hin": "hi",
}  # fmt: skip
_LEGACY = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}
_CODE_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


def normalise_lang(code: str | None) -> str | None:
    """'en-US', 'en_GB', 'EN', 'eng' -> 'en'; junk and 'und'/'x-default' -> None."""
    if not code:
        return None
    match = _CODE_RE.match(code.strip().split(",")[0].strip())
    if not match:
        return None
    base = match.group(1).lower()
    if len(base) == 3:
        return _THREE_LETTER.get(base)
    return _LEGACY.get(base, base)


# Non-Latin script ranges: (name, first, last); one name may own several ranges.
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("greek", 0x370, 0x3FF),
    ("cyrillic", 0x400, 0x4FF),
    ("armenian", 0x530, 0x58F),
    ("hebrew", 0x590, 0x5FF),
    ("arabic", 0x600, 0x6FF),
    ("devanagari", 0x900, 0x97F),
    ("bengali", 0x980, 0x9FF),
    ("thai", 0xE00, 0xE7F),
    ("georgian", 0x10A0, 0x10FF),
    ("hangul", 0x1100, 0x11FF),
    ("kana", 0x3040, 0x30FF),
    ("han", 0x3400, 0x9FFF),
    ("hangul", 0xAC00, 0xD7AF),
    ("arabic", 0xFB50, 0xFDFF),
    ("arabic", 0xFE70, 0xFEFF),
)
_SIMPLE_SCRIPT_LANG = {
    "greek": "el", "armenian": "hy", "hebrew": "he", "devanagari": "hi", "bengali": "bn",
    "thai": "th", "georgian": "ka", "hangul": "ko",
}  # fmt: skip

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to is in that it was for with as on are be this by have from not but they "
        "which has were their been would will said its who had what when there after",
        "de": "der die und das ist nicht ein eine den mit sich des auf für dem von auch zu im als "
        "wird werden sie wurde nach bei noch wie aber oder einen sind hat",
        "fr": "le la les et des est une un du dans pour que qui sur pas par avec au ce il sont "
        "plus ont été cette mais aux ses leur elle nous",
        "es": "el la los las y de que en del se por con una un para es como más pero sus le "
        "fue ha este esta también entre desde sobre",
        "it": "il la che di e del della un una per non sono con gli le nel è dei delle anche "
        "alla come più ha al stato questo ma",
        "pt": "o a os as e de que do da em um uma para com não por mais se dos das foi ao "
        "pelo pela como mas também está são na no nas nos ter sido pelas pelos às é ou seu sua já ser foram",
        "nl": "de het een en van is dat op te in voor niet met zijn er maar ook aan bij "
        "door worden werd heeft wordt deze naar",
        "tr": "ve bir bu da de için ile olarak daha çok olan gibi sonra kadar ancak ama ise "
        "her değil göre oldu olduğu diye şu",
        "pl": "i w na z się nie do że to jest o jak po przez są jego ale od dla tak został "
        "także oraz który która",
        "sv": "och att det som en på är av för med till den inte har de om ett var men "
        "från också kan eller efter så",
        "da": "og at det som en på er af for med til den ikke har de om et var men fra "
        "også kan eller efter så",
        "fi": "ja on ei että se oli ovat mutta kun myös hän joka sen tai mukaan ole vain jo sekä kuin niin",
        "cs": "a v se na je že s z do to o jako pro by ale jsou podle které který také byl bylo jeho již",
        "ro": "și în de la cu a că nu pe din este o un care mai pentru fost au sunt lui fi acest această",
        "hu": "a az és hogy nem is egy meg van ez de már volt csak még azt mint vagy után pedig szerint",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena "
        "ada oleh sebagai telah mereka",
        "az": "və bu bir ilə üçün da də olan olaraq isə kimi sonra daha ki görə edib edilib olub deyib",
    }.items()
}
_LANGS_OF_WORD: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in _words:
        _LANGS_OF_WORD[_word] = (*_LANGS_OF_WORD.get(_word, ()), _lang)


_SCRIPT_RES: dict[str, re.Pattern[str]] = {}
for _name, _first, _last in _SCRIPTS:
    _part = f"\\u{_first:04x}-\\u{_last:04x}"
    _prev = _SCRIPT_RES.get(_name)
    _SCRIPT_RES[_name] = re.compile(f"[{_prev.pattern[1:-1] if _prev else ''}{_part}]")


_ANY_NON_LATIN_RE = re.compile("[" + "".join(p.pattern[1:-1] for p in _SCRIPT_RES.values()) + "]")
# Counting: what is left once every other character is cut out (a sub over runs), far cheaper than
# findall's list of one string per letter.
_OTHER_THAN = {name: re.compile(f"[^{pattern.pattern[1:-1]}]+") for name, pattern in _SCRIPT_RES.items()}
_OTHER_THAN_LATIN = re.compile("[^A-Za-z\u00c0-\u024f]+")


def _script_counts(text: str) -> dict[str, int]:
    # One C-level regex scan per script is far faster than a Python loop over characters;
    # most pages are Latin-only, so one scan for "anything else" comes first.
    if _ANY_NON_LATIN_RE.search(text) is None:
        counts = {}
    else:
        counts = {name: len(other.sub("", text)) for name, other in _OTHER_THAN.items()}
    counts["latin"] = len(_OTHER_THAN_LATIN.sub("", text))
    return {name: n for name, n in counts.items() if n}


def _by_script(counts: dict[str, int], text: str, strict: bool = False) -> str | None:
    kana, han, hangul = counts.get("kana", 0), counts.get("han", 0), counts.get("hangul", 0)
    if kana or han or hangul:
        return script_langs.han(kana, han, hangul)
    script = max(counts, key=counts.__getitem__)
    if script == "cyrillic":
        return script_langs.cyrillic(text, counts["cyrillic"], strict)
    if script == "arabic":
        return script_langs.arabic(text, counts["arabic"], strict)
    return _SIMPLE_SCRIPT_LANG.get(script)


def _stopword_scores(text: str) -> tuple[dict[str, int], int]:
    # Whitespace split, not a \w+ regex (three times slower): a stop word glued to punctuation is rare.
    words = text[:1200].lower().split()  # ~200 words decide as well as the whole text
    scores = dict.fromkeys(_STOPWORDS, 0)
    # Count distinct words in C first; the Python loop then runs once per distinct stop word.
    for word in _LANGS_OF_WORD.keys() & (counts := Counter(words)).keys():
        for lang in _LANGS_OF_WORD[word]:
            scores[lang] += counts[word]
    return scores, len(words)


def _by_stopwords(text: str) -> str | None:
    scores, count = _stopword_scores(text)
    if count < 5:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    # Unsure when few stop words or two languages (sv/da, es/pt) are neck and neck.
    if top < max(3, count * 0.08) or top < second * 1.3:
        return None
    return best


# A few of each language's commonest words: when they are frequent, the declaration is plausible
# and the full count (the costly part) is skipped.
_TELLTALE = {
    "en": (" the ", " and ", " of "), "de": (" der ", " die ", " und "), "fr": (" le ", " les ", " et "),
    "es": (" el ", " los ", " que "), "it": (" il ", " di ", " che "), "pt": (" não ", " que ", " os "),
    "nl": (" het ", " een ", " van "), "tr": (" ve ", " bir ", " bu "), "pl": (" się ", " nie ", " że "),
    "sv": (" och ", " att ", " det "), "da": (" og ", " at ", " det "),
}  # fmt: skip


def _contradicts(declared: str, text: str) -> str | None:
    """Another Latin-script language, when its stop words overwhelm the declared one's."""
    if declared not in _STOPWORDS or len(text) < 300:
        return None
    sample = text[:1200].lower()
    if sum(sample.count(word) for word in _TELLTALE.get(declared, ())) >= 6:
        return None
    scores, count = _stopword_scores(text)
    best = max(scores, key=scores.__getitem__)
    if best != declared and scores[best] >= count * 0.15 and scores[best] >= 4 * max(scores[declared], 1):
        return best
    return None


# Scripts of one language (or one that decides at a glance): a four-letter headline is enough.
_UNIQUE = frozenset(("hangul", "kana", "thai", "greek", "hebrew", "georgian", "armenian", "han"))


def detect_language(text: str) -> str | None:
    """Guess an ISO 639-1 code from the text; None when unsure."""
    sample = text[:6000]
    counts = _script_counts(sample)
    letters = sum(counts.values())
    non_latin = {k: v for k, v in counts.items() if k != "latin"}
    if letters < 20 and not (sum(non_latin.values()) >= 4 and _UNIQUE & non_latin.keys()):
        return None
    if sum(non_latin.values()) * 2 > letters:
        return _by_script(non_latin, sample)
    return script_langs.latin_letters(sample, counts.get("latin", 0)) or _by_stopwords(sample)


def script_language(text: str, strict: bool = False) -> str | None:
    """The language implied by a non-Latin script dominating the text, if any (for sanity checks)."""
    sample = text[:3000]
    # Cheap first look: Latin text is about one UTF-8 byte per character, other scripts two or three.
    if len(sample.encode("utf-8", "ignore")) < len(sample) * 1.15 or _ANY_NON_LATIN_RE.search(sample) is None:
        return None
    counts = _script_counts(sample)
    letters = sum(counts.values())
    if letters < 50 or counts.get("latin", 0) * 5 > letters:
        return None
    return _by_script({k: v for k, v in counts.items() if k != "latin"}, sample, strict)


# Which writing system a declared language is normally written in (Latin when not listed).
_LANG_SCRIPT = {
    **dict.fromkeys("ru uk bg sr mk be kk ky mn tg tt ba cv sah os ce av tyv bua kv udm".split(), "cyrillic"),
    **dict.fromkeys("ar fa ur ps ku ckb sd ug ks".split(), "arabic"),
    **dict.fromkeys("he yi".split(), "hebrew"),
    **dict.fromkeys("zh ja ko".split(), "cjk"),
    "el": "greek", "hy": "armenian", "hi": "devanagari", "mr": "devanagari", "ne": "devanagari",
    "bn": "bengali", "th": "thai", "ka": "georgian",
}  # fmt: skip
_DETECTED_SCRIPT = {**_LANG_SCRIPT, "ko": "cjk", "ja": "cjk", "zh": "cjk"}


# Text long enough that a declaration naming the wrong language of the right script is overruled
# (zh on a Japanese page, ru on a Ukrainian one, tr on an Azerbaijani one); shorter text keeps it.
_SURE = {"cjk": 100}  # characters; 300 for alphabets
# The languages each script's classifier tells apart: other declarations (tt, ba, mn, sd) stand.
_KNOWN = {
    "cyrillic": frozenset("ru uk be bg sr mk kk ky tg".split()),
    "arabic": frozenset("ar fa ur ckb ps ug".split()),
    "cjk": frozenset("zh ja ko".split()),
    "latin": frozenset("tr az".split()),
}


def choose_language(declared: str | None, text: str) -> str | None:
    """The declared language unless the text contradicts it (CMS templates lie), else detection."""
    if not declared:
        return detect_language(text)
    by_script = script_language(text)
    expected = _LANG_SCRIPT.get(declared, "latin")
    found = _DETECTED_SCRIPT.get(by_script, "latin") if by_script else None
    if found is None:
        # Latin or too little text: a non-Latin declaration on clearly Latin text is suspect.
        if expected != "latin" and len(text) > 200:
            return detect_language(text) or declared
        # lang="en" left in a German site's template: overwhelming stop-word evidence wins.
        return _contradicts(declared, text) or _latin_sibling(declared, text) or declared
    if found != expected:
        return by_script
    if len(text) >= _SURE.get(expected, 300) and declared in _KNOWN.get(expected, ()):
        sure = script_language(text, strict=True)
        if sure and sure in _KNOWN[expected]:
            return sure
    return declared


def _latin_sibling(declared: str, text: str) -> str | None:
    if len(text) < 300 or declared not in _KNOWN["latin"]:
        return None
    sample = text[:3000]
    found = script_langs.latin_letters(sample, _script_counts(sample).get("latin", 0))
    return found if found in _KNOWN["latin"] else None
