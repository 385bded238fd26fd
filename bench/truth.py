"""Version-truth benchmark: walls are never versions, real edits always are; near-duplicate quality.

    python bench/truth.py [--articles 1500] [--answers 3] [--wall-rate 0.2] [--edit-rate 0.05]
                          [--families 300] [--seed 1] [--data ../shared/data] [--real-pages] [--verbose]

Part 1 revisits simulated articles (tests/simweb.py pages, rendered in-process) whose answers are
replaced at random by walls (tests/pages_walls/: bot checks, consent walls, paywall stubs, error
pages and soft 404s, with the article's own title and teaser where the wall shows one, plus walls
inside the site's own chrome) and which get real edits (headline edits, corrected sentences, added
paragraphs, and rarer rewrites of a developing story). Every answer goes through the rule the
pipeline applies: extract -> classify -> if not an article: failed fetch; else if the hash is new
and (the verdict asks to confirm, or is_suspicious_change): one more fetch must show the same hash;
else hash compare.
  false versions: stored versions that are not a state the article really had (target 0)
  missed edits:   states the article showed unwalled at least once but never stored (target 0)

Part 2 builds near-duplicate families (a wire story, the same with a local intro, a trimmed
republication, a copy-edited one) among unrelated same-topic stories and follow-ups that quote the
wire story, indexes band keys as the store does, and scores the lookup (candidates sharing a band,
kept when similarity >= THRESHOLD and the content hash differs) against the families; then the
same on families built from the real article bodies of aeb/ when --data has them; then, per language
(ja, zh, th, ko, ar, ru, en), the constructed set of bench/neardup_langs.py: stories republished with
one phrase reworded per paragraph against same-topic and same-boilerplate stories.

Part 3 (--real-pages) classifies the 1171 real article pages of aeb/ and webeval/ as first captures:
every verdict other than "article" on a page with a body is a real article taken for a wall.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import platform
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import neardup_langs  # noqa: E402
from tests import simweb  # noqa: E402
from tests.simweb import SimWeb, Site  # noqa: E402
from worker.archive import content_hash  # noqa: E402
from worker.classify import classify, is_suspicious_change  # noqa: E402
from worker.extract import extract  # noqa: E402
from worker.neardup import THRESHOLD, band_keys, shingles, signature, similarity  # noqa: E402

WALLS = ROOT / "tests" / "pages_walls"
RETRIES = 20  # a failed last revisit is retried: the pipeline retries it an hour later, as long as it fails
TOPICS = {
    "transport": "tram bus railway station commuters ticket fares timetable route depot drivers line platform",
    "health": "hospital patients nurses doctors clinic waiting ward surgery vaccine beds treatment care",
    "energy": "gas electricity prices grid turbines solar heating tariff supplier bills pipeline power",
    "courts": "judge jury trial verdict prosecutors defence lawyers appeal sentence witness court evidence",
    "weather": "storm flood rain winds coast warning forecasters rivers damage residents evacuation gusts",
    "schools": "pupils teachers school exams headteacher classes funding parents curriculum results staff",
}
COMMON = (
    "the council said on monday that it would review the plans after residents raised concerns "
    "about the cost of the project which has risen sharply since last year and officials expect "
    "a decision within weeks while critics argue the money should be spent elsewhere and "
    "ministers have promised to publish the figures before the end of the month"
).split()
STOCK = [
    "said in a statement",
    "according to officials",
    "on Tuesday",
    "a spokesperson said",
    "earlier this year",
    "the government said",
    "local people said",
    "in the coming weeks",
]


# ---- text ------------------------------------------------------------------------------------------


def sentence(rng: random.Random, topic: str) -> str:
    pool = TOPICS[topic].split()
    words = [
        rng.choice(pool) if rng.random() < 0.35 else rng.choice(COMMON) for _ in range(rng.randint(10, 22))
    ]
    words.insert(rng.randint(1, len(words)), rng.choice(STOCK))
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words)), str(rng.randint(2, 9000)))
    return " ".join(words).capitalize() + "."


def paragraphs(rng: random.Random, topic: str, n: int) -> list[str]:
    return [" ".join(sentence(rng, topic) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def headline(rng: random.Random, topic: str) -> str:
    return sentence(rng, topic).rstrip(".")[:90].rsplit(" ", 1)[0]


# ---- part 1: walls and edits ---------------------------------------------------------------------


@dataclass
class Wall:
    name: str
    kind: str
    status: int
    html: str
    templated: bool  # shows the article's title and teaser

    def render(self, title: str, paras: list[str], rng: random.Random) -> str:
        if not self.templated:
            return self.html
        teaser = "".join(f"<p>{p}</p>" for p in paras[: rng.randint(1, 2)])
        html = re.sub(r"<!--title-->.*?<!--/title-->", title, self.html, flags=re.S)
        return re.sub(r"<!--teaser-->.*?<!--/teaser-->", teaser, html, flags=re.S)


def load_walls(site: Site) -> list[Wall]:
    walls = []
    for path in sorted(WALLS.glob("*.html")):
        meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
        if meta["kind"] != "article":
            html = path.read_text("utf-8")
            walls.append(Wall(path.stem, meta["kind"], meta["status"], html, "<!--teaser-->" in html))
    chrome = {  # walls in the site's own template: its chrome, most-read box and all
        "soft_404": (
            "Page not found",
            "<h1>Sorry, we couldn't find that page.</h1><p>It may have moved.</p>",
        ),
        "consent": (
            "Your privacy",
            "<div class='consent' role='dialog'><h2>We value your privacy</h2><p>We and "
            "our partners store cookies.</p><button>Accept all</button><button>Reject all</button></div>",
        ),
        "error": ("Error", "<h1>Something went wrong</h1><p>Please try again later.</p>"),
        "blocked": ("Security check", "<h1>Please verify you are human</h1><div class='g-recaptcha'></div>"),
    }
    for kind, (title, main) in chrome.items():
        walls.append(Wall(f"chrome_{kind}", kind, 200, site.page(200, title, main).body.decode(), False))
    return walls


@dataclass
class Tally:
    answers: int = 0
    walls: Counter[str] = field(default_factory=Counter)  # injected kind -> count
    leaked: Counter[str] = field(default_factory=Counter)  # injected wall (name) classified "article"
    held: Counter[str] = field(default_factory=Counter)  # ... as an article to confirm first
    false_walls: Counter[str] = field(default_factory=Counter)  # real article answer classified a wall
    extraction_mismatch: int = 0
    confirms: int = 0
    retries: int = 0
    unconfirmed: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    versions: int = 0
    false_versions: int = 0
    missed_edits: int = 0
    observed_states: int = 0


class Revisits:
    """One article's answers and the decision rule the pipeline applies to them."""

    def __init__(self, site: Site, art, walls: list[Wall], rng: random.Random, args, tally: Tally) -> None:
        self.site, self.art, self.walls, self.rng, self.args, self.t = site, art, walls, rng, args, tally
        self.latest: tuple[str, str, bool] | None = None  # (hash, text, _) of the latest stored version
        self.stored: list[str] = []
        self.observed: set[str] = set()
        self.log: list[str] = []  # what happened, for --verbose

    def truth(self) -> str:
        return content_hash(self.art.title, self.art.text)

    def answer(self) -> tuple[int, str, Wall | None]:
        """(status, html, the injected wall or None)."""
        self.t.answers += 1
        if self.rng.random() < self.args.wall_rate:
            wall = self.rng.choice(self.walls)
            self.t.walls[wall.kind] += 1
            return wall.status, wall.render(self.art.title, self.art.paragraphs, self.rng), wall
        self.observed.add(self.truth())
        return 200, self.site.respond(self.art.path, {}).body.decode(), None

    def capture(self) -> tuple[str, str, bool] | None:
        """One fetch through extract and classify: (hash, text, needs confirming) of an article, None
        for a failed fetch."""
        status, html, wall = self.answer()
        got = extract(html, self.art.url)
        if wall is None and content_hash(got.title, got.text) != self.truth():
            self.t.extraction_mismatch += 1
        verdict = classify(status, html, got, self.latest[1] if self.latest else None)
        self.log.append(f"{wall.name if wall else 'page'}->{verdict.kind}")
        if verdict.kind != "article":
            if wall is None:
                self.t.false_walls[verdict.kind] += 1
            return None
        if wall is not None and verdict.confirm:
            self.t.held[wall.name] += 1
        elif wall is not None:
            self.t.leaked[wall.name] += 1
            if self.args.verbose:
                print(
                    f"  leak {wall.name}: {verdict} {len(got.text.split())} words vs "
                    f"{len(self.latest[1].split()) if self.latest else None}: {got.text[:150]!r}"
                )
        return content_hash(got.title, got.text), got.text, verdict.confirm

    def visit(self) -> bool:
        """One due fetch; False when it failed or its change was not confirmed (retried later)."""
        got = self.capture()
        if got is None:
            return False
        if self.latest is not None and got[0] == self.latest[0]:
            return True
        if got[2] or self.latest is not None and is_suspicious_change(self.latest[1], got[1]):
            self.t.confirms += 1
            again = self.capture()
            if again is None or again[0] != got[0]:
                self.t.unconfirmed += 1
                return False
        self.latest = got
        self.stored.append(got[0])
        return True

    def edit(self) -> None:
        art, rng = self.art, self.rng
        kind = rng.choices(["headline", "correction", "paragraph", "rewrite"], [3, 4, 3, 1])[0]
        self.t.edits[kind] += 1
        self.log.append(f"EDIT {kind}")
        topic = rng.choice(list(TOPICS))
        if kind == "headline":
            art.edit(title=art.title + " as " + rng.choice(COMMON) + " " + rng.choice(TOPICS[topic].split()))
        elif kind == "correction":
            paras = list(art.paragraphs)
            i = rng.randrange(len(paras))
            words = paras[i].split()
            j = rng.randrange(len(words))
            words[j] = words[j] + "s" if not words[j].endswith(".") else str(rng.randint(10, 99)) + "."
            paras[i] = " ".join(words)
            art.edit(paragraphs=paras)
        elif kind == "paragraph":
            art.edit(paragraphs=art.paragraphs + ["Update: " + " ".join(paragraphs(rng, topic, 1))])
        else:  # a developing story rewritten: the lede and most paragraphs replaced
            keep = art.paragraphs[-1:]
            art.edit(
                title=headline(rng, topic), paragraphs=paragraphs(rng, topic, len(art.paragraphs)) + keep
            )

    def run(self) -> None:
        ok = True
        for i in range(1 + self.args.answers):
            if i and self.rng.random() < self.args.edit_rate:
                self.edit()
            ok = self.visit()
        for _ in range(RETRIES):  # the pipeline retries a failed revisit later (FAILED_REVISIT_RETRY)
            if ok:
                break
            self.t.retries += 1
            ok = self.visit()
        self.t.versions += len(self.stored)
        self.t.observed_states += len(self.observed)
        truth_hashes = self.observed | {self.truth()}
        self.t.false_versions += sum(h not in truth_hashes for h in self.stored)
        self.t.false_versions += len(self.stored) - len(set(self.stored))  # a state stored twice (flip-flop)
        missed = self.observed - set(self.stored)
        self.t.missed_edits += len(missed)
        if missed and self.args.verbose:
            print(f"  missed on {self.art.slug}: {self.log}")


