"""Date strings as pages write them -> tz-aware UTC datetimes. The house's one date parser.

Machine forms: ISO 8601 and its W3C profile (JSON-LD, OpenGraph, <time datetime>, sitemaps: "2024",
"2024-03" too), RFC 2822 (feeds, some CMSs), compact "20240315" stamps. Local forms, as pages show dates to readers: 2026年11月20日 10時30分,
2026년 11월 20일 오후 3:05, 20.11.2026, 20 ноября 2026, 20 Kasım 2026, ٢٠ نوفمبر ٢٠٢٦, ۲۹ آبان ۱۴۰۵
(Solar Hijri), 20 พฤศจิกายน 2569 (Buddhist era), in any of the digit sets pages use.

A time without a zone is taken as UTC, as machine dates always were, except a local-form time on a
page whose language is written in one zone (date_words.USUAL_ZONE: a Japanese page's 10:30 is
Tokyo's). A date alone is midnight UTC of that day. Nothing here raises: an impossible date (month
13, year 9999, offset -23:59) is None.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex

from ..segment import fold_widths
from . import date_words as words

_MIN_YEAR, _MAX_YEAR = 1990, 2100

_ISO_RE = regex.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?(?!\d)|Z|UTC|GMT)?",
    regex.IGNORECASE,
)
_COMPACT_RE = regex.compile(
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?Z?$"
)
_YEAR_MONTH_RE = regex.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2}))?$")
_RFC_RE = regex.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")
_URL_DATE_RE = regex.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
)
_URL_COMPACT_RE = regex.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])/")

# ---- local forms ------------------------------------------------------------------------------

# Arabic-Indic, Persian, Devanagari, Bengali, Thai digits -> ASCII (full-width ones go by fold_widths).
_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x660, 0x6F0, 0x966, 0x9E6, 0xE50) for i in range(10)}
    | {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-", "\u060c": ","}
)
_MON = r"(?P<mon>[\u0e00-\u0e7f]{1,3}\.[\u0e00-\u0e7f]{1,2}\.?|(?:تشرين|كانون)\s+ال\w+|[^\W\d_]+\.?)"
_LOCAL_RES = (
    # 2026年11月20日, 令和8年11月20日, 2026년 11월 20일
    regex.compile(r"(?:(?P<era>令和|平成)\s*(?P<y>\d{1,2}|元)|(?P<y>\d{4}))\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]"
                  r"\s*(?P<d>\d{1,2})\s*[日일号號]?"),
    # 2026-11-20, 2026/11/20, 2026.11.20, 2026. 11. 20.
    regex.compile(r"(?<![\d.])(?P<y>\d{4})\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d])\.?"),
    # 20.11.2026, 20/11/2026, 11/20/2026 (the order from the values, else the page's language)
    regex.compile(r"(?<![\d.])(?P<a>\d{1,2})\s*(?P<sep>[./-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"),
    # 20 ноября 2026, 20. November 2026, 20 de noviembre de 2026, 20 พ.ย. พ.ศ. 2569, ٢٠ نوفمبر ٢٠٢٦
    regex.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|\.|-?(?:го|е|ci|cı|cü|cu|inci|ıncı))?\s*"
                  r"(?:de\s+|of\s+)?" + _MON + r"\s*,?\s*(?:de\s+|del\s+)?(?:พ\.ศ\.|ค\.ศ\.)?\s*(?P<y>\d{4})(?!\d)"),
    # November 20, 2026
    regex.compile(_MON + r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{4})(?!\d)"),
    # 2026. november 20. (Hungarian), 2026 m. lapkričio 20 d.
    regex.compile(r"(?<!\d)(?P<y>\d{4})\.?\s+" + _MON + r"\s+(?P<d>\d{1,2})(?!\d)"),
    # 20 tháng 11 năm 2026
    regex.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*năm|\s*,)?\s+(?P<y>\d{4})(?!\d)"),
)  # fmt: skip
_AM = r"(?:午前|上午|오전|早上|صباحا|صباحاً|ص(?!\w))"
_PM = r"(?:午後|下午|晚上|오후|مساء|مساءً|م(?!\w))"
_TIME_RE = regex.compile(
    r"\s*(?:[,|/·•–—(-]\s*)?(?:at|à|a\s+las?|alle|às|um|om|kl\.?|klo|в|o|saat|lúc|เวลา|الساعة|ساعت|godz\.?)?"
    rf"\s*(?:(?P<am>{_AM})|(?P<pm>{_PM}))?\s*"
    r"(?:(?P<H>\d{1,2})\s*[時时시]\s*(?:(?P<M>\d{1,2})\s*[分분])?|(?P<H>\d{1,2})\s*(?:[:hH]|\.(?=\d\d))\s*(?P<M>\d{2})"
    r"(?::(?P<S>\d{2}))?)(?!\d)"
    rf"\s*(?:(?P<am>{_AM}|a\.?m\.?(?!\w))|(?P<pm>{_PM}|p\.?m\.?(?!\w)))?"
    r"\s*(?:น\.|uhr|ч\.)?\s*\(?\s*(?:по\s+)?(?P<zn>[A-ZА-Я]{1,5}(?![\w]))?\s*(?P<off>[+-]\s*\d{1,2}(?::?\d{2})?(?!\d))?",
    regex.IGNORECASE,
)  # fmt: skip
_TIME_BEFORE_RE = regex.compile(r"(?<!\d)(?P<H>\d{1,2})[:.](?P<M>\d{2})\s*[,|/·•–—-]?\s*$")


@dataclass(frozen=True, slots=True)
class FoundDate:
    when: datetime
    start: int  # where the date (with its time) stands in the normalised text
    end: int
    has_time: bool


def normalise(text: str) -> str:
    """The text with one set of digits, ASCII widths and plain spaces (same length or shorter)."""
    return unicodedata.normalize("NFC", fold_widths(text)).translate(_DIGITS)


def _jalali_to_gregorian(jy: int, jm: int, jd: int) -> tuple[int, int, int]:
    """Solar Hijri (Iran's calendar) -> Gregorian, by the day count of the 33-year cycle."""
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    leap = gy % 4 == 0 and gy % 100 != 0 or gy % 400 == 0
    for gm, length in enumerate((31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1):
        if days < length:
            return gy, gm, days + 1
        days -= length
    return gy, 12, 31


def _month(word: str) -> tuple[int, str] | None:
    name = words.key(word)
    number = words.MONTHS.get(name)
    if number is None and name.startswith("ב"):  # Hebrew "in": בנובמבר
        name = name[1:]
        number = words.MONTHS.get(name)
    return (number, words.MONTH_LANG.get(name, "")) if number else None


def _ymd(match: regex.Match[str], lang: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) of one local-form match, by the calendar it is written in."""
    groups = match.groupdict()
    year = int(groups["y"]) if groups["y"] and groups["y"] != "元" else 1
    if groups.get("era"):
        year += 2018 if groups["era"] == "令和" else 1988
    kind = ""
    if groups.get("mon") is not None:
        found = _month(groups["mon"])
        if found is None:
            return None
        month, kind = found
    elif groups.get("a") is not None:
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 or (groups["sep"] == "." and b <= 12):
            month, day = b, a  # 20.11.2026: day first wherever dots are used
        elif b > 12:
            month, day = a, b
        elif lang in (None, "en"):
            return None  # 05/06/2026: May or June, and the page does not say
        else:
            month, day = b, a
        return _calendar(year, month, day, "th" if lang in words.THAI else "")
    else:
        month = int(groups["m"])
    return _calendar(year, month, int(groups["d"]), kind or ("th" if lang in words.THAI else ""))


def _calendar(year: int, month: int, day: int, kind: str) -> tuple[int, int, int] | None:
    if kind == "jalali" and 1300 <= year <= 1500 and 1 <= month <= 12 and 1 <= day <= 31:
        return _jalali_to_gregorian(year, month, day)
    if kind == "jalali":
        return None
    if kind == "th" and 2400 <= year <= 2700:  # Buddhist era: 2569 is 2026
        year -= 543
    return year, month, day


@lru_cache(maxsize=64)
def _zone_of(lang: str | None) -> tzinfo:
    name = words.USUAL_ZONE.get(lang or "")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def _offset(zone_name: str | None, offset: str | None) -> timezone | None | bool:
    """The written zone; None when none is written; False when it is impossible (+25:00)."""
    minutes = words.ZONES.get(zone_name.upper()) if zone_name and zone_name.isupper() else None
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "").replace(" ", "")
        hours, extra = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        if hours > 14 or extra > 59 or (minutes not in (None, 0)):
            return False
        minutes = sign * (hours * 60 + extra)
    return None if minutes is None else timezone(timedelta(minutes=minutes))


def _time_after(text: str, end: int) -> tuple[tuple[int, int, int], timezone | None | bool, int] | None:
    match = _TIME_RE.match(text, end, min(len(text), end + 40))
    if match is None:
        return None
    hour, minute, second = int(match["H"]), int(match["M"] or 0), int(match["S"] or 0)
    if match["pm"] and hour < 12:
        hour += 12
    elif match["am"] and hour == 12:
        hour = 0
    zone = _offset(match["zn"], match["off"])
    if zone is None and match["zn"] and not match["off"]:
        stop = match.start("zn")  # a word after the time that is no zone ("10:30 Uhr Berlin")
    else:
        stop = match.end()
    return (hour, minute, second), zone, stop


_MAY_HOLD_DATE = regex.compile(r"\d{4}|令和|平成")  # every local form has a 4-digit year or an era


def local_dates(text: str, lang: str | None) -> list[FoundDate]:
    """Every local-form date in a normalised text, in order, overlaps resolved to the longest."""
    if _MAY_HOLD_DATE.search(text) is None:
        return []  # most bylines and class="date" texts without a year: seven scans saved
    spans: list[tuple[int, int, tuple[int, int, int]]] = []
    for pattern in _LOCAL_RES:
        for match in pattern.finditer(text):
            ymd = _ymd(match, lang)
            if ymd is not None:
                spans.append((match.start(), match.end(), ymd))
    spans.sort(key=lambda s: (s[0], -s[1]))
    found: list[FoundDate] = []
    last_end = -1
    for start, end, (year, month, day) in spans:
        if start < last_end:
            continue
        when = _at(text, start, end, year, month, day, lang)
        if when is not None:
            found.append(when)
            last_end = when.end
    return found


def _at(
    text: str, start: int, end: int, year: int, month: int, day: int, lang: str | None
) -> FoundDate | None:
    timed = _time_after(text, end)
    if timed is None:
        before = _TIME_BEFORE_RE.search(text, max(0, start - 12), start)
        if before is not None:
            timed = (int(before["H"]), int(before["M"]), 0), None, end
    if timed is None:
        when = _build(year, month, day, (0, 0, 0), UTC)
        return FoundDate(when, start, end, False) if when else None
    clock, zone, stop = timed
    if zone is False:
        return None
    when = _build(year, month, day, clock, zone or _zone_of(lang))
    return FoundDate(when, start, stop, True) if when else None


def _build(year: int, month: int, day: int, clock: tuple[int, int, int], zone: tzinfo) -> datetime | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        hour, minute, second = clock
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def find_dates(text: str | None, lang: str | None = None) -> list[FoundDate]:
    """Every date a reader sees in a short text (a dateline, a byline box), in order. Positions are
    in `normalise(text)`. `lang` (ISO 639-1) orders 05/06/2026 and gives a naive time its zone."""
    if not text:
        return []
    return local_dates(normalise(text[:400]), lang)


def to_utc(value: datetime) -> datetime:
    """Naive -> UTC by assumption; aware -> converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _checked(value: datetime) -> datetime | None:
    """In the plausible years, with a real zone (no zone on Earth is 14 hours off)."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        return None
    try:
        value = to_utc(value)
    except OverflowError:  # 9999-12-31T23:00-01:00 has no UTC form
        return None
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def _machine(text: str) -> datetime | None | bool:
    """ISO 8601, compact or RFC 2822; False when the text is none of them."""
    try:
        return _checked(datetime.fromisoformat(text))
    except ValueError:
        pass
    match = _ISO_RE.search(text)
    if match:
        offset = (match["tz"] or "").lstrip("UTCGMutcgm ")
        zone = _offset(None, offset) if offset[:1] in ("+", "-") else UTC
        if zone is False:
            return None
        clock = (int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0))
        return _build(int(match["y"]), int(match["m"]), int(match["d"]), clock, zone or UTC)
    match = _YEAR_MONTH_RE.match(text)
    if match:  # the W3C profile's "2024" and "2024-03" (sitemaps): the first day they name
        return _build(int(match["y"]), int(match["m"] or 1), 1, (0, 0, 0), UTC)
    match = _COMPACT_RE.match(text)
    if match:
        clock = (int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0))
        return _build(int(match["y"]), int(match["m"]), int(match["d"]), clock, UTC)
    if _RFC_RE.search(text):
        try:
            return _checked(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return False


def parse_date(text: str | None, lang: str | None = None) -> datetime | None:
    """One date string, machine or local form -> UTC datetime; None when it is not a plausible date.

    For pages, feeds and sitemaps alike. `lang` (ISO 639-1), when known, orders 05/06/2026 and gives a
    local-form time its zone (see the module's docstring)."""
    if not text or not (text := text.strip()[:200]):
        return None
    machine = _machine(text)
    if machine is not False:
        return machine  # type: ignore[return-value]
    found = local_dates(normalise(text), lang)
    return found[0].when if found else None


def date_from_url(url: str | None) -> datetime | None:
    """A /2024/03/15/ (or /2024-03-15, /20240315/) style date in the URL path, at midnight UTC."""
    if not url:
        return None
    for pattern in (_URL_DATE_RE, _URL_COMPACT_RE):
        match = pattern.search(url)
        if match:
            return _build(int(match["y"]), int(match["m"]), int(match["d"]), (0, 0, 0), UTC)
    return None
