"""Soak test: the real service (`python -m worker run`) against a faulty simulated news web for N minutes.

    .venv/bin/python bench/soak.py 3            # 3 minutes; --help for the knobs

A newsroom thread keeps publishing and editing stories and throws a fault at a random page every
few seconds (5xx bursts, 429 with Retry-After, resets, hangs, trickles, truncated, endless and huge
bodies, gzip and brotli bombs, redirect loops, PDFs, legacy charsets, broken feeds, pages nested 64,000
deep and 60,000 `<option>`s: `too_complex`). The service's
resident memory is sampled from /proc/<pid>/status (VmRSS, VmHWM) over time. At the end the service
gets SIGTERM, the faults are cleared and one clean `run --once` catches up; then the archive is
checked: every live story archived exactly once (lost 0, duplicates 0), versions vs. edits, and the
fetch log's failures by kind. Prints figures and the machine; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.simweb import POOL, SimWeb, Site  # noqa: E402
from tests.test_e2e import PARAS  # noqa: E402

FAULTS: list[tuple[str, dict[str, object], int | None]] = [
    ("status", {"status": 503}, 2),
    ("status", {"status": 503}, 6),
    ("status", {"status": 429, "retry_after": 1}, 1),
    ("reset", {}, 2),
    ("hang", {"seconds": 30}, 1),
    ("trickle", {"chunk": 16, "delay": 0.2}, 1),
    ("truncate", {"keep": 0.3}, 3),
    ("endless", {}, 1),
    ("huge", {"size": 4_000_000}, 1),
    ("gzip_bomb", {"size": 64 << 20}, 1),
    ("brotli_bomb", {"size": 256 << 20}, 1),
    ("pdf", {}, 1),
    ("charset", {"encoding": "windows-1251"}, 3),
    ("gzip", {}, 2),
    # hostile pages: refused by the caps before parsing, and within the caps but over the page budget
    ("body", {"body": b"<html><body>" + b"<div>" * 64_000 + b"<p>deep</p>" + b"</div>" * 64_000 + b"</body></html>"}, 1),
    ("body", {"body": b"<html><body><article><p>" + b"options " * 40 + b"</p><select>" + b"<option>x" * 60_000
              + b"</select></article></body></html>"}, 1),
]
LISTING_FAULTS: list[tuple[str, dict[str, object], int | None]] = [
    ("status", {"status": 502}, 1),
    ("body", {"body": "<rss><channel><item><link>", "content_type": "text/xml"}, 1),
    ("reset", {}, 1),
    ("trickle", {"chunk": 64, "delay": 0.1}, 1),
]


def status_kb(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


class Newsroom(threading.Thread):
    """Publishes, edits and sabotages, until stopped."""

    def __init__(self, sites: list[Site], every: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.sites, self.every, self.rng = sites, every, random.Random(seed)
        self.stop = threading.Event()
        self.published = self.edits = 0
        self.faults: Counter[str] = Counter()

    def publish(self, site: Site) -> None:
        self.published += 1
        n = self.published
        paras = [f"{p} Reported for story {n}." for p in self.rng.choice(PARAS)]
        site.add_article(
            f"news/{n}/{site.name}-story-{n}",
            title=f"{self.rng.choice(POOL)} (story {n})",
            paragraphs=paras,
            authors=["Soak Desk"],
        )

    def step(self) -> None:
        site = self.rng.choice(self.sites)
        roll = self.rng.random()
        live = site.live()
        if roll < 0.35 or not live:
            self.publish(site)
        elif roll < 0.5:
            art = self.rng.choice(live)
            art.edit(title=art.title.split(" [")[0] + f" [update {self.edits}]")
            self.edits += 1
        elif roll < 0.9:
            kind, params, times = self.rng.choice(FAULTS)
            site.fault(self.rng.choice(live).path, kind, times=times, **params)
            self.faults[kind] += 1
        else:
            kind, params, times = self.rng.choice(LISTING_FAULTS)
            site.fault(
                self.rng.choice(["/feed.xml", "/atom.xml", "/sitemap_index.xml"]), kind, times=times, **params
            )
            self.faults["listing:" + kind] += 1

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.step()


def write_config(path: Path, sites: list[Site]) -> None:
    lines = [
        "defaults:",
        "  every: 20s",
        "  revisit: [30s, 1m, 2m]",
        "  timeout: 5s",
        "  retries: 1",
        "  max_bytes: 2MB",
        "  per_host_delay: 0.1s",
        "  per_host_concurrency: 4",
        "  allow_private_networks: true",
        "sources:",
    ]
    kinds = [
        ("rss", "feed", "/feed.xml"),
        ("atom", "feed", "/atom.xml"),
        ("sitemap", "sitemap", "/sitemap_index.xml"),
    ]
    for site, (tag, kind, p) in zip(sites, kinds * len(sites), strict=False):
        lines += [f"  - name: {site.name}-{tag}", f"    kind: {kind}", f"    url: {site.url(p)}"]
    path.write_text("\n".join(lines) + "\n")


def archive_figures(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as c:
        one = lambda q: c.execute(q).fetchone()[0]  # noqa: E731
        return {
            "requests": one("SELECT count(*) FROM fetches"),
            "failed": one("SELECT count(*) FROM fetches WHERE error IS NOT NULL"),
            "failures_by_kind": dict(
                c.execute(
                    "SELECT error, count(*) FROM fetches WHERE error IS NOT NULL "
                    "GROUP BY error ORDER BY count(*) DESC"
                ).fetchall()
            ),
            "articles": one("SELECT count(*) FROM articles"),
            "versions": one("SELECT count(*) FROM versions"),
            "duplicate_versions": one(
                "SELECT count(*) FROM (SELECT article_id, number FROM versions "
                "GROUP BY article_id, number HAVING count(*) > 1) d"
            ),
            "half_written": one(
                "SELECT count(*) FROM articles a WHERE a.version_count <> "
                "(SELECT count(*) FROM versions v WHERE v.article_id = a.id) OR a.version_count = 0"
            ),
            "integrity": one("PRAGMA integrity_check"),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("minutes", type=float, help="how long the service runs against the faulty web")
    ap.add_argument("--sites", type=int, default=3)
    ap.add_argument("--articles", type=int, default=20, help="stories per site at the start")
    ap.add_argument("--newsroom-every", type=float, default=1.0, help="seconds between two newsroom actions")
    ap.add_argument("--sample", type=float, default=10.0, help="seconds between two memory samples")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="na-soak-"))
    db, cfg, log = work / "archive.sqlite3", work / "sources.yaml", work / "service.log"
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; work dir {work}"
    )
    with SimWeb() as web:
        sites = [web.add_site(f"site{i}") for i in range(args.sites)]
        room = Newsroom(sites, args.newsroom_every, args.seed)
        for site in sites:
            for _ in range(args.articles):
                room.publish(site)
        write_config(cfg, sites)
        cmd = [sys.executable, "-m", "worker", "run", "--config", str(cfg), "--db", f"sqlite:///{db}"]
        with open(log, "wb") as err:
            svc = subprocess.Popen(cmd, cwd=ROOT, stdout=err, stderr=err)
            room.start()
            samples = run_for(svc.pid, args.minutes * 60, args.sample, sites)
            room.stop.set()
            t0 = time.monotonic()
            svc.send_signal(signal.SIGTERM)
            code = svc.wait(timeout=60)
            stop_s = time.monotonic() - t0
        requests = sum(len(s.requests) for s in sites)
        for site in sites:
            site.clear_faults()
        catch_up = subprocess.run([*cmd[:4], "--once", *cmd[4:]], cwd=ROOT, capture_output=True, text=True)
        live = {a.url for s in sites for a in s.live()}
    report(samples, room, requests, code, stop_s, catch_up, db, live, log)


def run_for(pid: int, seconds: float, every: float, sites: list[Site]) -> list[tuple[float, int, int, int]]:
    print(f"{'t (s)':>7} {'RSS MB':>8} {'HWM MB':>8} {'requests':>9}")
    samples = []
    start = time.monotonic()
    while (t := time.monotonic() - start) < seconds:
        mem = status_kb(pid)
        reqs = sum(len(s.requests) for s in sites)
        samples.append((t, mem.get("VmRSS", 0), mem.get("VmHWM", 0), reqs))
        print(
            f"{t:7.0f} {mem.get('VmRSS', 0) / 1024:8.1f} {mem.get('VmHWM', 0) / 1024:8.1f} {reqs:9d}",
            flush=True,
        )
        time.sleep(min(every, max(0.0, seconds - t)))
    return samples


def report(
    samples: list[tuple[float, int, int, int]],
    room: Newsroom,
    requests: int,
    code: int,
    stop_s: float,
    catch_up: subprocess.CompletedProcess[str],
    db: Path,
    live: set[str],
    log: Path,
) -> None:
    figs = archive_figures(db)
    with sqlite3.connect(db) as c:
        archived = {u for (u,) in c.execute("SELECT url FROM article_urls")}
    quarter = max(1, len(samples) // 4)
    early = max(s[1] for s in samples[:quarter]) / 1024
    late = max(s[1] for s in samples[-quarter:]) / 1024
    print()
    print(
        f"newsroom: {room.published} stories published, {room.edits} edits, faults injected {sum(room.faults.values())}: "
        f"{json.dumps(dict(room.faults.most_common()))}"
    )
    print(
        f"service: {requests} HTTP requests served; SIGTERM -> exit {code} in {stop_s:.1f}s; "
        f"tracebacks in log: {log.read_text(errors='replace').count('Traceback')}"
    )
    print(
        f"memory: peak RSS {max(s[2] for s in samples) / 1024:.1f} MB (VmHWM); RSS max in first quarter "
        f"{early:.1f} MB, in last quarter {late:.1f} MB"
    )
    print(f"catch-up pass (faults cleared): exit {catch_up.returncode}; {catch_up.stdout.strip()}")
    print(
        f"archive: {figs['articles']} articles, {figs['versions']} versions, fetch log {figs['requests']} rows, "
        f"{figs['failed']} failed: {json.dumps(figs['failures_by_kind'])}"
    )
    print(
        f"lost (live stories not archived): {len(live - archived)}; duplicate versions: "
        f"{figs['duplicate_versions']}; half-written articles: {figs['half_written']}; "
        f"integrity_check: {figs['integrity']}"
    )


if __name__ == "__main__":
    main()
