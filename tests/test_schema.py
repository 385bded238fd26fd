"""`newsarchive schema`: the config's JSON Schema validates the shipped config/sources.yaml (as plain
YAML, with jsonschema) and rejects broken ones, as an editor's YAML plugin would."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from worker.config import config_json_schema

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "config" / "sources.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = config_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def shipped() -> dict[str, Any]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def test_shipped_config_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(shipped())]
    assert errors == []


def test_a_config_with_every_documented_key_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    doc = yaml.safe_load("""
database: postgresql://archive@db.example.org/news
defaults:
  every: 15m
  revisit: [1h, 6h, 1d, 3d, 7d]
  timeout: 20s
  retries: 3
  max_bytes: 5MB
  per_host_concurrency: 2
  per_host_delay: 1s
  respect_robots: true
  user_agent: "newsarchive/0.1 (+https://example.org/bot)"
  allow_private_networks: false
  headers: {Cookie: "consent=1"}
  proxy: http://user:pass@proxy:3128
  notify: {url: "https://hooks.example.org/news", secret_env: NEWSARCHIVE_WEBHOOK_SECRET, events: [new_version]}
sources:
  - name: section
    kind: page
    url: https://example.com/world/
    links: "h2.headline a"
    cron: "*/10 * * * *"
    include: ['^https://example\\.com/']
    exclude: ['/tag/']
    extract: {title: h1, body: div.article-body, authors: .byline a, published: "time@datetime", remove: [.ad]}
    notify: null
    enabled: false
  - name: one-offs
    kind: urls
    urls: [https://example.com/a-story]
""")
    assert [e.message for e in validator.iter_errors(doc)] == []


BROKEN = [
    ("unknown top-level key", lambda d: d.update(databse="x")),
    ("unknown source key", lambda d: d["sources"][0].update(evry="15m")),
    ("unknown default key", lambda d: d["defaults"].update(timout="3s")),
    ("kind not in the list", lambda d: d["sources"][0].update(kind="rss")),
    ("duration in words", lambda d: d["defaults"].update(every="15 minutes")),
    ("size in words", lambda d: d["defaults"].update(max_bytes="five megabytes")),
    ("retries not a number", lambda d: d["defaults"].update(retries="many")),
    ("url without scheme", lambda d: d["sources"][0].update(url="caliber.az/en/rss")),
    ("source without name", lambda d: d["sources"][0].pop("name")),
    ("sources missing", lambda d: d.pop("sources")),
    ("notify without url", lambda d: d["defaults"].update(notify={"secret": "x"})),
    ("notify unknown event", lambda d: d["defaults"].update(notify={"url": "https://h.org/", "events": ["edit"]})),
    ("extract unknown key", lambda d: d["sources"][0].update(extract={"titel": "h1"})),
]


@pytest.mark.parametrize(("what", "breaks"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_config_fails(validator: jsonschema.Draft202012Validator, what: str, breaks: Any) -> None:
    doc = copy.deepcopy(shipped())
    breaks(doc)
    assert list(validator.iter_errors(doc)), f"{what} was accepted"


def test_schema_command_prints_the_same_schema() -> None:
    proc = subprocess.run([sys.executable, "-m", "worker", "schema"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == config_json_schema()
