"""Whether a publisher acknowledged an edit, and the evidence: the verdict on a new version.

Pure. An edit is acknowledged when the new version shows one of these signals against the version
before it (in any language worker/lexicon.py knows, matched as worker/phrase_match.py does):

- correction_note: a correction, update, clarification or editor's note that appeared or changed: a
  paragraph that starts with a label ("Correction:", "Update (14:30):", "【訂正】", "Исправлено:",
  "Düzeltme:") or a sentence with a note's own words ("An earlier version of this article ...",
  "haberin önceki versiyonunda ..."), anywhere in the body. A note is compared as its text: one that
  stayed the same acknowledges nothing, one that was reworded or extended does.
- modified_at: the page's own modified time (JSON-LD dateModified, article:modified_time, a visible
  "Updated" time: worker/extract gives it as modified_at) moved forward, or appeared after publication.
- headline_marker: an "updated" / "corrected" marker in the headline ("UPDATE 2-...", "... (updated)",
  "[정정] ...") that was not there before, or changed.

A headline or body change with none of them is a silent edit. The verdict is computed from the two
versions' stored texts and metadata alone, so it reads the same every time it is asked.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

import regex

from worker import lexicon
from worker.archive import normalise_text
from worker.phrase_match import Hit, PhraseSet, match_form


class Side(Protocol):
    """What the verdict reads of a version (an Extracted, a stored Version, a Snapshot)."""

    title: str
    text: str
    published_at: datetime | None
    modified_at: datetime | None


class Snapshot(NamedTuple):
    title: str
    text: str
    published_at: datetime | None = None
    modified_at: datetime | None = None


class Note(NamedTuple):
    phrase: str  # the label or sentence found, as the lexicon writes it
    key: str  # the note in match_form: what two versions' notes are compared by
    text: str  # the paragraph it stands in, as the version has it (evidence)


NOTE_CHARS = 300  # evidence quoted per note
_LABEL_WINDOW = 40  # a label's terminator comes this soon after it ("Correction, Dec. 4, 2026:")
_SHORT = 60  # a paragraph this short that starts with a label is a note or its heading ("Correction")
_LEAD = regex.compile(r"^[\s\[(<«\"'*•·\-–—_【（〔「『［]+")
_AT_ONCE = frozenset(":;.,-–—|)]】）〕」』］>»")  # a terminator right after the label
_SOON = regex.compile(r"[:：|】）\]]|\s[-–—]\s|[–—]")  # a terminator soon after it
_SENTENCE_START = regex.compile(r"[.!?。！？]\s*|[(\[（【]")
# Where a headline's marker ends: separators, and a wire's "UPDATE 2-" / "CORRECTED-" prefix.
_TITLE_PIECES = regex.compile(r"\s[-–—|]\s|[:|()\[\]【】（）「」《》/]|(?<=^\p{Lu}[\p{Lu}\d ]*)-|-$")
_WORDS = regex.compile(r"\p{L}{2,}")
_DATE_BITS = regex.compile(r"[\d\s.,:/h]+")


@lru_cache(maxsize=1)
def _phrases() -> tuple[PhraseSet, PhraseSet, frozenset[str]]:
    labels = lexicon.phrases("correction_label")
    return (PhraseSet({"label": labels}), PhraseSet({"sentence": lexicon.phrases("correction_sentence")}),
            frozenset(match_form(label) for label in labels))


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _label(formed: str) -> Hit | None:
    """The correction label this paragraph (in match_form) starts with, if it is one."""
    lead = _LEAD.match(formed)
    head = formed[lead.end():] if lead else formed
    hits = [h for h in _phrases()[0].find(head) if h.start == 0]
    for hit in sorted(hits, key=lambda h: -len(h.formed)):
        after = head[len(hit.formed):]
        if after and _in_word(after[0]):
            continue  # a longer word: "更新日時", "updates", "訂正しました"
        rest = after.lstrip()
        if not rest or len(head) <= _SHORT or rest[0] in _AT_ONCE:
            return hit
        soon = _SOON.search(rest[:_LABEL_WINDOW])
        # a date or a time between label and colon, not a phrase ("Korrektur der Prognose erwartet:")
        if soon and len(_WORDS.findall(rest[:soon.start()])) <= 2:
            return hit
    return None


def notes(text: str) -> list[Note]:
    """The correction and update notes of a body, in order."""
    labels_set, sentences, _ = _phrases()
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    # Most texts hold no note: one pass over the whole text tells, not two per line. Sound because
    # each line's match_form is a piece of the joined lines' (the forming works character by
    # character; a joining space is at most dropped between spaceless scripts).
    whole = match_form(" ".join(lines))
    if not labels_set.occurs(whole) and not sentences.occurs(whole):
        return []
    out: list[Note] = []
    for i, line in enumerate(lines):
        formed = match_form(line)
        hit = _label(formed)
        if hit is not None:
            key, shown = formed, line
            if len(formed) - len(hit.formed) <= 2 and i + 1 < len(lines):  # a heading: its note follows
                key, shown = f"{formed} {match_form(lines[i + 1])}", f"{line} {lines[i + 1]}"
            out.append(Note(hit.phrase, key, shown[:NOTE_CHARS]))
            continue
        found = sentences.find(formed)
        if found:
            # the note from the start of its sentence: a note trailing a paragraph stays the same note
            # when the paragraph's other sentences are edited
            starts = [m.end() for m in _SENTENCE_START.finditer(formed, 0, found[0].start)]
            start = starts[-1] if starts else 0
            out.append(Note(found[0].phrase, formed[start:].strip(), line[:NOTE_CHARS]))
    return out


def headline_markers(title: str) -> list[str]:
    """The "updated" / "corrected" markers of a headline, as written there ("UPDATE 2", "Updated")."""
    labels = _phrases()[2]
    out = []
    for piece in _TITLE_PIECES.split(title or ""):
        piece = piece.strip()
        formed = match_form(piece)
        if formed and (formed in labels or _DATE_BITS.sub(" ", formed).strip() in labels):
            out.append(piece)
    return out


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def _moved_forward(old: Side, new: Side) -> bool:
    if new.modified_at is None:
        return False
    if old.modified_at is not None:
        return new.modified_at > old.modified_at
    # appeared: only a time after publication says "updated" (some pages give dateModified = datePublished)
    return new.published_at is None or new.modified_at > new.published_at


def verdict(old: Side, new: Side) -> dict[str, Any]:
    """{"acknowledged": bool, "silent": bool, "signals": [...]} for the edit from old to new.

    silent: the headline or body changed and nothing acknowledged it. Signals, in this order:
    {"kind": "correction_note", "how": "added" | "changed", "phrase": ..., "note": ...},
    {"kind": "modified_at", "old": iso | null, "new": iso}, {"kind": "headline_marker", "marker": ...}.
    """
    signals: list[dict[str, Any]] = []
    before = notes(old.text)
    old_keys = {n.key for n in before}
    new_notes = notes(new.text)
    new_keys = {n.key for n in new_notes}
    replaced = [n for n in before if n.key not in new_keys]
    for note in new_notes:
        if note.key not in old_keys:
            how = "changed" if replaced else "added"
            replaced = replaced[1:]
            signals.append({"kind": "correction_note", "how": how, "phrase": note.phrase, "note": note.text})
    if _moved_forward(old, new):
        signals.append({"kind": "modified_at", "old": _iso(old.modified_at), "new": _iso(new.modified_at)})
    old_markers = set(headline_markers(old.title))
    signals += [{"kind": "headline_marker", "marker": m} for m in headline_markers(new.title) if m not in old_markers]
    edited = (normalise_text(old.title) != normalise_text(new.title)
              or normalise_text(old.text) != normalise_text(new.text))
    return {"acknowledged": bool(signals), "silent": edited and not signals, "signals": signals}

