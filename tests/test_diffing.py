"""worker/diffing.py: `newsarchive diff`'s text: a paragraph diff, changed words marked in every script."""

from __future__ import annotations

from typing import Any

import pytest

from tests.edits_by_language import ONE_WORD_EDITS
from worker.diffing import marked_words, render_diff


def version(n: int, text: str, title: str = "Headline") -> dict[str, Any]:
    return {"url": "https://example.org/a", "version": n, "first_seen_at": f"2025-03-0{n}T09:00:00Z",
            "title": title, "text": text}


@pytest.mark.parametrize(("lang", "old", "new", "removed", "added"), ONE_WORD_EDITS)
def test_a_one_word_edit_is_marked_under_its_paragraph(lang: str, old: str, new: str, removed: str,
                                                       added: str) -> None:
    out = render_diff(version(1, f"Intro.\n\n{old}\n\nEnd."), version(2, f"Intro.\n\n{new}\n\nEnd."))
    lines = out.splitlines()
    assert f"-{old}" in lines and f"+{new}" in lines and " Intro." in lines  # the paragraph diff, as before
    (word_line,) = [line for line in lines if line.startswith("~")]
    assert lines.index(word_line) == lines.index(f"+{new}") + 1
    assert word_line.count("[-") == word_line.count("{+") == 1, lang
    assert f"[-{removed}-]{{+{added}+}}" in word_line
    assert word_line.replace(f"[-{removed}-]", "").replace(f"{{+{added}+}}", added) == "~" + new


def test_a_rewritten_paragraph_has_no_word_line_and_added_ones_stay_plain() -> None:
    old = version(1, "Same start.\n\nThe storm hit the coast on Monday.")
    new = version(2, "Same start.\n\nResidents began clearing debris from roads.\n\nA second paragraph.")
    lines = render_diff(old, new).splitlines()
    assert not [line for line in lines if line.startswith("~")]
    assert lines[lines.index("body:") + 1].startswith("@@ ")
    assert "+A second paragraph." in lines and "-The storm hit the coast on Monday." in lines


def test_each_edited_paragraph_is_paired_with_its_old_self() -> None:
    old = "One two three four five.\n\nSix seven eight nine ten.\n\nEleven twelve."
    new = "One two THREE four five.\n\nA new paragraph entirely.\n\nSix seven eight nine TEN."
    lines = render_diff(version(1, old), version(2, new)).splitlines()
    assert [line for line in lines if line.startswith("~")] == [
        "~One two [-three-]{+THREE+} four five.", "~Six seven eight nine [-ten.-]{+TEN.+}"]


def test_headline_edit_and_unchanged_texts() -> None:
    out = render_diff(version(1, "Body.", "Storm hits coast"), version(2, "Body.", "Storm batters the coast"))
    assert "- Storm hits coast\n+ Storm batters the coast\n~ Storm [-hits-]{+batters the+} coast\n" in out
    assert out.endswith("body (unchanged)\n")
    assert "title (unchanged): Same" in render_diff(version(1, "a", "Same"), version(2, "b", "Same"))


def test_marked_words_keep_spacing_and_removals() -> None:
    assert marked_words("The big storm hit.", "The storm hit.") == "The [-big-] storm hit."
    assert marked_words("鹿児島県で地震", "鹿児島県で大きな地震") == "鹿児島県で{+大きな+}地震"
    assert marked_words("line one\nline two", "line one\nline 2") == "line one line [-two-]{+2+}"