def run_revisits(args: argparse.Namespace) -> Tally:
    rng, tally = random.Random(args.seed), Tally()
    # Static per template or per run, but rebuilt for every page: cached, they stop dominating the run.
    simweb._style, simweb._nav = functools.cache(simweb._style), functools.cache(simweb._nav)
    with SimWeb() as web:
        sites = [web.add_site(name) for name in ("daily", "herald", "gazette")]
        walls = load_walls(sites[0])
        for n in range(args.articles):
            site, topic = sites[n % len(sites)], rng.choice(list(TOPICS))
            art = site.add_article(
                f"news/{n}",
                title=headline(rng, topic),
                paragraphs=paragraphs(rng, topic, rng.randint(5, 12)),
                authors=["Staff"],
            )
            Revisits(site, art, walls, rng, args, tally).run()
            site.articles.pop(art.slug)  # keeps every page's related-links box small
    return tally


# ---- part 2: near-duplicates ---------------------------------------------------------------------


def families(rng: random.Random, bodies: list[list[str]], topic_of: list[str]) -> dict[str, list[str]]:
    """Per wire story: the story, with a local intro, trimmed, copy-edited. Key "family:i:variant"."""
    docs: dict[str, list[str]] = {}
    for i, wire in enumerate(bodies):
        topic = topic_of[i]
        docs[f"family:{i}:wire"] = wire
        docs[f"family:{i}:local"] = paragraphs(rng, topic, 1) + wire
        trimmed = [p for p in wire[:-1]]
        sentences = trimmed[0].split(". ")
        trimmed[0] = ". ".join(sentences[1:]) if len(sentences) > 1 else trimmed[0]
        docs[f"family:{i}:trimmed"] = trimmed
        edited = " ".join(wire).split()
        for j in rng.sample(range(len(edited)), max(1, len(edited) // 120)):
            edited[j] = rng.choice(COMMON)
        docs[f"family:{i}:copyedit"] = [" ".join(edited)]
    return docs


def score_neardup(
    docs: dict[str, list[str]],
) -> tuple[float, float, int, int, list[tuple[str, str, str, float]]]:
    """Index band keys, look every doc up as the store will; precision and recall against families."""
    texts = {k: "\n\n".join(v) for k, v in docs.items()}
    sigs = {k: signature(t) for k, t in texts.items()}
    hashes = {k: content_hash("", t) for k, t in texts.items()}
    table: dict[tuple[int, int], list[str]] = defaultdict(list)
    for k, sig in sigs.items():
        for bk in band_keys(sig):
            table[bk].append(k)
    found: set[tuple[str, str]] = set()
    for k, sig in sigs.items():
        candidates = {c for bk in band_keys(sig) for c in table[bk] if c != k}
        for c in candidates:
            if hashes[c] != hashes[k] and similarity(sig, sigs[c]) >= THRESHOLD:
                found.add((min(k, c), max(k, c)))
    fam = defaultdict(list)
    for k in docs:
        if k.startswith("family:"):
            fam[k.split(":")[1]].append(k)
    truth = {(min(a, b), max(a, b)) for ks in fam.values() for a in ks for b in ks if a < b}
    tp = len(found & truth)
    errors = [
        ("missed" if (a, b) in truth else "false", a, b, _jaccard(texts[a], texts[b]))
        for a, b in sorted(found ^ truth)[:6]
    ]
    return (tp / len(found) if found else 1.0), tp / len(truth), len(found), len(truth), errors


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def generated_set(args: argparse.Namespace) -> dict[str, list[str]]:
    rng = random.Random(args.seed + 1)
    topics = [rng.choice(list(TOPICS)) for _ in range(args.families)]
    bodies = [paragraphs(rng, t, rng.randint(8, 14)) for t in topics]
    docs = families(rng, bodies, topics)
    for i, wire in enumerate(bodies):  # negatives: same-topic stories, and follow-ups quoting the wire
        docs[f"other:{i}"] = paragraphs(rng, topics[i], rng.randint(8, 14))
        docs[f"followup:{i}"] = paragraphs(rng, topics[i], rng.randint(6, 10)) + rng.sample(wire, 2)
    return docs


def real_set(args: argparse.Namespace) -> dict[str, list[str]] | None:
    """The same families built on the real article bodies of aeb/ (181 news and blog pages)."""
    truth = Path(args.data) / "aeb" / "ground-truth.json"
    if not truth.exists():
        return None
    rng = random.Random(args.seed + 2)
    bodies = [
        [p for p in v["articleBody"].split("\n") if p.strip()] for v in json.loads(truth.read_text()).values()
    ]
    wires = [b for b in bodies if len(b) >= 8 and len(" ".join(b).split()) >= 300]
    rest = [b for b in bodies if b not in wires]
    docs = families(rng, wires, [rng.choice(list(TOPICS)) for _ in wires])
    for i, body in enumerate(rest):
        docs[f"other:{i}"] = body
    return docs


# ---- part 3: real article pages ------------------------------------------------------------------


def real_pages(args: argparse.Namespace) -> tuple[Counter[str], list[str]] | None:
    """Classify the real pages of aeb/ and webeval/ (all articles as served, no earlier version)."""
    from worker.fetch import decode_html

    pages = sorted(Path(args.data).glob("*/html/*.html.gz"))
    if not pages:
        return None
    kinds: Counter[str] = Counter()
    walls = []
    for path in pages:
        html = decode_html(gzip.decompress(path.read_bytes()), "text/html")
        got = extract(html)
        verdict = classify(200, html, got, None)
        kind = "empty" if not got.text.strip() else verdict.kind + (" to confirm" if verdict.confirm else "")
        kinds[kind] += 1
        if kind != "article" and kind != "empty":
            walls.append(
                f"{path.parent.parent.name}/{path.name}: {verdict.kind} ({verdict.reason}), "
                f"{len(got.text.split())} words, {got.title[:50]!r}"
            )
    return kinds, walls


# ---- report ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cpus, Python {platform.python_version()}"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "none"


def report_revisits(t: Tally, args: argparse.Namespace, seconds: float) -> None:
    print(
        f"\nrevisits: {args.articles} articles, {t.answers} answers ({t.confirms} confirming fetches, "
        f"{t.retries} retries of a failed last revisit) in {seconds:.1f} s"
    )
    print(f"  walls injected {sum(t.walls.values())} ({_counts(t.walls)})")
    print(f"  real edits {sum(t.edits.values())} ({_counts(t.edits)})")
    print(f"  versions stored {t.versions}; article states shown unwalled {t.observed_states}")
    print(f"  FALSE VERSIONS {t.false_versions} (target 0)    MISSED EDITS {t.missed_edits} (target 0)")
    print(
        f"  walls taken for articles {sum(t.leaked.values())} ({_counts(t.leaked)}); "
        f"articles taken for walls {sum(t.false_walls.values())} ({_counts(t.false_walls)})"
    )
    print(
        f"  walls held as unsure articles until a confirming fetch {sum(t.held.values())} ({_counts(t.held)})"
    )
    print(
        f"  suspicious changes not confirmed {t.unconfirmed}; "
        f"clean answers whose extraction differs from the truth {t.extraction_mismatch}"
    )


def report_neardup(label: str, docs: dict[str, list[str]] | None, args: argparse.Namespace) -> None:
    if docs is None:
        print(f"\nnear-duplicates ({label}): skipped, no data at {args.data}")
        return
    began = time.perf_counter()
    precision, recall, found, pairs, errors = score_neardup(docs)
    print(
        f"\nnear-duplicates ({label}): {len(docs)} documents, {pairs} true pairs, {found} found "
        f"in {time.perf_counter() - began:.1f} s"
    )
    print(f"  PRECISION {precision:.3f}  RECALL {recall:.3f} (targets >= 0.95)")
    for what, a, b, j in errors:
        print(f"  {what}: {a} ~ {b}: exact Jaccard {j:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--answers", type=int, default=3, help="revisits after the first fetch")
    parser.add_argument("--wall-rate", type=float, default=0.2)
    parser.add_argument("--edit-rate", type=float, default=0.05)
    parser.add_argument("--families", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang-stories", type=int, default=40, help="republished stories per language")
    parser.add_argument("--real-pages", action="store_true", help="also classify the real pages in --data")
    parser.add_argument("--verbose", action="store_true", help="print every wall taken for an article")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    print("command: python bench/truth.py", " ".join(sys.argv[1:] if argv is None else argv))
    print("machine:", machine())
    started = time.perf_counter()
    report_revisits(run_revisits(args), args, time.perf_counter() - started)
    report_neardup("generated", generated_set(args), args)
    report_neardup("aeb real bodies", real_set(args), args)
    neardup_langs.report(neardup_langs.documents(random.Random(args.seed + 3), args.lang_stories), " (per language)")
    if args.real_pages:
        began, got = time.perf_counter(), real_pages(args)
        if got is None:
            print(f"\nreal pages: skipped, no data at {args.data}")
        else:
            print(
                f"\nreal article pages (aeb + webeval, first capture) in {time.perf_counter() - began:.1f} s: "
                f"{_counts(got[0])}"
            )
            for line in got[1]:
                print("  not article:", line)
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
