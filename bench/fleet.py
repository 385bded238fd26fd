"""Fleet throughput: articles per second archived by 1, 2 and 3 workers on one PostgreSQL database.

    .venv/bin/python bench/fleet.py [--sites 4] [--articles 60] [--workers 1,2,3]

Each round gets a fresh database and the simulated news web (tests/simweb.py) on 127.0.0.1, starts
N worker processes (`python -m worker.runners.distributed`) and waits until every article is
archived. The rate is articles / (last article fetch end - first article fetch start), from the
archive's own fetch log, so process start-up is not counted. Duplicate fetches are counted from the
web's request log: an article path requested more than once.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.simweb import SimWeb, Site  # noqa: E402

ADMIN = os.environ.get("NEWSARCHIVE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PARAS = [
    "Heavy rain and winds of up to 120 km/h battered the northern coast overnight, officials said.",
    "Emergency services evacuated more than two thousand residents from low-lying villages nearby.",
    "The regional government said damage to roads and power lines would take weeks to repair.",
    "Forecasters expect the weather to calm by Sunday, though flood warnings remain in place.",
]
ENV = {"NEWSARCHIVE_FLEET_TICK": "1", "NEWSARCHIVE_FLEET_POLL": "0.5", "NEWSARCHIVE_LOG_LEVEL": "WARNING"}


def build_web(web: SimWeb, sites: int, articles: int) -> list[Site]:
    out = []
    for s in range(sites):
        site = web.add_site(f"site{s}")
        for i in range(articles):
            site.add_article(
                f"news/s{s}-story-{i}",
                title=f"Site {s} story number {i}",
                paragraphs=[f"{p} (site {s}, story {i})" for p in PARAS],
            )
        out.append(site)
    return out


def write_config(path: Path, sites: list[Site]) -> str:
    lines = [
        "defaults:",
        "  every: 1h",
        "  revisit: []",
        "  timeout: 20s",
        "  per_host_delay: 0s",
        "  per_host_concurrency: 8",
        "  allow_private_networks: true",
        "sources:",
    ]
    for i, site in enumerate(sites):
        lines += [f"  - name: site{i}", "    kind: feed", f"    url: {site.url('/feed.xml')}"]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def one_round(n: int, config: str, sites: list[Site], total: int, tmp: Path) -> tuple[float, int]:
    for site in sites:
        site.clear_requests()
    admin = psycopg.connect(ADMIN, autocommit=True)
    name = f"na_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    db = f"{ADMIN.rsplit('/', 1)[0]}/{name}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        from worker.store.migrate import upgrade

        upgrade(db)
        for i in range(n):
            log = open(tmp / f"bench-{n}-{i}.log", "wb")  # noqa: SIM115
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "worker.runners.distributed",
                        "--config",
                        config,
                        "--db",
                        db,
                        "--no-migrate",
                    ],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, **ENV},
                )
            )
        deadline = time.monotonic() + 600
        with psycopg.connect(db, autocommit=True) as conn:
            while conn.execute("SELECT count(*) FROM versions").fetchone()[0] < total:
                if time.monotonic() > deadline:
                    raise SystemExit(f"round {n}: timed out; logs in {tmp}")
                time.sleep(0.2)
            first, last = conn.execute(
                "SELECT min(fetched_at), max(fetched_at + duration_ms * interval '1 millisecond') FROM fetches "
                "WHERE purpose = 'article'"
            ).fetchone()
        dup = sum(
            c - 1
            for site in sites
            for p, c in Counter(site.paths()).items()
            if p.startswith("/news/") and c > 1
        )
        return total / (last - first).total_seconds(), dup
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=4)
    ap.add_argument("--articles", type=int, default=60, help="per site")
    ap.add_argument("--workers", default="1,2,3")
    args = ap.parse_args()
    total = args.sites * args.articles
    with psycopg.connect(ADMIN) as c:
        pg = c.execute("SHOW server_version").fetchone()[0]
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PostgreSQL {pg}, load average {os.getloadavg()[0]:.1f} at start; "
        f"{args.sites} sites x {args.articles} articles, per-host concurrency 8, no delay"
    )
    with SimWeb() as web, tempfile.TemporaryDirectory() as tmp:
        sites = build_web(web, args.sites, args.articles)
        config = write_config(Path(tmp) / "sources.yaml", sites)
        for n in (int(x) for x in args.workers.split(",")):
            rate, dup = one_round(n, config, sites, total, Path(tmp))
            print(f"{n} worker(s): {rate:6.1f} articles/s, {dup} duplicate fetches", flush=True)


if __name__ == "__main__":
    main()
