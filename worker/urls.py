"""The one place that normalises URLs.

Every URL the archive stores or compares goes through `canonicalize`, so two spellings of one
article (tracking parameters, fragments, case, default ports, percent-encoding) meet as one string.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

_ALLOWED_SCHEMES = {"http": 80, "https": 443}

# Exact query keys (compared lower-case) that only track the click, never select content.
_TRACKING_KEYS = frozenset(
    """
    fbclid gclid gclsrc dclid gbraid wbraid msclkid mc_cid mc_eid igshid igsh _ga _gl yclid ysclid
    ref_src ref_url twclid ttclid li_fat_id mkt_tok _hsenc _hsmi __hstc __hssc __hsfp hsctatracking
    oly_anon_id oly_enc_id vero_conv vero_id wickedid rb_clickid s_cid srsltid _openstat ncid
    fb_action_ids fb_action_types fb_source fb_ref action_object_map action_type_map action_ref_map
    __twitter_impression at_medium at_campaign at_format at_link at_ptr_name at_creation
    pk_campaign pk_kwd pk_keyword pk_source pk_medium pk_content
    """.split()
)
# Key prefixes of whole tracking families (utm_source, utm_medium, ..., Matomo, HubSpot ads, AT Internet).
_TRACKING_PREFIXES = ("utm_", "mtm_", "hsa_", "at_custom")

_CTRL_WS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere inside a URL
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Absolute ASCII http(s) URLs made only of characters RFC 3986 allows need no w3lib pass (fast path
# for 50,000-entry sitemaps); anything else (spaces, non-ASCII, IDN hosts) goes through w3lib.
_PLAIN_ABSOLUTE = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9\-._~:/?#@!$&()*+,;=%]*$")
_HOST_OK = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$")


def canonicalize(url: str, base: str | None = None) -> str | None:
    """Absolute, normalised http(s) URL, or None when `url` is not one (after resolving on `base`)."""
    if not isinstance(url, str):
        return None
    url = _CTRL_WS.sub("", url).strip()
    if not url:
        return None
    try:
        plain = _PLAIN_ABSOLUTE.match(url) is not None
        if base and not plain:
            url = urljoin(base, url)
        parts = urlsplit(url if plain else safe_url_string(url))
        scheme = parts.scheme.lower()
        if scheme not in _ALLOWED_SCHEMES:
            return None
        netloc = _netloc(parts.netloc, parts.hostname, parts.port, _ALLOWED_SCHEMES[scheme])
    except (ValueError, UnicodeError):
        return None
    if netloc is None:
        return None
    path = _remove_dot_segments(_normalise_pct(parts.path)) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _netloc(raw: str, hostname: str | None, port: int | None, default_port: int) -> str | None:
    """Rebuild user@host:port with the host lower-case and the default port dropped."""
    if not hostname:
        return None
    host = hostname.rstrip(".")
    if ":" in host:  # IPv6 literal: urlsplit removed the brackets
        host = f"[{host}]"
    elif not _HOST_OK.match(host):
        return None
    userinfo = raw.rpartition("@")[0] if "@" in raw else ""
    out = f"{userinfo}@{host}" if userinfo else host
    if port is not None and port != default_port:
        out += f":{port}"
    return out


def _normalise_pct(text: str) -> str:
    """Upper-case percent escapes and decode the ones that stand for unreserved characters."""

    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()

    return _PCT.sub(fix, _STRAY_PCT.sub("%25", text))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve '.' and '..' segments."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if not path.startswith("/") or result.startswith("/") else "/" + result


def _is_tracking(key: str) -> bool:
    name = unquote_plus(key).strip().lower()
    return name in _TRACKING_KEYS or name.startswith(_TRACKING_PREFIXES)


def _clean_query(query: str) -> str:
    """Drop tracking parameters and empty pairs; keep the rest in its order and spelling."""
    if not query:
        return ""
    kept = [_normalise_pct(p) for p in query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    return "&".join(kept)


def host_of(url: str) -> str:
    """Lower-case host[:port as given], the key for per-host politeness."""
    netloc = urlsplit(url).netloc.rpartition("@")[2]
    return netloc.lower()


def _bare_host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    """Same host name, ignoring a leading 'www.' (scheme and port are not compared)."""
    host_a = _bare_host(a)
    return bool(host_a) and host_a == _bare_host(b)
