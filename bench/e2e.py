"""End-to-end throughput: the archive against the floor (downloading) and against a hand-written pipeline.

    .venv/bin/python bench/e2e.py --pages 2000 --concurrency 8 --rounds 2 [--no-pg] [--modes abcd]

A local site of N big article pages (bench/bigweb.py, its own process, listed in a sitemap) is
read, in alternating rounds, on the same pages at the same concurrency, by:
  (a) bare concurrent httpx downloads of every URL, bodies discarded;
  (b) httpx + trafilatura.extract + one SQLite row per article (commit per row), what a user would
      write by hand, extraction on the event loop;
  (c) `newsarchive run --once` on a fresh SQLite archive (the real CLI in a subprocess);
  (d) the same on a fresh PostgreSQL database (127.0.0.1:5432, user postgres; created and dropped here).
Every mode runs in its own process; its peak RSS is the sum over its process tree (the archive's
examining processes included), sampled every 0.1 s, and never below the main process's own peak. Rates use the time of the work
itself ((c), (d): the "pass complete in Xs" line); the wall time including start-up is printed too.
Prints pages/s, the ratios c/a, c/b, d/a against the issue-5 targets, and the machine. Asserts nothing.
`--pyspy FILE` records (c) of the first round with py-spy, its helper processes included (FILE.svg: flame graph, FILE.txt: collapsed
stacks, else speedscope JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bigweb import BigWeb  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGETS = {"c/a": 0.7, "d/a": 0.6, "c/b": 10.0}
RSS_TARGET_MB = 250


@dataclass
class Result:
    mode: str
    pages: int  # pages that made it (downloaded / rows / new articles)
    seconds: float  # the work itself
    wall: float  # process start to exit
    rss_mb: float
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


# --- (a) and (b): run in a child process (`e2e.py _child MODE ...`) ------------------------------


async def _download(urls: list[str], concurrency: int, handle: object = None) -> int:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    ok = 0
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def one(url: str) -> None:
            nonlocal ok
            async with gate:
                r = await client.get(url)
                if r.status_code == 200:
                    ok += 1 if handle is None else handle(url, r.text)  # type: ignore[operator]

        await asyncio.gather(*(one(u) for u in urls))
    return ok


def _child(mode: str, urls_file: str, concurrency: int, db: str | None) -> None:
    urls = Path(urls_file).read_text().split()
    handle = None
    if mode == "b":
        import trafilatura

        conn = sqlite3.connect(db or ":memory:")
        conn.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, title TEXT, text TEXT, fetched_at REAL)")

        def handle(url: str, html: str) -> int:
            doc = trafilatura.extract(html, url=url, output_format="json", with_metadata=True)
            if not doc:
                return 0
            d = json.loads(doc)
            conn.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", (url, d.get("title"), d["text"], time.time()))
            conn.commit()
            return 1

    started = time.perf_counter()
    ok = asyncio.run(_download(urls, concurrency, handle))
    print(json.dumps({"pages": ok, "seconds": time.perf_counter() - started}))


# --- running a child and measuring it ------------------------------------------------------------


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str, float, float]:
    """Run cmd; (status, stdout, stderr, wall seconds, peak RSS MB of its whole process tree).

    Measured by a small launcher process (`e2e.py _measure`): a child forked from this process would
    start with this process's RSS as its high-water mark (Linux keeps it across exec).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r", suffix=".json") as usage:
        started = time.perf_counter()
        code = subprocess.call([sys.executable, __file__, "_measure", usage.name, *cmd], stdout=out, stderr=err,
                               cwd=ROOT, env={**os.environ, **(env or {})})
        wall = time.perf_counter() - started
        if code != 0:
            raise RuntimeError(f"the launcher failed ({code}) for {cmd}")
        measured = json.loads(Path(usage.name).read_text())
        out.seek(0)
        err.seek(0)
        return measured["code"], out.read(), err.read(), wall, measured["tree_kb"] / 1024


