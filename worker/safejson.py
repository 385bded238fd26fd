"""JSON from strangers, loaded totally: a value too deep, a number too big or not finite costs that
value alone (it becomes None), never the document.

json.loads raises RecursionError past ~1,000 levels (a JSON-LD block nested 100,000 deep emptied its
article's whole extraction), ValueError for an integer of more than 4,300 digits (Python's guard
against quadratic int parsing), and gives inf for 1e999. Here the containers nested deeper than
MAX_DEPTH are cut out (each becomes null) by one linear scan, only when the plain load failed on
depth; integers longer than MAX_DIGITS, non-finite floats and NaN/Infinity become None.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64  # containers deeper than this become null
MAX_DIGITS = 40  # an integer with more digits becomes None

_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)


def _int(text: str) -> int | None:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else None


def _float(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def _constant(text: str) -> None:
    return None  # NaN, Infinity, -Infinity


def loads(raw: str) -> Any:
    """json.loads(raw, strict=False) with the guards above; ValueError when `raw` is not JSON."""
    try:
        return json.loads(raw, strict=False, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        pass
    return json.loads(shallow(raw), strict=False, parse_int=_int, parse_float=_float, parse_constant=_constant)


def shallow(raw: str, max_depth: int = MAX_DEPTH) -> str:
    """`raw` with every container nested deeper than max_depth replaced by null (strings respected)."""
    out: list[str] = []
    depth, kept_to, cut_from = 0, 0, -1
    for m in _TOKEN.finditer(raw):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth == max_depth + 1:
                cut_from = m.start()
        elif token in "]}":
            if depth == max_depth + 1 and cut_from >= 0:
                out.append(raw[kept_to:cut_from])
                out.append("null")
                kept_to, cut_from = m.end(), -1
            depth = max(0, depth - 1)
    if cut_from >= 0:  # unterminated: what is left is not JSON; cut it all the same
        out.append(raw[kept_to:cut_from])
        out.append("null")
        return "".join(out)
    out.append(raw[kept_to:])
    return "".join(out)
