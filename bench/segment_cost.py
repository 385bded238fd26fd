"""What segmentation costs per page: segment.words, neardup.signature and the diffs, English and Japanese.

    python bench/segment_cost.py [--repeat 200] [--data ../shared/data]

Pages: an 800-word English page (the aeb/ body nearest 800 words when --data has it, else one built
from bench/neardup_texts.py) and a 2,000-character Japanese page (built from the same texts).
Each figure is the median of --repeat runs, in milliseconds per page, in this one process; the first
call of a process also loads ICU (printed apart).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.neardup_langs import render, reworded, story  # noqa: E402
from worker import changes, diffing, neardup, segment  # noqa: E402
from worker.values import Extracted  # noqa: E402
from worker.web import diff as web_diff  # noqa: E402


def page(lang: str, rng: random.Random, fits) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A page and its republished copy (one phrase reworded per paragraph) of the wanted size."""
    paras = story(rng, lang, (1, 1))
    while not fits(render(lang, paras, None)):
        paras += story(rng, lang, (1, 1))
    return render(lang, paras, None), render(lang, reworded(rng, paras), None)


def english_page(data: Path, rng: random.Random) -> tuple[str, str, str]:
    truth = data / "aeb" / "ground-truth.json"
    if truth.exists():
        bodies = [v["articleBody"] for v in json.loads(truth.read_text("utf-8")).values()]
        body = min(bodies, key=lambda b: abs(len(b.split()) - 800))
        return "the aeb/ real body nearest 800 words, one word edited", body, body.replace(" the ", " a ", 1)
    text, copy = page("en", rng, lambda t: len(t.split()) >= 800)
    return "built", text, copy


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    print("command: python bench/segment_cost.py", " ".join(sys.argv[1:] if argv is None else argv))
    rng = random.Random(1)
    began = time.perf_counter()
    segment.words("東京")
    print(f"first spaceless call (loads ICU): {(time.perf_counter() - began) * 1000:.0f} ms")
    source, en, en2 = english_page(Path(args.data), rng)
    ja, ja2 = page("ja", rng, lambda t: len(t) >= 2000)
    legacy = re.compile(r"\w+")
    for name, text, other in ((f"English, {len(en.split())} words ({source})", en, en2),
                              (f"Japanese, {len(ja)} characters, {segment.count(ja)} words", ja, ja2)):
        print(f"\n{name}: median ms per page over {args.repeat} runs")
        edited = one_word(text)
        rows = {
            "segment.words": lambda t=text: segment.words(t),
            "re \\w+ (the old tokens, for scale)": lambda t=text: legacy.findall(t.casefold()),
            "neardup.shingles": lambda t=text: neardup.shingles(t),
            "neardup.signature": lambda t=text: neardup.signature(t),
            "changes.summarise_change (one word edited)": lambda t=text, e=edited: summary(t, e),
            "changes.summarise_change (republished copy)": lambda t=text, o=other: summary(t, o),
            "changes.word_diff (republished copy)": lambda t=text, o=other: changes.word_diff(t, o),
            "web side_by_side (republished copy)": lambda t=text, o=other: web_diff.side_by_side(t, o),
        }
        for label, fn in rows.items():
            print(f"  {label:44} {timed(fn, args.repeat):8.3f}")
        print(f"  {'diffing.render_diff (republished copy)':44} {timed(lambda t=text, o=other: cli(t, o), args.repeat):8.3f}")


def one_word(text: str) -> str:
    """The text with one word of its middle paragraph replaced."""
    paras = text.split("\n\n")
    middle = paras[len(paras) // 2]
    word = segment.words(middle)[2]
    paras[len(paras) // 2] = middle.replace(word, "改訂" if segment.has_spaceless(word) else "revised", 1)
    return "\n\n".join(paras)


def summary(old: str, new: str) -> dict:  # type: ignore[type-arg]
    ex = Extracted(title="T", authors=[], published_at=None, language=None, text=old, modified_at=None)
    return changes.summarise_change(ex, replace(ex, text=new))


def cli(old: str, new: str) -> str:
    v = {"url": "u", "version": 1, "first_seen_at": "t", "title": "T"}
    return diffing.render_diff({**v, "text": old}, {**v, "version": 2, "text": new})


if __name__ == "__main__":
    main()
