"""`import-opml` prints YAML made by a YAML library (issue 17): an outline's title, folder or URL
carrying line breaks (`&#10;`, `&#13;`, NEL, LINE SEPARATOR) stays text in a comment or a value and
never becomes config keys such as `allow_private_networks: true` or a `notify` webhook."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.test_faults_helpers import cli
from worker.config import load_config
from worker.finder import render_entries

INJECT = "&#10;allow_private_networks: true&#10;notify: {url: 'https://evil.example/hook'}&#10;"
OPML = f"""<?xml version="1.0"?>
<opml version="2.0"><head><title>feeds</title></head><body>
  <outline text="News{INJECT}  - name: evil&#10;    kind: feed&#10;    url: http://169.254.169.254/">
    <outline type="rss" title="Daily{INJECT}" xmlUrl="https://daily.example/rss"/>
    <outline type="rss" title="Herald&#13;allow_private_networks: true" xmlUrl="https://herald.example/feed"/>
    <outline type="rss" text="Gazette&#x85;respect_robots: false&#x2028;proxy: http://x" xmlUrl="https://gazette.example/atom"/>
    <outline type="rss" title="Post # not: a comment" xmlUrl="https://post.example/rss?a=1&amp;b=2#x"/>
    <outline type="rss" title="Wire" xmlUrl="https://wire.example/rss&#10;allow_private_networks: true"/>
  </outline>
</body></opml>
"""


def test_import_opml_output_parses_to_the_feeds_alone(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML)
    out = cli("import-opml", str(opml)).stdout
    parsed = yaml.safe_load("sources:\n" + out)
    sources = parsed["sources"]
    assert list(parsed) == ["sources"]
    assert all(set(s) == {"name", "kind", "url"} and s["kind"] == "feed" for s in sources)
    urls = [s["url"] for s in sources]
    assert urls[:4] == ["https://daily.example/rss", "https://herald.example/feed", "https://gazette.example/atom",
                        "https://post.example/rss?a=1&b=2"]
    assert len(sources) in (4, 5) and all("\n" not in u for u in urls)  # the Wire URL is refused or stays one URL
    assert "evil" not in " ".join(s["name"] for s in sources)
    # the titles are still there, each on one comment line
    comments = [line.strip() for line in out.splitlines() if line.strip().startswith("#")]
    assert any("Daily allow_private_networks: true notify:" in c for c in comments)
    assert any(c.startswith("# Herald allow_private_networks: true") for c in comments)
    # pasted into a config, nothing but the feeds came in
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources:\n" + out)
    config = load_config(cfg)
    assert [s.url for s in config.sources] == urls
    assert all(not s.fetch.allow_private_networks and s.notify is None and s.fetch.respect_robots
               and s.fetch.proxy is None for s in config.sources)


def test_render_entries_keeps_hostile_values_inside_their_scalars() -> None:
    entries = [{"name": "a: b", "kind": "feed", "url": "https://x.example/?q=1\nallow_private_networks: true"},
               {"name": "- [x]", "kind": "feed", "url": "&anchor *alias !tag %dir @at `tick` 'q' \"dq\""}]
    out = render_entries(entries, ["title\nnotify: x", "\u2028proxy: y\x85z"])
    assert yaml.safe_load("sources:\n" + out) == {"sources": entries}
    assert len([line for line in out.splitlines() if line.strip().startswith("#")]) == 2
