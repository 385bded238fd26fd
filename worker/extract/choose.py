"""Which body a page gets: the scorer's, the fallback's, or the page's structured data, by agreement.

The scorer (content.py) is right on most pages and fast. When its text is short for what the page
holds (its paragraph mass, its description), the fallback (fallback.py) reads the page a second,
independent way; the longer text wins only when it contains what the scorer found (the two agree on
the article and the scorer cut it short), or when the scorer found next to nothing. Then the page's
own data may replace the DOM's text on the same terms: JSON-LD articleBody (render.py), or, when
the text is still short and the page has a payload script, the article in its data (payload.py).
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from ..segment import words
from . import payload
from .content import unlikely
from .fallback import effective_length, fallback_body
from .render import ld_body_if_better

SHORT = 600  # effective characters: a scorer body below this is always checked by the fallback
STUB = 150  # below this the scorer found no article at all: the fallback need not agree with it


def paragraph_mass(paragraphs: list[tuple[LexborNode, str]]) -> int:
    """Effective characters in the page's prose-length <p> elements (a lower bound of its article),
    leaving out those in comments, sidebars and related boxes: a long thread is no sign of a cut body.
    `paragraphs`: (element, its text)."""
    total = 0
    for node, text in paragraphs:
        if len(text) >= 50:  # (150 effective characters are at least 50: a Han character counts three)
            length = effective_length(text)
            if length >= 150 and not unlikely(node, 6):
                total += length
    return total


def covers(longer: str, shorter: str) -> float:
    """Share of the shorter text's words found in the longer text (the house's words: a Japanese clause
    is several words, not one)."""
    wanted = words(shorter.casefold())
    if not wanted:
        return 1.0
    found = set(words(longer.casefold()))
    return sum(1 for w in wanted if w in found) / len(wanted)


def payload_agrees(text: str, other: str, titled: bool, described: tuple[str | None, ...] = ()) -> bool:
    """Whether a payload's text replaces the DOM's.

    The payload's must be clearly longer, and hold nearly all the DOM's words (the same article, which
    the page shows cut short); when the DOM's is a stub, it must sit under the page's title or hold
    most words of the page's description (`described`: the article's own summary agrees with it).
    """
    length, other_length = effective_length(text), effective_length(other)
    if other_length <= length * 1.15:
        return False
    if length < STUB:
        return titled or any(
            len(words(d)) >= 8 and other_length >= effective_length(d) * 1.5 and covers(other, d) >= 0.8
            for d in described
            if d
        )  # the description's words, in a text more than the description alone
    return covers(other, text) >= 0.8


def _agree(
    scored: str, length: int, other: str, other_length: int, described: tuple[str | None, ...] = ()
) -> bool:
    """Whether the fallback's longer text replaces the scorer's.

    A stub is replaced by anything clearly longer, unless the stub holds the page's description and
    the other text does not (`described`: the page's own summary says the post is that short one,
    and the longer run is a sidebar's); otherwise the fallback must hold nearly all the scorer's words
    (the same article, which the scorer cut short), and not be many times longer (a run four times
    the scorer's text has usually run on into comments and teasers).
    """
    if other_length <= length * 1.3:
        return False
    if length < STUB:
        return not any(
            len(words(d)) >= 2 and covers(scored, d) >= 0.8 and covers(other, d) < 0.5 for d in described if d
        )
    return other_length <= length * 4 and covers(other, scored) >= 0.9


def choose_body(
    html: str,
    title: str,
    scored: str,
    mass: int,
    floors: tuple[str | None, ...],
    ld_body: str | None,
    remove: tuple[str, ...] = (),
) -> tuple[str, str | None]:
    """(text, method): method is "scorer", "fallback", "structured" or None when there is no text.

    `mass`: paragraph_mass of the page; `floors`: other texts the body should not be shorter than
    (its description); `remove`: the source's removal selectors.
    """
    length = effective_length(scored)
    expected = max([mass * 0.6, *(effective_length(f) * 0.9 for f in floors if f)])
    text, method = scored, "scorer"
    if length < SHORT or length < expected:
        other = fallback_body(html, title, remove)
        other_length = effective_length(other)
        if _agree(scored, length, other, other_length, floors):
            text, method = other, "fallback"
    better = ld_body_if_better(text, ld_body)
    if better is not text:
        text, method = better, "structured"
    elif effective_length(text) < max(SHORT, expected) and payload.present(html):
        found = payload.payload_body(html, title)
        if found is not None and payload_agrees(text, found.text, found.titled, floors):
            text, method = found.text, "structured"
    return text, (method if text else None)
