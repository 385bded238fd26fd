"""worker/config.py: the config file contract of SPEC.md (validation, line numbers, merging, schema)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from worker.config import (
    Config,
    ConfigError,
    config_json_schema,
    load_config,
    parse_duration,
    parse_size,
    resolve_config_path,
)
from worker.values import ExtractRules, FetchPolicy

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "sources.yaml"

FEED = "  - name: a\n    kind: feed\n    url: https://example.com/rss\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


def error_of(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    return info.value


# ------------------------------------------------------------------ bad files


def test_spec_example_message_is_exact(tmp_path: Path) -> None:
    lines = ["database: sqlite:///x.sqlite3", "sources:"]
    for i in range(3):
        lines += [f"  - name: s{i}", "    kind: feed", f"    url: https://example.com/{i}.xml", "    enabled: true"]
    lines.insert(13, '    every: "15 minutes"')  # line 14, inside sources[2]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    e = info.value
    assert str(e) == f'{path}:14: sources[2].every: "15 minutes" is not a duration (use 15m)'
    assert (e.path, e.line, e.key) == (str(path), 14, "sources[2].every")
    assert e.message == '"15 minutes" is not a duration (use 15m)'


BAD_FILES = [
    # (id, file text, line, key, a piece of the message)
    ("not-yaml", "sources: [1, 2\n", 2, "", "not valid YAML"),
    ("unquoted-cron", "defaults:\n  cron: */10 * * * *\nsources: []\n", 2, "", "quote cron"),
    ("top-list", "- a\n- b\n", 1, "", "must be a mapping"),
    ("top-scalar", "hello\n", 1, "", "must be a mapping"),
    ("unknown-top", "databse: x\nsources: []\n", 1, "databse", 'did you mean "database"?'),
    ("unknown-source", "sources:\n" + FEED + "    evry: 15m\n", 5, "sources[0].evry", 'did you mean "every"?'),
    ("unknown-default", "defaults:\n  timout: 3s\nsources: []\n", 2, "defaults.timout", '"timeout"'),
    ("unknown-extract", "sources:\n" + FEED + "    extract:\n      titel: h1\n", 6,
     "sources[0].extract.titel", '"title"'),
    ("missing-sources", "database: x\n", 1, "sources", "missing"),
    ("sources-not-list", "sources: feed\n", 1, "sources", "not a list"),
    ("source-not-mapping", "sources:\n  - https://x.org/rss\n", 2, "sources[0]", "not a mapping"),
    ("bad-duration", "defaults:\n  timeout: soon\nsources: []\n", 2, "defaults.timeout", "not a duration"),
    ("zero-every", "defaults:\n  every: 0\nsources: []\n", 2, "defaults.every", "more than 0"),
    ("negative-duration", "defaults:\n  per_host_delay: -1s\nsources: []\n", 2, "defaults.per_host_delay",
     "not a duration"),
    ("bad-revisit-item", "defaults:\n  revisit:\n    - 1h\n    - tomorrow\nsources: []\n", 4,
     "defaults.revisit[1]", '"tomorrow" is not a duration'),
    ("bad-size", "defaults:\n  max_bytes: 5 megs\nsources: []\n", 2, "defaults.max_bytes", "not a size"),
    ("zero-size", "defaults:\n  max_bytes: 0\nsources: []\n", 2, "defaults.max_bytes", "more than 0"),
    ("negative-retries", "defaults:\n  retries: -1\nsources: []\n", 2, "defaults.retries", "at least 0"),
    ("zero-concurrency", "defaults:\n  per_host_concurrency: 0\nsources: []\n", 2,
     "defaults.per_host_concurrency", "at least 1"),
    ("retries-text", "defaults:\n  retries: three\nsources: []\n", 2, "defaults.retries", "not a whole number"),
    ("robots-not-bool", "defaults:\n  respect_robots: maybe\nsources: []\n", 2, "defaults.respect_robots",
     "not true or false"),
    ("empty-user-agent", "defaults:\n  user_agent: ''\nsources: []\n", 2, "defaults.user_agent", "empty"),
    ("bad-header", "defaults:\n  headers: {'Bad Header': x}\nsources: []\n", 2, "defaults.headers.Bad Header",
     "not an HTTP header name"),
    ("bad-proxy", "defaults:\n  proxy: proxy.local:3128\nsources: []\n", 2, "defaults.proxy", "not a proxy URL"),
    ("wrong-kind", "sources:\n  - name: a\n    kind: rss\n    url: https://x.org/\n", 3, "sources[0].kind",
     '"rss" is not a kind'),
    ("no-name", "sources:\n  - kind: feed\n    url: https://x.org/\n", 2, "sources[0].name", "missing"),
    ("no-kind", "sources:\n  - name: a\n    url: https://x.org/\n", 2, "sources[0].kind", "missing"),
    ("bad-name", "sources:\n  - name: caliber en\n    kind: feed\n    url: https://x.org/\n", 2,
     "sources[0].name", '"caliber-en"'),
    ("feed-no-url", "sources:\n  - name: a\n    kind: feed\n", 2, "sources[0].url", "kind feed needs"),
    ("sitemap-no-url", "sources:\n  - name: a\n    kind: sitemap\n", 2, "sources[0].url", "kind sitemap needs"),
    ("page-no-links", "sources:\n  - name: a\n    kind: page\n    url: https://x.org/\n", 2, "sources[0].links",
     "kind page needs"),
    ("links-on-feed", "sources:\n" + FEED + "    links: h2 a\n", 5, "sources[0].links", "only kind page"),
    ("urls-no-list", "sources:\n  - name: a\n    kind: urls\n", 2, "sources[0].urls", "kind urls needs"),
    ("urls-empty", "sources:\n  - name: a\n    kind: urls\n    urls: []\n", 4, "sources[0].urls", "is empty"),
    ("urls-with-url", "sources:\n  - name: a\n    kind: urls\n    url: https://x.org/\n", 4, "sources[0].url",
     "not `url:`"),
    ("feed-with-urls", "sources:\n" + FEED + "    urls: [https://x.org/a]\n", 5, "sources[0].urls",
     "only kind urls"),
    ("ftp-url", "sources:\n  - name: a\n    kind: feed\n    url: ftp://x.org/rss\n", 4, "sources[0].url",
     "not an absolute http(s) URL"),
    ("relative-url", "sources:\n  - name: a\n    kind: feed\n    url: /rss\n", 4, "sources[0].url",
     "not an absolute http(s) URL"),
    ("bad-url-in-list", "sources:\n  - name: a\n    kind: urls\n    urls:\n      - https://x.org/a\n      - x.org/b\n",
     6, "sources[0].urls[1]", '"x.org/b"'),
    ("duplicate-name", "sources:\n" + FEED + FEED, 5, "sources[1].name", "already the name of sources[0]"),
    ("duplicate-key", "sources:\n" + FEED + "    url: https://example.com/2\n", 5, "sources[0].url",
     "duplicate key (already set on line 4"),
    ("bad-regex", "sources:\n" + FEED + "    exclude:\n      - /tag/\n      - '(unclosed'\n", 7,
     "sources[0].exclude[1]", "missing ), unterminated subpattern"),
    ("bad-links-css", "sources:\n  - name: a\n    kind: page\n    url: https://x.org/\n    links: 'h2 >> a'\n", 5,
     "sources[0].links", "not a CSS selector"),
    ("bad-remove-css", "sources:\n" + FEED + "    extract:\n      remove: ['.ad', '###']\n", 6,
     "sources[0].extract.remove[1]", '"###" is not a CSS selector'),
    ("bad-published-css", "sources:\n" + FEED + "    extract:\n      published: 'time >> x@datetime'\n", 6,
     "sources[0].extract.published", "not a CSS selector"),
    ("bad-cron", "defaults:\n  cron: '61 * * * *'\nsources: []\n", 2, "defaults.cron", "not a cron expression"),
    ("cron-too-short", "sources:\n" + FEED + "    cron: '* * *'\n", 5, "sources[0].cron", "Wrong number of fields"),
    ("every-and-cron", "sources:\n" + FEED + "    every: 1h\n    cron: '0 * * * *'\n", 6, "sources[0].cron",
     "either every or cron"),
    ("every-and-cron-defaults", "defaults:\n  cron: '0 * * * *'\n  every: 1h\nsources: []\n", 2, "defaults.cron",
     "either every or cron"),
]


@pytest.mark.parametrize(("text", "line", "key", "fragment"), [b[1:] for b in BAD_FILES],
                         ids=[b[0] for b in BAD_FILES])
def test_bad_file(tmp_path: Path, text: str, line: int, key: str, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    e = info.value
    assert (e.path, e.line, e.key) == (str(path), line, key), str(e)
    assert fragment in e.message
    head = f"{path}:{line}: {key}: " if key else f"{path}:{line}: "
    assert str(e) == head + e.message


def test_missing_file_has_no_line(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line is None
    assert str(info.value).startswith(f"{path}: no such file")


def test_empty_and_binary_files(tmp_path: Path) -> None:
    assert "empty" in error_of(tmp_path, "# only a comment\n").message
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)


def test_all_errors_are_kept_in_line_order(tmp_path: Path) -> None:
    e = error_of(tmp_path, "defaults:\n  retries: x\n  timeout: y\nsources:\n" + FEED + "    evry: 1m\n")
    assert [e.line] + [m.line for m in e.more] == [2, 3, 8]
    assert [m.key for m in e.more] == ["defaults.timeout", "sources[0].evry"]


def test_yaml_anchors_and_merge_keys_work(tmp_path: Path) -> None:
    config = load(tmp_path, """\
        sources:
          - &base
            name: a
            kind: feed
            url: https://example.com/rss
            every: 5m
          - <<: *base
            name: b
    """)
    assert [(s.name, s.every) for s in config.sources] == [("a", 300.0), ("b", 300.0)]


# ------------------------------------------------------------------ defaults and merging


def test_builtin_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, "sources:\n" + FEED)
    assert config.database is None
    (s,) = config.sources
    assert (s.name, s.kind, s.url, s.urls, s.links, s.enabled) == ("a", "feed", "https://example.com/rss", (), None,
                                                                   True)
    assert (s.every, s.cron) == (900.0, None)
    assert s.revisit == (3600.0, 6 * 3600.0, 86400.0, 3 * 86400.0, 7 * 86400.0)
    assert s.fetch == FetchPolicy()
    assert s.fetch.user_agent == "newsarchive/0.1 (+https://example.org/bot)"
    assert (s.include, s.exclude, s.extract) == ((), (), None)


def test_defaults_merge_and_source_override(tmp_path: Path) -> None:
    config = load(tmp_path, """\
        database: postgresql://archiver@db/news
        defaults:
          timeout: 30s
          retries: 5
          max_bytes: 512KiB
          headers: {Cookie: consent=1}
          proxy: http://proxy.local:3128
          revisit: [1d, 1h]
        sources:
          - name: a
            kind: feed
            url: https://example.com/rss
          - name: b
            kind: sitemap
            url: https://example.com/sitemap.xml
            retries: 0
            headers: {}
            proxy: null
            revisit: []
            allow_private_networks: true
    """)
    assert config.database == "postgresql://archiver@db/news"
    a, b = config.sources
    assert a.fetch == FetchPolicy(timeout=30.0, retries=5, max_bytes=524288, headers=(("Cookie", "consent=1"),),
                                  proxy="http://proxy.local:3128", headers_hosts=("example.com",))
    assert a.revisit == (3600.0, 86400.0)  # sorted
    assert b.fetch == FetchPolicy(timeout=30.0, retries=0, max_bytes=524288, allow_private_networks=True)
    assert b.revisit == ()


def test_every_and_cron_override_each_other(tmp_path: Path) -> None:
    config = load(tmp_path, """\
        defaults:
          cron: "*/10 * * * *"
        sources:
          - {name: inherits-cron, kind: feed, url: "https://example.com/1"}
          - {name: own-every, kind: feed, url: "https://example.com/2", every: 1h}
    """)
    assert [(s.every, s.cron) for s in config.sources] == [(None, "*/10 * * * *"), (3600.0, None)]
    config = load(tmp_path, """\
        defaults:
          every: 1h
        sources:
          - {name: inherits-every, kind: feed, url: "https://example.com/1"}
          - {name: own-cron, kind: feed, url: "https://example.com/2", cron: "0 6 * * mon-fri"}
    """)
    assert [(s.every, s.cron) for s in config.sources] == [(3600.0, None), (None, "0 6 * * mon-fri")]


def test_source_fields(tmp_path: Path) -> None:
    config = load(tmp_path, r"""
        sources:
          - name: sec_1
            kind: page
            url: https://example.com/world/
            links: "h2.headline a"
            include: ['^https://example\.com/\d{4}/']
            exclude: ['/tag/', '/author/']
            enabled: false
            extract:
              title: h1
              body: div.article-body
              authors: .byline a
              published: time@datetime
              remove: [.ad, .share]
          - name: one-offs
            kind: urls
            urls: [https://example.com/a-story, "https://example.com/b?x=1"]
    """)
    page, urls = config.sources
    assert page.links == "h2.headline a" and page.enabled is False
    assert all(isinstance(p, re.Pattern) for p in page.include + page.exclude)
    assert page.include[0].search("https://example.com/2025/x") and not page.include[0].search("https://e.org/")
    assert [p.pattern for p in page.exclude] == ["/tag/", "/author/"]
    assert page.extract == ExtractRules(title="h1", body="div.article-body", authors=".byline a",
                                        published="time@datetime", remove=(".ad", ".share"))
    assert urls.urls == ("https://example.com/a-story", "https://example.com/b?x=1") and urls.url is None


def test_empty_sources_are_allowed(tmp_path: Path) -> None:
    assert load(tmp_path, "sources: []\n").sources == ()
    assert load(tmp_path, "sources:\n").sources == ()


# ------------------------------------------------------------------ durations and sizes


@pytest.mark.parametrize(("text", "seconds"), [
    ("15m", 900.0), ("1h30m", 5400.0), ("20s", 20.0), ("1d", 86400.0), ("500ms", 0.5), ("90", 90.0),
    ("1.5h", 5400.0), ("1h 30m", 5400.0), ("2w", 1209600.0), (45, 45.0), (0.25, 0.25),
])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "hint"), [
    ("15 minutes", "(use 15m)"), ("2 hours", "(use 2h)"), ("3 days", "(use 3d)"), ("m15", "a number and a unit"), ("", "a number and a unit"), ("-5m", "a number and a unit"),
    ("15M", "(use 15m)"),
])
def test_parse_duration_rejects(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match="is not a duration") as info:
        parse_duration(text)
    assert hint in str(info.value)


@pytest.mark.parametrize(("text", "size"), [
    ("5MB", 5_000_000), ("512KiB", 524_288), ("1.5MB", 1_500_000), (1000, 1000), ("1000", 1000), ("2GiB", 2**31),
    ("10kb", 10_000), ("7 B", 7),
])
def test_parse_size(text: str | int, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["5 megs", "MB", "-1", "1.2.3MB", True])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


# ------------------------------------------------------------------ schema, path, shipped config


def test_schema_describes_every_key() -> None:
    schema = config_json_schema()
    json.dumps(schema)  # serialisable as is
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"database", "defaults", "sources", "retention"}
    assert schema["required"] == ["sources"]
    defs = schema["$defs"]
    policy = {"every", "cron", "revisit", "timeout", "retries", "max_bytes", "per_host_concurrency", "per_host_delay",
              "respect_robots", "user_agent", "allow_private_networks", "headers", "proxy", "notify",
              "headers_hosts", "crawl_delay_max"}
    policy |= {"max_child_sitemaps", "max_listing_urls"}
    defaults = next(d for d in defs.values() if d.get("title") == "Defaults")
    source = next(d for d in defs.values() if d.get("title") == "Source")
    extract = next(d for d in defs.values() if d.get("title") == "Extract")
    assert set(defaults["properties"]) == policy
    assert set(source["properties"]) == policy | {"name", "kind", "url", "urls", "include", "exclude", "links",
                                                  "extract", "enabled"}
    assert set(extract["properties"]) == {"title", "body", "authors", "published", "remove"}
    assert all(d["additionalProperties"] is False for d in (defaults, source, extract))
    assert set(source["required"]) == {"name", "kind"}
    assert source["properties"]["kind"]["enum"] == ["feed", "sitemap", "page", "urls"]
    assert defaults["properties"]["every"]["default"] == "15m"
    pattern = re.compile(defaults["properties"]["every"]["anyOf"][0]["pattern"])
    assert pattern.search("1h30m") and not pattern.search("15 minutes")


def test_shipped_config_validates_against_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = config_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))


def test_shipped_config_loads() -> None:
    config = load_config(SHIPPED)
    assert config.database == "sqlite:///data/archive.sqlite3"
    names = [s.name for s in config.sources]
    assert len(names) >= 12 and len(set(names)) == len(names)
    by_name = {s.name: s for s in config.sources}
    assert by_name["caliber-en"].url == "https://caliber.az/en/rss" and by_name["caliber-en"].kind == "feed"
    assert by_name["aze-media"].kind == "sitemap"
    assert {s.kind for s in config.sources} == {"feed", "sitemap", "page", "urls"}
    assert all(s.fetch.respect_robots and not s.fetch.allow_private_networks for s in config.sources)


def test_resolve_config_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_CONFIG", raising=False)
    assert resolve_config_path(None) == "config/sources.yaml"
    monkeypatch.setenv("NEWSARCHIVE_CONFIG", "/etc/news.yaml")
    assert resolve_config_path(None) == "/etc/news.yaml"
    assert resolve_config_path("mine.yaml") == "mine.yaml"


# ------------------------------------------------------------------ notify (issue 9)

NOTIFY_FILE = """\
defaults:
  notify: {url: "https://hooks.example.com/news", secret: s3cret}
sources:
  - name: a
    kind: feed
    url: https://example.com/a.xml
  - name: b
    kind: feed
    url: https://example.com/b.xml
    notify: null
  - name: c
    kind: feed
    url: https://example.com/c.xml
    notify:
      url: https://other.example.com/hook
      events: [new_article, new_version]
"""


def test_notify_default_is_inherited_overridden_and_switched_off(tmp_path: Path) -> None:
    by_name = {s.name: s for s in load(tmp_path, NOTIFY_FILE).sources}
    a, b, c = by_name["a"].notify, by_name["b"].notify, by_name["c"].notify
    assert a is not None and (a.url, a.secret, a.events) == ("https://hooks.example.com/news", "s3cret",
                                                              ("new_version",))
    assert b is None
    assert c is not None and (c.url, c.secret, c.events) == ("https://other.example.com/hook", None,
                                                              ("new_article", "new_version"))
    assert "s3cret" not in repr(a)  # a logged config never shows the secret


def test_fetch_defaults_are_the_defaults_block_alone(tmp_path: Path) -> None:
    config = load(tmp_path, "defaults:\n  per_host_delay: 3s\n  user_agent: me/1\nsources:\n" + FEED
                  + "    per_host_delay: 9s\n")
    assert config.fetch_defaults == FetchPolicy(per_host_delay=3.0, user_agent="me/1")
    assert load(tmp_path, "sources: []\n").fetch_defaults == FetchPolicy()


def test_no_notify_block_means_no_webhook(tmp_path: Path) -> None:
    assert load(tmp_path, "sources:\n" + FEED).sources[0].notify is None


def test_notify_secret_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "sources:\n" + FEED + "    notify: {url: 'https://h.example.com/', secret_env: HOOK_SECRET}\n"
    monkeypatch.setenv("HOOK_SECRET", "from-env")
    notify = load(tmp_path, text).sources[0].notify
    assert notify is not None and notify.secret == "from-env"
    monkeypatch.delenv("HOOK_SECRET")
    e = error_of(tmp_path, text)
    assert (e.line, e.key) == (5, "sources[0].notify.secret_env") and "HOOK_SECRET is not set" in e.message


@pytest.mark.parametrize(("text", "line", "key", "piece"), [
    ("sources:\n" + FEED + "    notify: {secret: x}\n", 5, "sources[0].notify.url", "missing"),
    ("sources:\n" + FEED + "    notify: {url: 'ftp://x.org/'}\n", 5, "sources[0].notify.url", "not an absolute http"),
    ("sources:\n" + FEED + "    notify:\n      url: https://x.org/\n      event: [new_version]\n", 7,
     "sources[0].notify.event", 'did you mean "events"?'),
    ("defaults:\n  notify:\n    url: https://x.org/\n    events: [changed]\nsources: []\n", 4,
     "defaults.notify.events[0]", '"changed" is not an event'),
    ("defaults:\n  notify: {url: 'https://x.org/', secret: a, secret_env: B}\n" + "sources:\n" + FEED, 2,
     "defaults.notify.secret_env", "either secret or secret_env"),
])
def test_notify_errors_name_line_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int,
                                         key: str, piece: str) -> None:
    monkeypatch.setenv("B", "b")
    e = error_of(tmp_path, text)
    assert (e.line, e.key) == (line, key), str(e)
    assert piece in e.message, str(e)
