"""What a hostile robots.txt costs, whole (as before) and as read now: its first 500 KiB (RFC 9309);
and what the bounded cache holds of many such files.

    python bench/robots.py [--mb 5] [--entries 30]

The file: --mb megabytes of distinct Disallow rules (every line a rule protego keeps). Each part runs
in a fresh process (python bench/robots.py --part NAME) and prints its seconds and its peak RSS growth
(ru_maxrss after, minus RSS once the file is built):

    whole    protego parses the whole file (the Fetcher before: the whole body up to max_bytes)
    first    worker/fetch/robots.rules_from, as the Fetcher does now: the first 500 KiB
    bounded  --entries such files, one origin each, into a RobotsCache with its default bounds
    sizeless the same with no bound on cached text (what each file costs held parsed)
    small    2 x MAX_ENTRIES origins of a small file: how many entries stay

Measured 2026-12-04 on the shared 2-core machine (loaded), `python bench/robots.py`:

    robots.txt of 5.0 MB, 125049 rules; MAX_CACHED_BYTES 4 MiB, MAX_ENTRIES 512
    whole        2.17 s  +  210.7 MB peak RSS
    first        0.18 s  +   21.3 MB peak RSS
    bounded      8.42 s  +  214.1 MB peak RSS, 8 of 30 kept
    sizeless     8.15 s  +  568.5 MB peak RSS, 30 of 30 kept
    small        0.16 s  +   19.1 MB peak RSS, 512 of 1024 kept
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from protego import Protego  # noqa: E402

from worker.fetch.robots import MAX_CACHED_BYTES, MAX_ENTRIES, RobotsCache, rules_from  # noqa: E402
from worker.values import Fetched  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hostile(mb: float) -> bytes:
    lines = [b"User-agent: *"]
    size, i = 0, 0
    while size < mb * 1_000_000:
        line = b"Disallow: /section-%d/*/page-%d$" % (i, i * 7)
        lines.append(line)
        size += len(line) + 1
        i += 1
    return b"\n".join(lines) + b"\n"


def answer(body: bytes) -> Fetched:
    return Fetched(purpose="robots", requested_url="https://x/robots.txt", final_url="https://x/robots.txt",
                   status=200, fetched_at=datetime.now(UTC), duration_ms=1, attempts=1, body=body)


async def fill(cache: RobotsCache, body: bytes, n: int) -> None:
    async def fetch(url: str) -> Fetched:
        return answer(body)

    for i in range(n):
        await cache.rules_for(f"https://site-{i}.example/a", fetch)


def part(name: str, mb: float, entries: int) -> None:
    body = hostile(mb)
    base, t0 = rss_mb(), time.perf_counter()
    kept = ""
    if name == "whole":
        Protego.parse(body.decode())
    elif name == "first":
        rules_from(answer(body), expires=1e18)
    elif name in ("bounded", "sizeless"):
        cache = RobotsCache(max_bytes=MAX_CACHED_BYTES if name == "bounded" else 1 << 40)
        asyncio.run(fill(cache, body, entries))
        kept = f", {len(cache)} of {entries} kept"
    elif name == "small":
        cache = RobotsCache()
        asyncio.run(fill(cache, b"User-agent: *\nDisallow: /x/\n", 2 * MAX_ENTRIES))
        kept = f", {len(cache)} of {2 * MAX_ENTRIES} kept"
    print(f"{name:9s} {time.perf_counter() - t0:7.2f} s  +{peak_mb() - base:7.1f} MB peak RSS{kept}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--entries", type=int, default=30)
    ap.add_argument("--part")
    args = ap.parse_args()
    if args.part:
        part(args.part, args.mb, args.entries)
        return
    body = hostile(args.mb)
    print(f"robots.txt of {len(body) / 1e6:.1f} MB, {body.count(b'Disallow')} rules; "
          f"MAX_CACHED_BYTES {MAX_CACHED_BYTES >> 20} MiB, MAX_ENTRIES {MAX_ENTRIES}")
    for name in ("whole", "first", "bounded", "sizeless", "small"):
        subprocess.run([sys.executable, __file__, "--part", name, "--mb", str(args.mb),
                        "--entries", str(args.entries)], check=True)


if __name__ == "__main__":
    main()
