"""Every tests/pages/<name>.html is extracted and compared with the fields in <name>.json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from worker.extract import extract

PAGES = Path(__file__).parent / "pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))


def test_there_are_pages_in_many_scripts() -> None:
    languages = {json.loads((PAGES / f"{n}.json").read_text())["language"] for n in NAMES}
    assert {"de", "es", "tr", "ja", "ko", "ru", "ar", "en", "zh"} <= languages


@pytest.mark.parametrize("name", NAMES)
def test_page(name: str) -> None:
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    got = extract(html, expected["url"])

    assert got.title == expected["title"]
    assert got.authors == expected["authors"]
    assert got.language == expected["language"]
    assert got.published_at == datetime.fromisoformat(expected["published_at"])
    for key in ("modified_at",):
        if key in expected:
            assert getattr(got, key) == datetime.fromisoformat(expected[key])
    for key in ("section", "canonical_url"):
        if key in expected:
            assert getattr(got, key) == expected[key]
    assert got.rules_matched is None
    assert got.text.startswith(expected["text_starts_with"]), got.text[:200]
    assert got.text.endswith(expected["text_ends_with"]), got.text[-200:]
    for snippet in expected["text_includes"]:
        assert snippet in got.text
    for snippet in expected["text_excludes"]:
        assert snippet not in got.text, snippet
    # Paragraphs: one blank line between, no runs of whitespace inside.
    assert "\n\n\n" not in got.text
    for paragraph in got.text.split("\n\n"):
        assert paragraph == " ".join(paragraph.split())
