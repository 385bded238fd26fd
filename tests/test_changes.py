"""worker/changes.py: the change summary of a new version and the word diff."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.edits_by_language import ONE_WORD_EDITS
from worker.changes import summarise_change, word_diff
from worker.values import Extracted

V1 = Extracted(
    title="Council backs tram extension",
    authors=["Ana Ruiz"],
    published_at=datetime(2025, 3, 4, 9, tzinfo=UTC),
    language="en",
    text="The council voted on Tuesday to extend the tram line.\n\nWork starts next spring.",
    modified_at=None,
)


def test_the_first_version_adds_all_its_words() -> None:
    assert summarise_change(None, V1) == {"fields": [], "words_added": 14, "words_removed": 0}


def test_a_headline_edit() -> None:
    new = replace(V1, title="Council approves tram extension")
    got = summarise_change(V1, new)
    assert got == {"fields": ["title"], "words_added": 0, "words_removed": 0,
                   "title": {"old": "Council backs tram extension", "new": "Council approves tram extension"}}
    json.dumps(got)


def test_a_corrected_word_and_an_added_paragraph() -> None:
    new = replace(V1, text=V1.text.replace("Tuesday", "Wednesday") + "\n\nThe vote was close.")
    got = summarise_change(V1, new)
    assert got["fields"] == ["body"]
    assert (got["words_added"], got["words_removed"]) == (5, 1)
    assert "title" not in got


def test_metadata_fields_are_listed_in_order() -> None:
    new = replace(V1, authors=["Ana Ruiz", "Li Wei"], published_at=datetime(2025, 3, 4, 10, tzinfo=UTC),
                  modified_at=datetime(2025, 3, 5, tzinfo=UTC))
    assert summarise_change(V1, new)["fields"] == ["authors", "published_at", "modified_at"]


def test_whitespace_and_unicode_form_are_no_change() -> None:
    new = replace(V1, title="Council  backs tram\nextension", text=V1.text.replace("\n\n", "\n\n\n  "))
    assert summarise_change(V1, new) == {"fields": [], "words_added": 0, "words_removed": 0}
    composed, decomposed = "Caf\u00e9 reopens", "Cafe\u0301 reopens"
    assert summarise_change(replace(V1, title=composed), replace(V1, title=decomposed))["fields"] == []


def test_word_diff_marks_words_and_rebuilds_both_texts() -> None:
    old = "The mayor said on Monday that the line would open.\n\nSecond paragraph."
    new = "The mayor said on Tuesday that the line would open soon.\n\nSecond paragraph."
    diff = word_diff(old, new)
    assert ("delete", "Monday ") in diff and ("insert", "Tuesday ") in diff
    assert ("delete", "open.\n\n") in diff and ("insert", "open soon.\n\n") in diff  # words keep their punctuation
    assert "".join(t for k, t in diff if k != "delete") == new
    assert "".join(t for k, t in diff if k != "insert").split() == old.split()
    kinds = [k for k, _ in diff]
    assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))  # neighbours merged


def test_word_diff_of_equal_and_empty_texts() -> None:
    assert word_diff("Same words here.", "Same words here.") == [("equal", "Same words here.")]
    assert word_diff("", "New text.") == [("insert", "New text.")]
    assert word_diff("Old text.", "") == [("delete", "Old text.")]
    assert word_diff("", "") == []


@pytest.mark.parametrize(("lang", "old", "new", "removed", "added"), ONE_WORD_EDITS)
def test_a_one_word_edit_marks_that_word_in_every_script(lang: str, old: str, new: str, removed: str,
                                                         added: str) -> None:
    """A Japanese, Chinese or Thai paragraph is many words (segment.py's), not one: a corrected word
    marks that word and counts as one added and one removed."""
    changed = [(k, t.strip()) for k, t in word_diff(old, new) if k != "equal"]
    assert changed == [("delete", removed), ("insert", added)], lang
    assert summarise_change(replace(V1, text=old), replace(V1, text=new))["words_added"] == 1
    assert summarise_change(replace(V1, text=old), replace(V1, text=new))["words_removed"] == 1


def test_spaceless_texts_count_their_words_and_rebuild_from_the_diff() -> None:
    ja = "気象庁は25日、関東地方で梅雨明けしたとみられると発表した。"
    assert summarise_change(None, replace(V1, text=ja))["words_added"] == 16  # not 1: 気象 庁 は 25 日 関東 地方 で ...
    new = ja.replace("25日", "26日") + "\n\n平年より8日早い。"
    diff = word_diff(ja, new)
    assert "".join(t for k, t in diff if k != "delete") == new
    assert "".join(t for k, t in diff if k != "insert").strip() == ja  # equal pieces: new spacing
    got = summarise_change(replace(V1, text=ja), replace(V1, text=new))
    assert (got["words_added"], got["words_removed"]) == (1 + 5, 1)  # 26 for 25; 平年 より 8 日 早い


def test_words_are_counted_within_the_paragraphs_that_changed() -> None:
    old = "The council met.\n\nThe vote was close. Work starts in spring.\n\nThe end."
    new = "The council met.\n\nThe vote was close.\n\nWork starts in autumn.\n\nThe end."  # split + one word
    got = summarise_change(replace(V1, text=old), replace(V1, text=new))
    assert (got["words_added"], got["words_removed"]) == (1, 1)
    moved = "The end.\n\nThe council met.\n\nThe vote was close. Work starts in spring."
    got = summarise_change(replace(V1, text=old), replace(V1, text=moved))
    assert (got["words_added"], got["words_removed"]) == (2, 2)  # a moved paragraph: out here, in there
