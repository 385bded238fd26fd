"""`newsarchive run` re-reads its config on SIGHUP: new sources are polled, removed ones keep their archive,
a broken file changes nothing, and the service still stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.simweb import SimWeb, Site

ROOT = Path(__file__).resolve().parents[1]


def config_text(sources: list[Site]) -> str:
    lines = ["defaults:", "  every: 1h", "  revisit: []", "  per_host_delay: 0s", "  retries: 0",
             "  allow_private_networks: true", "sources:"]
    for site in sources:
        lines += [f"  - name: {site.name}", "    kind: feed", f"    url: {site.base_url}/feed.xml"]
    return "\n".join(lines) + "\n"


def wait_for(predicate, what: str, proc: subprocess.Popen[str], seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the service exited ({proc.returncode}) before {what}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_sighup_reloads_the_config(tmp_path: Path) -> None:
    with SimWeb() as web:
        daily, herald = web.add_site("daily"), web.add_site("herald")
        daily.add_article("a/one", title="One", paragraphs=["Daily story one has a body."])
        herald.add_article("b/two", title="Two", paragraphs=["Herald story two has a body."])
        config = tmp_path / "sources.yaml"
        config.write_text(config_text([daily]))
        proc = subprocess.Popen([sys.executable, "-m", "worker", "run", "--config", str(config), "--db",
                                 f"sqlite:///{tmp_path / 'a.sqlite3'}"], cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
        err_lines: list[str] = []
        reader = threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
        reader.start()
        try:
            wait_for(lambda: "/a/one" in daily.paths(), "the first poll", proc)
            config.write_text("sources: [oops\n")  # a broken file: refused, the service goes on
            proc.send_signal(signal.SIGHUP)
            wait_for(lambda: any("config reload refused" in line for line in err_lines), "the refusal", proc)
            config.write_text(config_text([herald]))  # daily removed, herald added
            proc.send_signal(signal.SIGHUP)
            wait_for(lambda: "/b/two" in herald.paths(), "the new source's poll", proc)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            reader.join(10)
        finally:
            if proc.poll() is None:
                proc.kill()
        err = "".join(err_lines)
        assert proc.returncode == 0, err
        assert "source daily: removed from the config; its archive is kept" in err and "config reloaded" in err
