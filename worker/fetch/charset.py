"""Bytes of an HTML page -> text, choosing the encoding the way browsers roughly do.

Order: byte-order mark, valid UTF-8, Content-Type charset, <meta> in the first 4 KB, detection,
UTF-8 with replacement. A declared charset that does not decode strictly is treated as a lie and
skipped. Non-ASCII bytes that decode as strict UTF-8 are UTF-8 whatever the labels say: text in a
legacy encoding is practically never valid UTF-8 by accident, while a UTF-8 page served under a
stale windows-1251 or ISO-8859-1 label (a CMS migration) is common, and every single-byte codec
would "decode" it without error into mojibake.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers (WHATWG Encoding) read as a superset, so pages labelled with them decode as
# their authors saw them.
_SUPERSETS = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}

_META_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)


def _normalise(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, if any."""
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    value = msg.get_param("charset")
    return value if isinstance(value, str) else None


def meta_charset(body: bytes) -> str | None:
    """The charset declared by <meta charset> or http-equiv Content-Type in the first 4 KB."""
    match = _META_CHARSET.search(body[:_META_SCAN])
    if match is None:
        return None
    return match.group(1).decode("ascii", "replace")


def _strict(body: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body).best()
    if best is None or best.encoding is None:
        return None
    return body.decode(best.encoding, "replace")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body to text; never raises."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, "replace")
    if not body.isascii() and (text := _strict(body, "utf-8")) is not None:
        return text
    declared = _normalise(header_charset(content_type))
    text = _strict(body, declared)
    if text is not None:
        return text
    in_meta = _normalise(meta_charset(body))
    if in_meta is not None and in_meta.startswith("utf-16"):
        in_meta = "utf-8"  # a page that can be read as ASCII to find the meta is not UTF-16
    text = _strict(body, in_meta)
    if text is not None:
        return text
    detected = _detect(body)
    if detected is not None:
        return detected
    return body.decode("utf-8", "replace")
