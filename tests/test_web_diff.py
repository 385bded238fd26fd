"""Word-level side-by-side diff: what is marked, what is folded, nothing lost."""

from __future__ import annotations

import pytest

from tests.edits_by_language import ONE_WORD_EDITS
from worker import segment
from worker.web.diff import FOLD_OVER, KEEP, Segment, as_json, side_by_side


def joined(segs: list[Segment]) -> str:
    return "".join(s.text + s.hidden + s.tail for s in segs)


def marked(segs: list[Segment], op: str) -> list[str]:
    return [s.words for s in segs if s.op == op]


def test_changed_words_are_marked_on_their_side() -> None:
    d = side_by_side("The storm hit the coast.", "The big storm hit the north coast.", paragraphs=False)
    assert marked(d.new, "insert") == ["big", "north"] and marked(d.old, "delete") == []
    d = side_by_side("It rained in the 18th century.", "It rained in the 17th century.")
    assert marked(d.old, "delete") == ["18th"] and marked(d.new, "insert") == ["17th"]
    assert d.changed


def test_both_sides_reassemble_to_their_texts() -> None:
    old = "First paragraph here.\n\nSecond one, with a typo teh.\n\nThird."
    new = "First paragraph here.\n\nA new paragraph.\n\nSecond one, with a typo the.\n\nThird."
    d = side_by_side(old, new, fold=False)
    assert joined(d.old) == old and joined(d.new) == new
    assert marked(d.new, "insert") == ["A new paragraph.", "the."]


def test_long_unchanged_stretches_are_folded_with_context() -> None:
    filler = " ".join(f"word{i}" for i in range(200))
    d = side_by_side(f"Start.\n\n{filler}\n\nOld end.", f"Start.\n\n{filler}\n\nNew end.")
    (fold,) = [s for s in d.new if s.hidden]
    # Start. + the filler: no change before it, so no context kept before; KEEP words before the change
    assert fold.hidden_words == 1 + 200 - KEEP and len(fold.tail.split()) == KEEP and fold.text == ""
    assert joined(d.new).endswith("New end.")
    short = side_by_side("a b c. x", "a b c. y")
    assert not any(s.hidden for s in short.new) and FOLD_OVER > 4


def test_identical_texts_have_no_marks() -> None:
    d = side_by_side("Same.\n\nText.", "Same.\n\nText.")
    assert not d.changed and as_json(d)["new"] == [{"op": "equal", "text": "Same.\n\nText."}]


def test_markup_in_text_is_data_not_html() -> None:
    d = side_by_side("a <b>bold</b> claim", "a <i>bold</i> claim", paragraphs=False)
    assert marked(d.old, "delete") == ["<b>bold</b>"]  # escaped by the template's autoescape


@pytest.mark.parametrize(("lang", "old", "new", "removed", "added"), ONE_WORD_EDITS)
def test_a_one_word_edit_marks_that_word_in_every_script(lang: str, old: str, new: str, removed: str,
                                                         added: str) -> None:
    d = side_by_side(f"Intro.\n\n{old}", f"Intro.\n\n{new}")
    assert (marked(d.old, "delete"), marked(d.new, "insert")) == ([removed], [added]), lang
    assert joined(d.old) == f"Intro.\n\n{old}" and joined(d.new) == f"Intro.\n\n{new}"  # no space put in


JA = ("政府は25日、物価高に対応する新たな経済対策を閣議決定した。事業規模は約39兆円で、"
      "低所得世帯への給付や電気・ガス料金の補助を盛り込んだ。")


def test_long_unchanged_japanese_stretches_fold_without_spaces_added() -> None:
    body = "\n\n".join([JA] * 4)
    d = side_by_side(f"{body}\n\n終わり。", f"{body}\n\n最後。")
    (fold,) = [s for s in d.new if s.hidden]
    assert fold.hidden_words == segment.count(fold.hidden) > FOLD_OVER // 2
    assert " " not in fold.hidden + fold.tail and fold.tail.endswith("盛り込んだ。")
    assert joined(d.new) == f"{body}\n\n最後。"
    assert marked(d.new, "insert") == ["最後"] and marked(d.old, "delete") == ["終わり"]