def _measure(usage_file: str, cmd: list[str]) -> None:
    proc = subprocess.Popen(cmd)  # standard output and error are ours, inherited
    peak_tree = 0
    status = None
    while status is None:  # the whole tree's RSS too: the archive examines pages in worker processes
        peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
        pid, status_now, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status = status_now
        else:
            time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    Path(usage_file).write_text(json.dumps({"code": proc.returncode, "maxrss_kb": usage.ru_maxrss,
                                            "tree_kb": max(peak_tree, usage.ru_maxrss)}))


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants now (Linux /proc), in KB. Walks the
    tree through /proc/PID/task/TID/children: reading every process of the machine ten times a
    second took ~6% of a core from the run being measured."""
    total, frontier, seen = 0, [root], set()
    while frontier:
        pid = frontier.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue  # gone meanwhile
        total += next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0)
        for task in tasks:
            try:
                frontier += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return total


def run_child(mode: str, urls_file: Path, concurrency: int, tmp: Path) -> Result:
    db = str(tmp / "handmade.sqlite3")
    if os.path.exists(db):
        os.remove(db)
    code, out, err, wall, rss = _run([sys.executable, __file__, "_child", mode, str(urls_file), str(concurrency), db])
    if code != 0:
        raise RuntimeError(f"mode {mode} failed:\n{err[-2000:]}")
    d = json.loads(out.strip().splitlines()[-1])
    return Result(mode, d["pages"], d["seconds"], wall, rss)


def _config(tmp: Path, sitemap: str, concurrency: int) -> Path:
    path = tmp / "bench.yaml"
    path.write_text(
        "defaults:\n  every: 1h\n  revisit: [1d]\n  timeout: 60s\n  retries: 1\n  per_host_delay: 0s\n"
        f"  per_host_concurrency: {concurrency}\n  respect_robots: false\n  allow_private_networks: true\n"
        f"sources:\n  - name: bench\n    kind: sitemap\n    url: {sitemap}\n")
    return path


def newsarchive_cmd() -> list[str]:
    script = ROOT / ".venv" / "bin" / "newsarchive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "worker"]


def run_archive(mode: str, config: Path, db_url: str, pyspy: str | None = None) -> Result:
    cmd = [*newsarchive_cmd(), "run", "--once", "--config", str(config), "--db", db_url]
    if pyspy:
        fmt = {".svg": "flamegraph", ".txt": "raw"}.get(Path(pyspy).suffix, "speedscope")
        cmd = [str(Path(sys.executable).parent / "py-spy"), "record", "--subprocesses", "-r", "200", "-f", fmt, "-o", pyspy, "--", *cmd]
    code, out, err, wall, rss = _run(cmd)
    if code != 0:
        raise RuntimeError(f"newsarchive run --once ({mode}) exited {code}:\n{err[-3000:]}")
    m = re.search(r"pass complete in ([\d.]+)s: (.*)", out)
    if not m:
        raise RuntimeError(f"no 'pass complete' line in:\n{out[-2000:]}")
    new = int(re.search(r"(\d+) new articles", m.group(2)).group(1))  # type: ignore[union-attr]
    failed = int(re.search(r"(\d+) failed", m.group(2)).group(1))  # type: ignore[union-attr]
    return Result(mode, new, float(m.group(1)), wall, rss, note=m.group(2) if failed else "")


def run_sqlite(config: Path, tmp: Path, pyspy: str | None = None) -> Result:
    db = tmp / "archive.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    res = run_archive("c", config, f"sqlite:///{db}", pyspy)
    res.extra["db_mb"] = db.stat().st_size / 2**20
    return res


def run_postgres(config: Path, name: str) -> Result:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return run_archive("d", config, f"postgresql://postgres@127.0.0.1:5432/{name}")
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- report ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import httpx
    import sqlalchemy
    import trafilatura

    pg = "?"
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN) as c:
            pg = str(c.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    except Exception:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.1f} GiB RAM, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}, "
            f"httpx {httpx.__version__}, trafilatura {trafilatura.__version__}, SQLAlchemy {sqlalchemy.__version__}")


def report(results: dict[str, list[Result]], pages: int, concurrency: int) -> None:
    names = {"a": "bare httpx download", "b": "httpx + trafilatura + SQLite", "c": "newsarchive run --once, SQLite",
             "d": "newsarchive run --once, PostgreSQL"}
    print(f"\n{pages} pages, concurrency {concurrency}; per mode: median over rounds (each round's rates)")
    med: dict[str, float] = {}
    for mode, rs in results.items():
        med[mode] = statistics.median(r.rate for r in rs)
        walls = statistics.median(r.pages / r.wall for r in rs)
        rounds = ", ".join(f"{r.rate:.1f}" for r in rs)
        extra = "".join(f", {k} {v:.1f}" for k, v in rs[-1].extra.items())
        print(f"  ({mode}) {names[mode]:<36} {med[mode]:8.1f} pages/s  [{rounds}]  wall incl. start-up "
              f"{walls:.1f} pages/s ({statistics.median(r.wall for r in rs):.1f}s)  done {rs[-1].pages}/{pages}  "
              f"peak RSS {max(r.rss_mb for r in rs):.0f} MB{extra}")
        for r in rs:
            if r.note:
                print(f"      note: {r.note}")
        if mode in "cd":
            print(f"      'pass complete in' seconds: {', '.join(f'{r.seconds:.1f}' for r in rs)}")
    for ratio, target in TARGETS.items():
        top, bottom = ratio.split("/")
        if top in med and bottom in med and med[bottom]:
            value = med[top] / med[bottom]
            print(f"  {ratio} = {value:.2f}  (target >= {target:g})  {'PASS' if value >= target else 'FAIL'}")
    if "c" in results:
        rss = max(r.rss_mb for r in results["c"])
        verdict = "PASS" if rss < RSS_TARGET_MB else "FAIL"
        print(f"  peak RSS of (c) = {rss:.0f} MB for a {pages}-article pass  (target < {RSS_TARGET_MB} MB "
              f"for 20,000)  {verdict}")
    print(f"  machine: {machine()}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        _measure(sys.argv[2], sys.argv[3:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--modes", default="abcd", help="which of a, b, c, d to run (default all)")
    ap.add_argument("--no-pg", action="store_true", help="leave out (d)")
    ap.add_argument("--pyspy", metavar="FILE", help="record (c) of the first round with py-spy")
    args = ap.parse_args()
    modes = [m for m in args.modes if m in "abcd" and not (m == "d" and args.no_pg)]
    tmp = Path(tempfile.mkdtemp(prefix="na-e2e-"))
    results: dict[str, list[Result]] = {m: [] for m in modes}
    try:
        with BigWeb(args.pages) as web:
            urls_file = tmp / "urls.txt"
            urls_file.write_text("\n".join(web.urls()))
            config = _config(tmp, web.sitemap_url, args.concurrency)
            for rnd in range(args.rounds):
                for mode in modes:
                    if mode in "ab":
                        res = run_child(mode, urls_file, args.concurrency, tmp)
                    elif mode == "c":
                        res = run_sqlite(config, tmp, args.pyspy if rnd == 0 else None)
                    else:
                        res = run_postgres(config, f"na_bench_e2e_{os.getpid()}")
                    results[mode].append(res)
                    print(f"round {rnd + 1} ({mode}): {res.pages} pages in {res.seconds:.1f}s = {res.rate:.1f} pages/s; "
                          f"wall {res.wall:.1f}s; peak RSS {res.rss_mb:.0f} MB", flush=True)
        report(results, args.pages, args.concurrency)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
