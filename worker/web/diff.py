"""Word-level diff of two versions, side by side: paragraphs are matched first, then the words of the
paragraphs that changed (fast on long articles, and a moved paragraph does not smear the whole text).

Words are segment.diff_tokens': whitespace-delimited chunks, and ICU's pieces in spaceless scripts, so
a corrected number in a Japanese sentence marks that number, and a long unchanged Japanese stretch
folds like an English one. Pieces of a spaceless script are shown joined, with no space inserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import regex

from worker import segment

_WORD = regex.compile(r"\w")  # a token with a word character is a word; "、" between CJK words is not
FOLD_OVER = 60  # unchanged stretches longer than this many tokens are folded
KEEP = 15  # tokens of context kept visible on each side of a fold

Token = tuple[str, str]  # (word, word as displayed: with its leading space or paragraph break)


@dataclass(frozen=True)
class Segment:
    """A run of one kind on one side. For a folded unchanged run: text, then hidden, then tail."""

    op: str  # equal | delete | insert
    text: str
    hidden: str = ""
    hidden_words: int = 0
    tail: str = ""

    @property
    def lead(self) -> str:
        """The whitespace before a changed run, shown outside its <ins>/<del> mark."""
        return self.text[: len(self.text) - len(self.text.lstrip())]

    @property
    def words(self) -> str:
        return self.text.lstrip()


@dataclass(frozen=True)
class SideBySide:
    old: list[Segment]
    new: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.old + self.new)


def _tokens(paras: list[str], first_index: int) -> list[Token]:
    out: list[Token] = []
    for i, para in enumerate(paras, start=first_index):
        for j, (token, lead) in enumerate(segment.diff_tokens(para.strip())):
            before = ("\n\n" if i > 0 else "") if j == 0 else (" " if lead else "")
            out.append((token, before + token))
    return out


def _ops(a: list[str], b: list[str]) -> list[tuple[str, str, str]]:
    """(op, old display, new display) per word: paragraphs matched first, then words inside changes."""
    ops: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        ta, tb = _tokens(a[i1:i2], i1), _tokens(b[j1:j2], j1)
        if tag == "equal":
            ops += [("equal", x[1], y[1]) for x, y in zip(ta, tb, strict=True)]
            continue
        ops += _word_ops(ta, tb)
    return ops


def _word_ops(ta: list[Token], tb: list[Token]) -> list[tuple[str, str, str]]:
    ops: list[tuple[str, str, str]] = []
    ka, kb = [t[0] for t in ta], [t[0] for t in tb]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops += [("equal", x[1], y[1]) for x, y in zip(ta[i1:i2], tb[j1:j2], strict=True)]
            continue
        ops += [("delete", x[1], "") for x in ta[i1:i2]]
        ops += [("insert", "", y[1]) for y in tb[j1:j2]]
    return ops


def _side(ops: list[tuple[str, str, str]], old: bool, fold: bool) -> list[Segment]:
    runs: list[tuple[str, list[str]]] = []
    for op, a, b in ops:
        shown = a if old else b
        if not shown:
            continue
        if runs and runs[-1][0] == op:
            runs[-1][1].append(shown)
        else:
            runs.append((op, [shown]))
    out = []
    for n, (op, words) in enumerate(runs):
        if not fold or op != "equal" or len(words) <= FOLD_OVER:
            out.append(Segment(op, "".join(words)))
            continue
        head = KEEP if n > 0 else 0  # context only where a change is next to it
        tail = KEEP if n < len(runs) - 1 else 0
        hidden = words[head : len(words) - tail]
        counted = sum(1 for w in hidden if _WORD.search(w))
        out.append(Segment(op, "".join(words[:head]), "".join(hidden), counted, "".join(words[len(words) - tail :])))
    return out


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def side_by_side(old: str, new: str, *, fold: bool = True, paragraphs: bool = True) -> SideBySide:
    """Both sides of the diff; insertions only appear on the new side, deletions on the old one."""
    a = split_paragraphs(old) if paragraphs else [old]
    b = split_paragraphs(new) if paragraphs else [new]
    ops = _ops(a, b)
    return SideBySide(_side(ops, True, fold), _side(ops, False, fold))


def as_json(d: SideBySide) -> dict[str, list[dict[str, str]]]:
    """Unfolded segments for the API (clients fold as they like)."""
    def flat(segs: list[Segment]) -> list[dict[str, str]]:
        return [{"op": s.op, "text": s.text + s.hidden + s.tail} for s in segs]

    return {"old": flat(d.old), "new": flat(d.new)}
