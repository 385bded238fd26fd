"""The config file: YAML -> validated, merged, typed source configs (contract: SPEC.md "The config file").

Every error names the file, the line, the key and what to write instead, so `check` and `run` can stop
with exit status 2 before any work.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from worker.values import ExtractRules, FetchPolicy

DEFAULT_CONFIG_PATH = "config/sources.yaml"
DEFAULT_EVERY = 900.0
DEFAULT_REVISIT = (3600.0, 21600.0, 86400.0, 259200.0, 604800.0)
KINDS = ("feed", "sitemap", "page", "urls")
NOTIFY_EVENTS = ("new_article", "new_version")


class ConfigError(Exception):
    """A config problem: str(e) == "path:line: key: message" (line and key left out when unknown)."""

    def __init__(self, path: str, line: int | None, key: str, message: str) -> None:
        self.path, self.line, self.key, self.message = path, line, key, message
        self.more: tuple[ConfigError, ...] = ()  # further errors of the same file, in line order
        super().__init__(path, line, key, message)  # all four, so the error pickles (str() is below)

    def __str__(self) -> str:
        head = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{head}: {self.key}: {self.message}" if self.key else f"{head}: {self.message}"


@dataclass(frozen=True)
class NotifyConfig:
    """Where to POST change notifications for a source (the `notify` block)."""

    url: str = field(repr=False)  # often a credential itself (a token in the path): shown masked, by notify.py
    secret: str | None = field(default=None, repr=False)  # HMAC key for X-Newsarchive-Signature; never shown
    events: tuple[str, ...] = ("new_version",)
    allow_private_networks: bool = False  # the source's own key: may the webhook be on a private address


@dataclass(frozen=True)
class RetentionConfig:
    """How long `prune` keeps fetch-log rows of each kind (the `retention` block), in seconds; None: forever.
    A fetch a version or restatement names (the capture of a version) is never pruned."""

    unchanged_polls: float | None = 30 * 86400.0  # listing polls answered 304 or with the same body as before
    failed_fetches: float | None = 90 * 86400.0  # fetches that failed (notification deliveries aside)
    deliveries: float | None = 90 * 86400.0  # webhook deliveries (purpose notify), delivered or not


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str  # feed | sitemap | page | urls
    url: str | None
    urls: tuple[str, ...]
    links: str | None
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    extract: ExtractRules | None
    enabled: bool
    every: float | None  # seconds; exactly one of every/cron is set
    cron: str | None
    revisit: tuple[float, ...]  # seconds, ascending
    fetch: FetchPolicy
    notify: NotifyConfig | None = None  # None: no webhook for this source
    max_child_sitemaps: int = 50  # child sitemaps read per poll, all levels of an index together
    max_listing_urls: int = 50_000  # URLs taken from the source's listings per poll


@dataclass(frozen=True)
class Config:
    path: str
    database: str | None
    sources: tuple[SourceConfig, ...]
    fetch_defaults: FetchPolicy = FetchPolicy()  # the `defaults` block alone, for `discover` and `import-opml`
    retention: RetentionConfig = RetentionConfig()  # the `retention` block, for `prune` and the service


# ---------------------------------------------------------------- durations and sizes

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_DURATION = r"^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d|w)\s*)+$|^\s*\d+(\.\d+)?\s*$"
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_UNIT_WORDS = {"ms": ("milli", "msec"), "s": ("sec",), "m": ("min",), "h": ("hour", "hr"), "d": ("day",),
               "w": ("week", "wk")}
_SIZES = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}
_SIZE = r"^\s*\d+(\.\d+)?\s*([kKmMgG]i?[bB]|[bB])?\s*$"


def _show(value: Any) -> str:
    """A value as the user wrote it, for messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _duration_hint(text: str) -> str:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\.?\s*", text)
    if m:
        word = m[2].lower()
        for unit, stems in _UNIT_WORDS.items():
            if word == unit or any(word.startswith(stem) for stem in stems):
                return f"{m[1]}{unit}"
    return "a number and a unit: 500ms, 20s, 15m, 1h30m, 1d"


