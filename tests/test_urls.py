from __future__ import annotations

import pytest

from worker.urls import canonicalize, host_of, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://example.com/a"),
        (
            "https://example.com/a?id=5&fbclid=abc&gclid=1&msclkid=2&utm_content=z",
            "https://example.com/a?id=5",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&_ga=4&yclid=5&dclid=6&ref_src=twsrc",
            "https://example.com/a",
        ),
        ("https://example.com/a?at_medium=RSS&at_campaign=KARANGA", "https://example.com/a"),
        # remaining query keeps its order and spelling; empty pairs go
        ("https://example.com/a?z=1&a=2&&m=&q=a+b", "https://example.com/a?z=1&a=2&m=&q=a+b"),
        ("https://example.com/a?ref=home", "https://example.com/a?ref=home"),
        # percent-encoding: unreserved decoded, escapes upper-cased, raw non-ASCII encoded
        ("https://example.com/%7euser/%2f%41%e2%82%ac", "https://example.com/~user/%2FA%E2%82%AC"),
        ("https://example.com/ä ö", "https://example.com/%C3%A4%20%C3%B6"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://Bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("  https://example.com/a\n  ", "https://example.com/a"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:void(0)",
        "mailto:news@example.com",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "tel:+123",
        "ftp://example.com/file",
        "",
        "   ",
        "http://",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "not a url",
        "/relative/without/base",
    ],
)
def test_canonicalize_rejects(url: str) -> None:
    assert canonicalize(url) is None


def test_canonicalize_resolves_against_base() -> None:
    base = "https://news.example.com/world/europe/index.html"
    assert canonicalize("story-1?utm_source=x#top", base) == "https://news.example.com/world/europe/story-1"
    assert canonicalize("../asia/s2", base) == "https://news.example.com/world/asia/s2"
    assert canonicalize("/abs", base) == "https://news.example.com/abs"
    assert canonicalize("//cdn.example.org/x", base) == "https://cdn.example.org/x"
    assert canonicalize("mailto:a@b.c", base) is None
    assert canonicalize("#frag", base) == "https://news.example.com/world/europe/index.html"


def test_canonicalize_is_idempotent() -> None:
    once = canonicalize("HTTPS://Ex.com:443/a/%7e/b?x=1&utm_term=2&y=%c3%a4#f")
    assert once == "https://ex.com/a/~/b?x=1&y=%C3%A4"
    assert canonicalize(once) == once  # type: ignore[arg-type]


def test_host_of() -> None:
    assert host_of("https://WWW.Example.com/a") == "www.example.com"
    assert host_of("http://user:pw@Example.com:8080/a") == "example.com:8080"


def test_same_site() -> None:
    assert same_site("https://www.example.com/a", "http://example.com/b")
    assert same_site("https://example.com/a", "https://EXAMPLE.com/c")
    assert not same_site("https://example.com/a", "https://evil.com/a")
    assert not same_site("https://sub.example.com/a", "https://example.com/a")
    assert not same_site("", "")
