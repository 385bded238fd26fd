"""What a page would cost to parse, measured before it is parsed: its elements and how deep they nest.

An HTML tree builder checks its stack of open elements for most tags it meets, so a page nested
64,000 deep (0.7 MB of `<div>`) took lexbor and the extractor 41 s, and 200,000 deep more than five
minutes: cost grows with elements times depth. `measure` reads the tags in one linear scan (str
searches, no tree) the way a tree builder nests them, closely enough to bound it:

- comments and the raw text of script, style, textarea, title... are skipped (JavaScript's `i<n`
  is not a tag);
- void elements (br, img, meta...) do not nest, nor `<x/>` inside svg or math;
- elements whose end tag may be left out (p, li, td, option...) are not counted as nesting: the
  builder closes them itself;
- an end tag closes everything opened after its element, as the builder does; a stray one closes
  nothing.

Real pages nest a few dozen deep and hold a few thousand elements: of the 1,300 pages of the
extraction sets (../shared/data), the deepest measures 49, the largest 10,106 elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DEPTH = 2_000  # nesting depth at most (0: no cap)
MAX_ELEMENTS = 300_000  # elements at most (0: no cap)
# A page with no more start tags than this is not measured: whatever its shape, it parses in well
# under a second (5,000 <div>s nested 5,000 deep: 0.2 s; 2,500 <ul><li> pairs: 0.1 s), and 99.6% of
# real pages end here, after two str.count calls, instead of paying the scan (4-10 ms on big pages).
UNMEASURED = 5_000

_TAG = re.compile(r"<(?:!--|(/?)([A-Za-z][^\s/>]*))")
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript plaintext".split())
_RAW_END = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in _RAW_TEXT}
_VOID = frozenset("area base basefont bgsound br col embed frame hr img input keygen link meta param source "
                  "track wbr".split())
_IMPLIED_END = frozenset("p li dt dd option optgroup tr td th tbody thead tfoot colgroup caption rb rt rtc rp "
                         "html head body".split())
_FOREIGN = frozenset(("svg", "math"))


@dataclass(frozen=True)
class Limits:
    max_depth: int = MAX_DEPTH
    max_elements: int = MAX_ELEMENTS

    def exceeded(self, html: str) -> str | None:
        """Why this page is too complex to parse, or None."""
        if not self.max_depth and not self.max_elements:
            return None
        starts = html.count("<") - html.count("</")  # each element opens with a "<" that is not "</"
        if starts <= UNMEASURED or starts <= min(n for n in (self.max_depth, self.max_elements) if n):
            return None
        depth, elements = measure(html, self.max_depth, self.max_elements)
        if self.max_elements and elements > self.max_elements:
            return f"more than {self.max_elements:,} elements"
        if self.max_depth and depth > self.max_depth:
            return f"elements nested more than {self.max_depth:,} deep"
        return None


DEFAULT_LIMITS = Limits()


def measure(html: str, max_depth: int = 0, max_elements: int = 0) -> tuple[int, int]:
    """(deepest nesting, elements) of `html`; stops counting once past either cap (0: none)."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    depth = elements = foreign = 0
    pos, n = 0, len(html)
    search = _TAG.search
    while (m := search(html, pos)) is not None:
        name = m.group(2)
        if name is None:  # a comment
            end = html.find("-->", m.end())
            pos = n if end < 0 else end + 3
            continue
        gt = html.find(">", m.end())
        if gt < 0:
            break
        pos = gt + 1
        name = name.lower()
        if m.group(1):  # an end tag: closes its element and what was opened in it
            if open_count.get(name):
                while True:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top in _FOREIGN:
                        foreign -= 1
                    if top == name:
                        break
            continue
        elements += 1
        if max_elements and elements > max_elements:
            break
        if name in _RAW_TEXT:
            end_match = _RAW_END[name].search(html, pos)
            if end_match is None:
                break
            pos = end_match.start()
            continue
        if name in _VOID or name in _IMPLIED_END or (foreign and html[gt - 1] == "/"):
            continue
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if name in _FOREIGN:
            foreign += 1
        if len(stack) > depth:
            depth = len(stack)
            if max_depth and depth > max_depth:
                break
    return depth, elements