def parse_duration(text: str) -> float:
    """'15m' -> 900.0; '1h30m', '20s', '1d', '500ms'; a bare number is seconds. Raises ValueError."""
    if isinstance(text, int | float) and not isinstance(text, bool) and 0 <= text < math.inf:
        return float(text)
    if isinstance(text, str) and re.fullmatch(_DURATION, text):
        parts = _DURATION_PART.findall(text)
        if not parts:
            return float(text)
        return sum(float(num) * _UNITS[unit] for num, unit in parts)
    hint = _duration_hint(text) if isinstance(text, str) else "15m"
    raise ValueError(f"{_show(text)} is not a duration (use {hint})")


def parse_size(text: str | int) -> int:
    """'5MB' -> 5_000_000; '512KiB'; '1.5MB'; a bare integer is bytes. Raises ValueError."""
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        return text
    if isinstance(text, str) and re.fullmatch(_SIZE, text):
        m = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", text)
        assert m is not None  # _SIZE matched, so this does too
        return round(float(m[1]) * _SIZES[(m[2] or "b").lower()])
    raise ValueError(f"{_show(text)} is not a size (use e.g. 5MB, 512KiB or a number of bytes)")


# ---------------------------------------------------------------- field validators

def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("config", message)  # type: ignore[arg-type]  # no {placeholders} are filled


def _parsed(parse: Callable[[Any], float], positive: bool) -> Callable[[Any], Any]:
    """A pydantic before-validator from parse_duration / parse_size."""

    def validate(value: Any) -> float:
        try:
            number = parse(value)
        except ValueError as e:
            raise _fail(str(e)) from None
        if positive and number <= 0:
            raise _fail(f"{_show(value)} is too small (must be more than 0)")
        return number

    return validate


def _check(ok: Callable[[str], bool], problem: str) -> AfterValidator:
    """An after-validator: `problem` is formatted with the shown value when ok(value) is false."""

    def validate(value: str) -> str:
        if not ok(value):
            raise _fail(problem.format(_show(value)))
        return value

    return AfterValidator(validate)


