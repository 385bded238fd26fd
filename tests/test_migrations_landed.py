"""Migrations are immutable once landed, and an archive made by any landed release upgrades to today's.

1. Every landed migration file is pinned by its SHA-256: editing one fails here (a change of schema is a
   new migration; an archive made at the old text would never get the edit).
2. For each landed release's migration head, that release's own code (taken from git history) builds an
   archive over the simulated web, with data in it; today's code then upgrades it, reads it back, and
   revisits every page unchanged (no version) and one edited page (one version).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import time
from io import BytesIO
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_e2e import by_url, jsonl, newsarchive, write_config
from tests.test_truth_e2e import paragraphs
from worker.extract import EXTRACTOR_VERSION

ROOT = Path(__file__).parents[1]
VERSIONS = ROOT / "migrations" / "versions"

# Add each migration here once it has landed on main; never change a line.
LANDED_MIGRATIONS = {
    "0001_initial_schema.py": "fae4331661aa912bb4bf67e8c0e354d55437d61abb19a900c9c70502cd3ce936",
    "0002_provenance_headers_and_truth.py": "66d1c9d10e728c33f21483bbfa49471c1c6bea7e6a0d96f3a7778825b7755aa4",
    "0003_search.py": "214374344606789e733413c639b6890c75562dc6e4d2d478cb02f93fea7344c9",
    "0004_fleet.py": "0d117f1e885b2de6ed8627816ef7a65c97b50b85a0690d4c4da3bf20322edc50",
    "0005_extractor_versions.py": "c3ff26e24ff43a996332e1a93dd21bc4551984c1632652797f85a69af5213b13",
    "0006_search_terms.py": "9c1732d727291cc97ccf9290b7157c0230edce8314a0e63386148d577bba5b71",
    "0007_rehash_normalised.py": "9d2cac06c1e938539e7d2ede5bfd7dc658aed85be678fea45757429bbe4e5839",
    "0008_retention.py": "4247f78aaac5074be844bfedbffee569ba912d020babe1a3f83da7a279b7a08d",
    "0009_mask_webhook_urls.py": "a906831eb3e809ebcb9e99dcca3ec72e94517bf1424839381f4a1bd644a63702",
}
# A commit of each landed release, by the migration head its archives carry.
LANDED_RELEASES = {"0004": "d14acdd", "0007": "065baf0", "0009": "ba528ea"}


def test_landed_migrations_are_never_edited() -> None:
    for name, digest in LANDED_MIGRATIONS.items():
        actual = hashlib.sha256((VERSIONS / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} was edited after it landed: make a new migration instead"


def _release_tree(commit: str, into: Path) -> Path:
    """The release's worker/ and migrations/ as committed (git archive), to run its own code."""
    try:
        data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "worker", "migrations"],
                              capture_output=True, check=True, timeout=60).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        pytest.fail(f"cannot read release {commit} from git history ({e}): the upgrade test needs a full clone")
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _old_newsarchive(tree: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree), "NEWSARCHIVE_EXAMINERS": "1"}
    proc = subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=tree)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize("head", sorted(LANDED_RELEASES))
def test_an_archive_of_a_landed_release_upgrades_and_revisits_without_false_versions(
        tmp_path: Path, db_url: str, head: str) -> None:
    tree = _release_tree(LANDED_RELEASES[head], tmp_path / "release")
    with SimWeb() as web:
        site = web.add_site("daily")
        arts = [site.add_article(f"news/item-{i}", title=f"Item {i} of the week", paragraphs=paragraphs(700 + i),
                                 authors=["Ann Lee"]) for i in range(6)]
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           revisit="[1s, 2s, 3s, 4s]")
        base = ["--config", str(cfg), "--db", db_url]
        _old_newsarchive(tree, "run", "--once", *base)  # the release's own code and migrations
        made = by_url(jsonl(subprocess.run([sys.executable, "-m", "worker", "export", *base], capture_output=True,
                                           text=True, env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree,
                                           check=True).stdout))
        assert len(made) == 6

        newsarchive("db", "upgrade", "--db", db_url)  # today's migrations over the release's archive
        now = by_url(jsonl(newsarchive("export", *base).stdout))
        assert {u: [(v["version"], v["title"], v["text"]) for v in vs] for u, vs in now.items()} == \
               {u: [(v["version"], v["title"], v["text"]) for v in vs] for u, vs in made.items()}

        time.sleep(1.2)
        arts[0].edit(paragraphs=[p.replace("Paragraph 1 of", "Paragraph 1, amended, of") for p in arts[0].paragraphs])
        newsarchive("run", "--once", *base)
        after = by_url(jsonl(newsarchive("export", *base).stdout))
        assert [len(after[a.url]) for a in arts] == [2, 1, 1, 1, 1, 1]
        # every version compared on the revisit now says which extractor made its text
        stamped = {a.url: [v["provenance"]["extractor_version"] for v in after[a.url]] for a in arts}
        assert all(set(vs) == {EXTRACTOR_VERSION} for vs in stamped.values()), stamped
