"""Peak memory of one hostile listing poll: a sitemap index of 100 children of 4 MB each.

    python bench/listing_memory.py [--repo PATH] [--children 100] [--mb 4] [--max-child-sitemaps N] [--dense]

A server on 127.0.0.1 (in this process) serves /index.xml naming the children; each child is a
urlset of 5 URLs padded to --mb megabytes. `python -m worker run --once` of the checkout at --repo
(default: this one) polls it in a process of its own (the source's `include` matches nothing, so no
article is fetched: the figure is the listings' alone). Printed: listing requests, wall seconds, the
peak RSS (MB) of the largest process of the run (RUSAGE_CHILDREN: the main one or a helper).
--max-child-sitemaps writes that key into the config (a checkout before the key refuses it: leave it out).

Measured 2026-12-04 on the shared 2-core machine (load ~5), 100 children of 4 MB, peak RSS of the
largest process (the main one), `python bench/listing_memory.py [--repo /work/main | --max-child-sitemaps 100]`:

    code                                      listing requests   seconds   peak RSS
    before (main b6bb086: bodies kept)              101            3.1       505 MB
    after, max_child_sitemaps 100 (released)        101            4.2       111 MB
    after, defaults (max_child_sitemaps 50)          51            2.7       110 MB

With --dense --children 20 (each child 4 MB of URLs, ~76,000; 1.5 million in all):

    before (main b6bb086)                            21           21.0       605 MB
    after, defaults (max_listing_urls 50000)          2            2.1       118 MB

After, the peak is one listing in hand (its bytes, the parse, the copy sent to the examining
process), whatever the number of children.
"""

from __future__ import annotations

import argparse
import os
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


def serve(children: int, size: int, dense: bool) -> tuple[ThreadingHTTPServer, list[str]]:
    requests: list[str] = []
    holder: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if self.path == "/index.xml":
                body = holder["index"]
            elif self.path.startswith("/child-"):
                body = holder["child"]
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    locs = "".join(f"<sitemap><loc>{base}/child-{i}.xml</loc></sitemap>" for i in range(children))
    holder["index"] = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'.encode()
    entry = len(f"<url><loc>{base}/a/0000000</loc></url>\n")
    urls = "".join(f"<url><loc>{base}/a/{n:07d}</loc></url>\n" for n in range(size // entry - 2 if dense else 5))
    head = f'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}'.encode()
    tail = b"</urlset>\n"
    holder["child"] = head + b" " * (size - len(head) - len(tail)) + tail
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, requests


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=str(ROOT), help="checkout whose `python -m worker` is measured")
    ap.add_argument("--children", type=int, default=100)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--max-child-sitemaps", type=int, default=None)
    ap.add_argument("--dense", action="store_true", help="children full of URLs (~40 bytes each) instead of padding")
    args = ap.parse_args()
    server, requests = serve(args.children, int(args.mb * 1024 * 1024), args.dense)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sources.yaml"
        cap = f"    max_child_sitemaps: {args.max_child_sitemaps}\n" if args.max_child_sitemaps is not None else ""
        config.write_text(
            "defaults: {per_host_delay: 0s, allow_private_networks: true, respect_robots: false, retries: 0,"
            " revisit: [], max_bytes: 10MB}\n"
            f"sources:\n  - name: hostile\n    kind: sitemap\n    url: {base}/index.xml\n"
            f"    include: ['^nothing$']\n{cap}")
        env = {**os.environ, "PYTHONPATH": args.repo}
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "worker", "run", "--once", "--config", str(config),
                                 "--db", f"sqlite:///{tmp}/a.sqlite3"], cwd=args.repo, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = proc.communicate()
        seconds = time.monotonic() - t0
        helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    server.shutdown()
    if proc.returncode != 0:
        sys.exit(f"run --once exited {proc.returncode}:\n{err.decode()[-2000:]}")
    print(f"repo {args.repo}: {args.children} {'dense ' if args.dense else ''}children of {args.mb:g} MB, "
          f"max_child_sitemaps {args.max_child_sitemaps if args.max_child_sitemaps is not None else 'default'}")
    print(f"listing requests {sum(p.endswith('.xml') for p in requests)}, {seconds:.1f} s, "
          f"peak RSS of the largest process {helpers:.0f} MB")
    print(out.decode().strip().splitlines()[-1] if out.strip() else "(no summary)")


if __name__ == "__main__":
    main()