def _is_url(value: str, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    parts = urlsplit(value)
    return parts.scheme.lower() in schemes and bool(parts.hostname) and value == value.strip()


def _is_css(value: str) -> bool:
    from selectolax.lexbor import LexborHTMLParser  # late: only configs with selectors need it

    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception:  # selectolax raises its own error class on a selector it cannot parse
        return False
    return True


def _is_attr_css(value: str) -> bool:
    """"selector" or "selector@attribute"."""
    css, at, attr = value.rpartition("@")
    return _is_css(css) if at and re.fullmatch(r"[A-Za-z_:][-\w:.]*", attr) else _is_css(value)


def _v_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as e:
        raise _fail(f"{_show(value)} is not a regular expression: {e}") from None
    return value


def _v_cron(value: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(value)
    except ValueError as e:
        raise _fail(f"{_show(value)} is not a cron expression: {e} (write e.g. \"*/10 * * * *\")") from None
    return value


def _v_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", value):
        fixed = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-") or "my-source"
        raise _fail(f"{_show(value)} may only have letters, digits, '-' and '_' (write e.g. {_show(fixed)})")
    return value


def _v_age(value: Any) -> float | None:
    """A retention age: a duration, or null / "forever" to keep every row of that kind."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "forever"):
        return None
    try:
        age = parse_duration(value)
    except ValueError:
        hint = _duration_hint(value) if isinstance(value, str) else "30d"
        raise _fail(f"{_show(value)} is not an age (write e.g. {hint if hint[0].isdigit() else '30d'}, "
                    "or forever to keep them all)") from None
    if age <= 0:
        raise _fail(f"{_show(value)} is too small (more than 0; write forever to keep them all)")
    return age


_DURATION_SCHEMA = {"anyOf": [{"type": "string", "pattern": _DURATION}, {"type": "number", "minimum": 0}]}
_SIZE_SCHEMA = {"anyOf": [{"type": "string", "pattern": _SIZE}, {"type": "integer", "minimum": 1}]}
_CSS_PROBLEM = '{} is not a CSS selector (write e.g. "div.article-body p")'
Duration = Annotated[float, BeforeValidator(_parsed(parse_duration, True)), WithJsonSchema(_DURATION_SCHEMA)]
Delay = Annotated[float, BeforeValidator(_parsed(parse_duration, False)), WithJsonSchema(_DURATION_SCHEMA)]
Age = Annotated[float | None, BeforeValidator(_v_age), WithJsonSchema(
    {"anyOf": [*_DURATION_SCHEMA["anyOf"], {"const": "forever"}, {"type": "null"}]})]
Size = Annotated[int, BeforeValidator(_parsed(parse_size, True)), WithJsonSchema(_SIZE_SCHEMA)]
Url = Annotated[str, _check(_is_url, "{} is not an absolute http(s) URL (write e.g. https://example.com/rss)"),
                WithJsonSchema({"type": "string", "pattern": "^https?://"})]
ProxyUrl = Annotated[str, _check(lambda v: _is_url(v, ("http", "https", "socks5", "socks5h")),
                                 "{} is not a proxy URL (write e.g. http://user:pass@proxy:3128)")]
Regex = Annotated[str, AfterValidator(_v_regex), WithJsonSchema({"type": "string", "format": "regex"})]
Selector = Annotated[str, _check(_is_css, _CSS_PROBLEM)]
AttrSelector = Annotated[str, _check(_is_attr_css, _CSS_PROBLEM)]
HeaderName = Annotated[str, _check(lambda v: bool(re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", v)),
                                   "{} is not an HTTP header name")]
HeaderValue = Annotated[str, _check(lambda v: "\r" not in v and "\n" not in v, "{}: a header value is one line")]
HostName = Annotated[str, _check(lambda v: bool(re.fullmatch(r"[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]", v)),
                                 "{} is not a host name (write e.g. www.example.com, no scheme or path)")]


# ---------------------------------------------------------------- the file's shape (pydantic models)

class _Notify(BaseModel):
    """A webhook called when an article of the source changes."""

    model_config = ConfigDict(extra="forbid", title="Notify")
    url: Url = Field(description="Webhook URL that receives a JSON POST per event")
    secret: Annotated[str, Field(min_length=1)] | None = Field(
        None, description="Signs each POST: X-Newsarchive-Signature: sha256=<hex HMAC of the body>")
    secret_env: Annotated[str, Field(min_length=1)] | None = Field(
        None, description="Name of an environment variable holding the secret (instead of secret)")
    events: list[Literal["new_article", "new_version", "silent_edit"]] = Field(
        default_factory=lambda: ["new_version"],
        description="new_version: an article changed; new_article: an article was captured the first time; "
                    "silent_edit: only new versions whose edit the publisher did not acknowledge")


def _opt(default: Any, description: str) -> Any:
    """Unset stays None so merging can tell "not written" from a value; the schema shows the real default."""
    return Field(default=None, description=description, json_schema_extra={"default": default})


class _Keys(BaseModel):
    """Keys allowed both in `defaults` and on a single source."""

    model_config = ConfigDict(extra="forbid")
    every: Duration = _opt("15m", "Poll interval: 20s, 15m, 1h30m, 1d (or cron instead)")
    cron: Annotated[str, AfterValidator(_v_cron)] = _opt(None, 'Cron expression instead of every: "*/10 * * * *"')
    revisit: list[Duration] = _opt(["1h", "6h", "1d", "3d", "7d"], "Article ages at which it is fetched again")
    timeout: Duration = _opt("20s", "Whole-request time limit")
    retries: Annotated[int, Field(ge=0)] = _opt(3, "Further attempts on 5xx, 429, timeouts, connection errors")
    max_bytes: Size = _opt("5MB", "Larger bodies (after decompression) are refused")
    per_host_concurrency: Annotated[int, Field(ge=1)] = _opt(2, "Requests at once to one host")
    per_host_delay: Delay = _opt("1s", "At least this long between two requests to one host")
    respect_robots: bool = _opt(True, "Obey robots.txt")
    user_agent: Annotated[str, Field(min_length=1)] = _opt(FetchPolicy.user_agent, "User-Agent header")
    allow_private_networks: bool = _opt(False, "Allow loopback, private and link-local addresses")
    headers: dict[HeaderName, HeaderValue] = _opt({}, "Extra request headers, e.g. {Cookie: consent=1}; never logged")
    headers_hosts: list[HostName] = _opt([], "Hosts `headers` are sent to besides the host of the source's url/urls")
    proxy: ProxyUrl | None = _opt(None, "Proxy URL, e.g. http://user:pass@host:3128")
    crawl_delay_max: Delay = _opt("30s", "A robots.txt Crawl-delay longer than this is capped (logged, and `status` names the source)")
    notify: _Notify | None = _opt(None, "Webhook for change notifications; null on a source turns a default off")
    max_child_sitemaps: Annotated[int, Field(ge=0)] = _opt(
        50, "Child sitemaps read per poll, all levels of a sitemap index together; the rest are cut (logged)")
    max_listing_urls: Annotated[int, Field(ge=1)] = _opt(
        50000, "URLs taken from a source's listings per poll; the rest are cut (logged)")


class _Defaults(_Keys):
    model_config = ConfigDict(extra="forbid", title="Defaults")


class _Extract(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Extract")
    title: Selector | None = Field(None, description="CSS selector of the headline")
    body: Selector | None = Field(None, description="CSS selector of the article body")
    authors: Selector | None = Field(None, description="CSS selector of the author names")
    published: AttrSelector | None = Field(
        None, description='Publication date: "selector" or "selector@attribute"')
    remove: list[Selector] = Field(default_factory=list, description="Elements removed before extraction")


class _Source(_Keys):
    model_config = ConfigDict(extra="forbid", title="Source")
    name: Annotated[str, AfterValidator(_v_name), Field(json_schema_extra={"pattern": "^[A-Za-z0-9_-]+$"})] = Field(
        description="Unique; letters, digits, '-' and '_'")
    kind: Literal["feed", "sitemap", "page", "urls"] = Field(description="What `url` points at")
    url: Url | None = Field(None, description="Feed, sitemap or listing page (kinds feed, sitemap, page)")
    urls: list[Url] | None = Field(None, description="Article URLs (kind urls)")
    links: Selector | None = Field(None, description="CSS selector of article links (kind page)")
    include: list[Regex] = Field(default_factory=list, description="Keep only candidate URLs matching one")
    exclude: list[Regex] = Field(default_factory=list, description="Drop candidate URLs matching any")
    extract: _Extract | None = Field(None, description="Per-source selectors over the generic extractor")
    enabled: bool = Field(True, description="false keeps the archive but stops polling")


class _Retention(BaseModel):
    """How long `prune` (and the service, daily) keeps fetch-log rows; the capture of a version is kept forever."""

    model_config = ConfigDict(extra="forbid", title="Retention")
    unchanged_polls: Age = Field(RetentionConfig.unchanged_polls, json_schema_extra={"default": "30d"}, description=(
        "Feed, sitemap and page polls that changed nothing (304, or the same body as the poll before)"))
    failed_fetches: Age = Field(RetentionConfig.failed_fetches, json_schema_extra={"default": "90d"},
                                description="Fetches that failed (any purpose but notify)")
    deliveries: Age = Field(RetentionConfig.deliveries, json_schema_extra={"default": "90d"},
                            description="Webhook deliveries (fetch-log rows of purpose notify)")


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", title="newsarchive config")
    database: str | None = Field(None, description="Database URL: sqlite:///path or postgresql://...")
    defaults: _Defaults | None = Field(None, description="Keys every source inherits unless it sets them")
    sources: list[_Source] | None = Field(description="The sources to poll")
    retention: _Retention | None = Field(None, description="How long `prune` keeps fetch-log rows (an age per kind, "
                                                       "or forever); the capture of a version is kept forever")


_MISSING_HINTS = {
    "sources": "add `sources:` with a list of sources",
    "name": "every source needs a unique `name:`",
    "kind": "every source needs a `kind:` (feed, sitemap, page or urls)",
}


def config_json_schema() -> dict[str, Any]:
    """JSON Schema of the file, for `newsarchive schema`, editors and validators."""
    schema = _File.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def resolve_config_path(cli_value: str | None) -> str:
    """--config, else NEWSARCHIVE_CONFIG, else config/sources.yaml."""
    return cli_value or os.environ.get("NEWSARCHIVE_CONFIG") or DEFAULT_CONFIG_PATH


# ---------------------------------------------------------------- YAML with line numbers

Loc = tuple[str | int, ...]
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Locator:
    """Turns a key path into a ConfigError with the line of that key (or of its nearest parent)."""

    def __init__(self, path: str, lines: dict[Loc, int]) -> None:
        self.path, self.lines = path, lines

    def error(self, loc: Loc, message: str) -> ConfigError:
        line = next((self.lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in self.lines), None)
        return ConfigError(self.path, line, _key_path(loc), message)


def _key_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, lines: dict[Loc, int], shown: str) -> None:
    """Record the line of every mapping key and sequence item; refuse duplicate keys (YAML keeps the last)."""
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if knode.tag == _MERGE_TAG:
                continue  # `<<: *anchor` keys come from elsewhere; their lines fall back to this mapping
            key = loader.construct_object(knode, deep=True)
            here = (*loc, key)
            if here in lines:
                raise ConfigError(shown, knode.start_mark.line + 1, _key_path(here),
                                  f"duplicate key (already set on line {lines[here]}; keep one)")
            lines[here] = knode.start_mark.line + 1
            _walk(loader, vnode, here, lines, shown)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            _walk(loader, item, (*loc, i), lines, shown)


def _parse_yaml(shown: str, text: str) -> tuple[Any, dict[Loc, int]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        _walk(loader, node, (), lines, shown)
        return loader.construct_document(node), lines
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        source_lines, hint = text.splitlines(), ""
        if line and line <= len(source_lines) and "cron" in source_lines[line - 1]:
            hint = ' (quote cron expressions: cron: "*/10 * * * *")'  # a bare * starts a YAML alias
        raise ConfigError(shown, line, "", f"not valid YAML: {problem}{hint}") from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------- pydantic errors -> ConfigError

def _fields_at(loc: Loc) -> list[str]:
    """The keys allowed in the mapping at loc, for "did you mean"."""
    if len(loc) == 0:
        model: type[BaseModel] = _File
    elif loc[0] == "defaults" and len(loc) == 1:
        model = _Defaults
    elif loc[0] == "sources" and len(loc) == 2:
        model = _Source
    elif loc[0] == "sources" and len(loc) == 3 and loc[2] == "extract":
        model = _Extract
    elif loc == ("retention",):
        model = _Retention
    elif loc[-1:] == ("notify",) and len(loc) in (2, 3):
        model = _Notify
    else:
        return []
    return list(model.model_fields)


def _unknown_key(loc: Loc) -> str:
    allowed = _fields_at(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f'unknown key (did you mean "{close[0]}"?)'
    return f"unknown key (allowed: {', '.join(allowed)})" if allowed else "unknown key"


def _message(err: Any, loc: Loc) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "config":
        return str(err["msg"])
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "missing":
        return f"missing ({_MISSING_HINTS.get(str(loc[-1]), f'add `{loc[-1]}:`')})"
    if kind == "literal_error" and "events" in loc:
        return f"{_show(value)} is not an event (use {ctx.get('expected')})"
    if kind == "literal_error":
        return f"{_show(value)} is not a kind (use {ctx.get('expected')})"
    if kind.startswith("int_"):
        return f"{_show(value)} is not a whole number"
    if kind.startswith("bool_"):
        return f"{_show(value)} is not true or false"
    if kind == "string_type":
        return f"{_show(value)} is not text (put it in quotes)"
    if kind == "list_type":
        return f"{_show(value)} is not a list (write [a, b] or one '- item' per line)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{_show(value)} is not a mapping (write `key: value` lines)"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{_show(value)} is too small (must be at least {ctx.get('ge', ctx.get('gt'))})"
    if kind == "string_too_short":
        return "is empty"
    return f"{_show(value)}: {err['msg']}"


def _from_validation(exc: ValidationError, where: _Locator) -> ConfigError:
    errors = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")  # pydantic marks a bad dict key with "[key]"
        errors.append(where.error(loc, _message(err, loc)))
    errors.sort(key=lambda e: e.line or 0)  # the first one in the file first; sort is stable
    errors[0].more = tuple(errors[1:])
    return errors[0]


# ---------------------------------------------------------------- merging and cross-key checks

_POLICY_KEYS = ("timeout", "retries", "max_bytes", "per_host_concurrency", "per_host_delay", "respect_robots",
                "user_agent", "allow_private_networks", "headers", "proxy", "crawl_delay_max")


def _pick(key: str, source: _Source, defaults: _Defaults) -> tuple[bool, Any]:
    """A source's own key wins over `defaults` (wholesale, headers too); (False, None) when neither sets it."""
    for model in (source, defaults):
        if key in model.model_fields_set:
            return True, getattr(model, key)
    return False, None


def _schedule(source: _Source, defaults: _Defaults) -> tuple[float | None, str | None]:
    for model in (source, defaults):  # cron on a source overrides a default every, and vice versa
        if "cron" in model.model_fields_set:
            return None, model.cron
        if "every" in model.model_fields_set:
            return model.every, None
    return DEFAULT_EVERY, None


def _policy(source: _Source | _Defaults, defaults: _Defaults) -> FetchPolicy:
    kwargs: dict[str, Any] = {}
    for key in _POLICY_KEYS:
        found, value = _pick(key, source, defaults)
        if found:
            kwargs[key] = tuple(value.items()) if key == "headers" else value
    # Configured headers go to the source's own hosts (and any listed): never to a redirect or a
    # robots.txt elsewhere. The defaults block alone (discover, import-opml) leaves it to the Fetcher:
    # the host each fetch starts at.
    if isinstance(source, _Source) and kwargs.get("headers"):
        own = ([source.url] if source.url else []) + list(source.urls or [])
        hosts = {h for h in (urlsplit(u).hostname for u in own) if h}
        hosts |= {h.strip("[]").lower() for h in _pick("headers_hosts", source, defaults)[1] or []}
        kwargs["headers_hosts"] = tuple(sorted(hosts))
    return FetchPolicy(**kwargs)


def _check_schedule(model: _Keys, loc: Loc, where: _Locator) -> None:
    if {"every", "cron"} <= model.model_fields_set:
        raise where.error((*loc, "cron"), "set either every or cron, not both (remove one)")


def _check_kind(s: _Source, loc: Loc, where: _Locator) -> None:
    if s.kind == "urls":
        if s.url is not None:
            raise where.error((*loc, "url"), "kind urls takes a `urls:` list, not `url:`")
        if not s.urls:
            missing = "is empty (list at least one article URL)" if s.urls is not None else \
                "missing (kind urls needs `urls: [https://...]`)"
            raise where.error((*loc, "urls"), missing)
    else:
        if s.url is None:
            raise where.error((*loc, "url"), f"missing (kind {s.kind} needs `url: https://...`)")
        if s.urls is not None:
            raise where.error((*loc, "urls"), f"only kind urls takes `urls:` (a {s.kind} takes `url:`)")
    if s.kind == "page" and s.links is None:
        raise where.error((*loc, "links"), 'missing (kind page needs `links:`, a CSS selector like "h2 a")')
    if s.kind != "page" and s.links is not None:
        raise where.error((*loc, "links"), f"only kind page takes `links:` (this source is a {s.kind})")


def _notify(source: _Source, defaults: _Defaults, loc: Loc, where: _Locator) -> NotifyConfig | None:
    """The source's own `notify` wins wholesale over the default one; `notify: null` turns it off."""
    found, model = _pick("notify", source, defaults)
    if not found or model is None:
        return None
    at = (*loc, "notify") if "notify" in source.model_fields_set else ("defaults", "notify")
    if model.secret is not None and model.secret_env is not None:
        raise where.error((*at, "secret_env"), "set either secret or secret_env, not both (remove one)")
    secret = model.secret
    if model.secret_env is not None:
        secret = os.environ.get(model.secret_env)
        if not secret:
            raise where.error((*at, "secret_env"), f"the environment variable {model.secret_env} is not set "
                                                   "(set it, or remove secret_env)")
    private = _pick("allow_private_networks", source, defaults)[1] is True
    return NotifyConfig(url=model.url, secret=secret, events=tuple(dict.fromkeys(model.events)),
                        allow_private_networks=private)


def _extract(model: _Extract | None) -> ExtractRules | None:
    if model is None or not (model.model_fields_set - {"remove"} or model.remove):
        return None  # no rules at all: the generic extractor alone
    return ExtractRules(title=model.title, body=model.body, authors=model.authors,
                        published=model.published, remove=tuple(model.remove))


def _source(s: _Source, defaults: _Defaults, loc: Loc, where: _Locator) -> SourceConfig:
    every, cron = _schedule(s, defaults)
    found, revisit = _pick("revisit", s, defaults)
    caps = {key: _pick(key, s, defaults)[1] for key in ("max_child_sitemaps", "max_listing_urls")
            if _pick(key, s, defaults)[0]}  # unset: SourceConfig's defaults
    return SourceConfig(
        name=s.name, kind=s.kind, url=s.url, urls=tuple(s.urls or ()), links=s.links,
        include=tuple(re.compile(p) for p in s.include), exclude=tuple(re.compile(p) for p in s.exclude),
        extract=_extract(s.extract), enabled=s.enabled, every=every, cron=cron,
        revisit=tuple(sorted(set(revisit))) if found else DEFAULT_REVISIT, fetch=_policy(s, defaults),
        notify=_notify(s, defaults, loc, where), **caps)


def _build(shown: str, model: _File, where: _Locator) -> Config:
    defaults = model.defaults or _Defaults()
    _check_schedule(defaults, ("defaults",), where)
    seen: dict[str, int] = {}
    sources = []
    for i, s in enumerate(model.sources or ()):
        loc: Loc = ("sources", i)
        _check_schedule(s, loc, where)
        _check_kind(s, loc, where)
        if s.name in seen:
            raise where.error((*loc, "name"), f'"{s.name}" is already the name of sources[{seen[s.name]}] '
                                              "(names must be unique)")
        seen[s.name] = i
        sources.append(_source(s, defaults, loc, where))
    kept = model.retention or _Retention()
    return Config(path=shown, database=model.database, sources=tuple(sources),
                  fetch_defaults=_policy(defaults, defaults),
                  retention=RetentionConfig(kept.unchanged_polls, kept.failed_fetches, kept.deliveries))


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read, validate and merge the config file. Raises ConfigError naming file, line and key."""
    shown = os.fspath(path)
    try:
        text = Path(shown).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(shown, None, "", "no such file (create it, or pass --config PATH "
                                           "or set NEWSARCHIVE_CONFIG)") from None
    except UnicodeDecodeError:
        raise ConfigError(shown, None, "", "not UTF-8 text") from None
    except OSError as e:
        raise ConfigError(shown, None, "", f"cannot read it: {e.strerror}") from None
    data, lines = _parse_yaml(shown, text)
    if data is None:
        raise ConfigError(shown, None, "", "the file is empty (it needs at least `sources:`, see "
                                           "config/sources.yaml for a commented example)")
    if not isinstance(data, dict):
        raise ConfigError(shown, lines.get(()), "", f"the top level is a {type(data).__name__}; it must be a "
                                                    "mapping with `sources:` (and optionally `database:`, `defaults:`)")
    where = _Locator(shown, lines)
    try:
        model = _File.model_validate(data)
    except ValidationError as e:
        raise _from_validation(e, where) from None
    return _build(shown, model, where)
