"""A service that boots before its PostgreSQL waits for it (both runners), through the real command, on a
throwaway cluster of our own that starts late (the shared server is never touched)."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_faults_db import PG_BIN, Cluster, pg_archived
from tests.test_faults_helpers import Service, wait_until, write_config
from tests.test_faults_process import add_articles
from tests.test_fleet_workers import FAST

pytestmark = pytest.mark.skipif(not PG_BIN, reason="no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")


@pytest.mark.parametrize("runner", ["inprocess", "fleet"])
def test_service_waits_for_a_database_that_starts_late(tmp_path: Path, runner: str) -> None:
    cluster = Cluster()  # made, not started: the database is not there yet
    try:
        with SimWeb() as web:
            site = web.add_site("daily")
            urls = add_articles(site, 3)
            cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}])
            svc = Service("run", *(["--fleet"] if runner == "fleet" else []), "--config", str(cfg),
                          "--db", cluster.url, env=FAST if runner == "fleet" else None)
            try:
                wait_until(lambda: svc.stderr_so_far().count("waiting for the database") >= 2, 30,
                           "two looks for the database", svc)
                cluster.start()
                wait_until(lambda: pg_archived(cluster.url) == len(urls), 90, "the articles, once it is up", svc)
            finally:
                res = svc.stop(signal.SIGTERM, 20)
    finally:
        cluster.close()
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-3000:]
    waits = [json.loads(ln) for ln in res.stderr.splitlines() if "waiting for the database" in ln]
    assert waits[0]["level"] == "warning" and f"127.0.0.1:{cluster.port}" in waits[0]["msg"]
    assert waits[0]["retry_in"] < waits[1]["retry_in"]  # backoff


def test_a_service_stopped_while_waiting_exits_0(tmp_path: Path) -> None:
    cluster = Cluster()
    try:
        cfg = write_config(tmp_path / "s.yaml", [{"name": "x", "kind": "urls", "urls": ["http://127.0.0.1:9/a"]}])
        svc = Service("run", "--config", str(cfg), "--db", cluster.url)
        wait_until(lambda: "waiting for the database" in svc.stderr_so_far(), 30, "a look for the database", svc)
        res = svc.stop(signal.SIGTERM, 20)
    finally:
        cluster.close()
    assert res.returncode == 0 and "Traceback" not in res.stderr
