"""What a hostile listing costs one poll: `python -m worker run --once` on a single source whose feed,
sitemap or page listing is hostile, served from 127.0.0.1 by this process.

    python bench/hostile_listings.py [--repo PATH]

Each case runs in a process of its own (so the peak RSS, ru_maxrss of the largest process of the
run: the main one or an examining one, is that case's alone). The source's `include` matches nothing,
so no article is fetched: the figures are the listing's. Printed per case: wall seconds (Python
start-up included), peak RSS MB, and the pass's summary of the listing (links taken, or its error).
Listings are parsed in the examining process within the page caps and budget (worker/examiners.py);
URLs per poll stop at max_listing_urls (50,000).

Measured 2026-12-06 on the shared 2-core machine (load ~2), `python bench/hostile_listings.py`:

    listing                                       s     MB  outcome
    page: div nested 200,000 deep (2.2 MB)     1.11    109  page:too_complex (caps)
    page: 150,000 <option>s, flat (1.4 MB)    11.30    103  page:too_complex (budget, 10 s)
    page: 100,000 links (6 MB)                 3.46    202  parsed; 50000 listed URLs dropped
    feed: an item nested 200,000 deep (1.8 MB) 3.98    192  parsed
    feed: 50,000 items (4 MB)                  5.56    180  parsed
    sitemap: 120,000 URLs (4.7 MB)             2.22    133  parsed; 70000 listed URLs dropped
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARA = "<p>" + "Some listing text. " * 20 + "</p>"


def cases(base: str) -> dict[str, tuple[str, str, bytes]]:
    """name -> (source kind, content type, body)."""
    links = "".join(f'<li><a href="{base}/news/story-{n:06d}">Story {n}</a></li>' for n in range(100_000))
    items = "".join(f"<item><title>Item {n}</title><link>{base}/news/item-{n:06d}</link></item>" for n in range(50_000))
    urls = "".join(f"<url><loc>{base}/a/{n:07d}</loc></url>" for n in range(120_000))
    html = "text/html; charset=utf-8"
    return {
        "page: div nested 200,000 deep (2.2 MB)": ("page", html, ("<div>" * 200_000 + PARA + "</div>" * 200_000).encode()),
        "page: 150,000 <option>s, flat (1.4 MB)": ("page", html, ("<select>" + "<option>x" * 150_000 + "</select>" + PARA).encode()),
        "page: 100,000 links (6 MB)": ("page", html, f"<ul>{links}</ul>".encode()),
        "feed: an item nested 200,000 deep (1.8 MB)": (
            "feed", "application/rss+xml",
            ("<rss><channel><item>" + "<x>" * 200_000 + "</x>" * 200_000 + "</item></channel></rss>").encode()),
        "feed: 50,000 items (4 MB)": ("feed", "application/rss+xml", f"<rss><channel>{items}</channel></rss>".encode()),
        "sitemap: 120,000 URLs (4.7 MB)": (
            "sitemap", "application/xml",
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()),
    }


def serve() -> tuple[ThreadingHTTPServer, dict[str, tuple[str, bytes]]]:
    bodies: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = bodies.get(self.path)
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", found[0])
            self.send_header("Content-Length", str(len(found[1])))
            self.end_headers()
            self.wfile.write(found[1])

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, bodies


def one(repo: str, kind: str, url: str) -> None:
    """Run the poll; print seconds, peak RSS and the summary (a child process of its own)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sources.yaml"
        config.write_text(
            "defaults: {per_host_delay: 0s, allow_private_networks: true, respect_robots: false, retries: 0,"
            " revisit: [], max_bytes: 10MB}\n"
            f"sources:\n  - name: hostile\n    kind: {kind}\n    url: {url}\n    include: ['^nothing$']\n"
            + ("    links: 'a'\n" if kind == "page" else ""))
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "worker", "run", "--once", "--config", str(config),
                               "--db", f"sqlite:///{tmp}/a.sqlite3"], cwd=repo, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": repo})
        seconds = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else f"exit {proc.returncode}"
    print(f"{seconds:.2f}\t{peak:.0f}\t{summary}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=str(ROOT), help="checkout whose `python -m worker` is measured")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "URL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.repo, *args.one)
        return
    server, bodies = serve()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{'listing':<44}{'s':>7}{'MB':>6}  outcome")
    for i, (name, (kind, ctype, body)) in enumerate(cases(base).items()):
        bodies[f"/l{i}"] = (ctype, body)
        out = subprocess.run([sys.executable, __file__, "--repo", args.repo, "--one", kind, f"{base}/l{i}"],
                             capture_output=True, text=True).stdout.strip()
        seconds, peak, summary = out.split("\t", 2) if out.count("\t") >= 2 else ("?", "?", out)
        failed = re.search(r"all \d+ sources? failed \(([^)]*)\)", summary)  # "(page:too_complex 1)"
        outcome = failed.group(1) if failed else "parsed" if "pass complete" in summary else summary[-80:]
        cut = re.search(r"listings cut \([^)]*\): (.*)$", summary)
        print(f"{name:<44}{seconds:>7}{peak:>6}  {outcome}{'; ' + cut.group(1) if cut else ''}")
    server.shutdown()


if __name__ == "__main__":
    main()
