"""The repository carries its own contract, kept in step with the code (issue 16, item 7):

- docs/configuration.md documents every key of the config's JSON Schema (`newsarchive schema`), each in
  the section for its block, and no key the schema does not know;
- docs/commands.md is what `python -m worker.cli_reference` writes from the argument parser;
- docs/fetch-errors.md names exactly the fetch-log error kinds the code sets;
- the exit statuses are the CLI's; README links only inside the repository; LICENSE and CHANGELOG exist.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.test_migrations_landed import LANDED_RELEASES
from worker.cli import CRASH, NOTHING_DONE, USAGE_ERROR
from worker.cli_reference import render
from worker.config import config_json_schema
from worker.fetch.errors import KINDS

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
ROW_KEYS = re.compile(r"^\| *((?:`[^`]+`(?:, | / )?)+) *\|", re.M)


def _sections(path: Path) -> dict[str, set[str]]:
    """Heading -> the keys its tables' first column names (`a`, `b` in one cell counts both)."""
    out: dict[str, set[str]] = {}
    heading = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            out.setdefault(heading, set())
        elif m := ROW_KEYS.match(line):
            out.setdefault(heading, set()).update(re.findall(r"`([^`]+)`", m.group(1)))
    return out


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _objects(node: dict[str, Any], defs: dict[str, Any], name: str, seen: set[str]):  # type: ignore[no-untyped-def]
    """(block name, its keys) for every object in the schema: the top level, `defaults`, `source`, ..."""
    node = _resolve(node, defs)
    for alt in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        yield from _objects(alt, defs, name, seen)
    if "items" in node:
        yield from _objects(node["items"], defs, name[:-1] if name.endswith("s") else name, seen)
    props = node.get("properties")
    if props and name not in seen:
        seen.add(name)
        yield name, set(props)
        for key, sub in props.items():
            yield from _objects(sub, defs, key, seen)


def test_every_config_key_is_documented_and_no_documented_key_is_unknown() -> None:
    schema = config_json_schema()
    blocks: dict[str, set[str]] = {}
    for name, keys in _objects(schema, schema.get("$defs", {}), "top level", set()):
        blocks.setdefault(name, set()).update(keys)
    sections = _sections(DOCS / "configuration.md")

    def documented(block: str) -> set[str]:
        marks = ("top level",) if block == "top level" else (f"`{block}`",)
        return set().union(*(keys for h, keys in sections.items() if any(m in h.lower() for m in marks)))

    missing = [f"`{k}` of the {block!r} block" for block, keys in blocks.items() for k in sorted(keys - documented(block))]
    assert not missing, ("docs/configuration.md does not document " + "; ".join(missing) + ": add a table row "
                         "`| `KEY` | default | example | meaning |` under the heading that names the block in "
                         "backticks (## Top level, ## In `defaults` or on a `source`, ## In a `notify` block, ...)")
    unknown = []
    for heading, keys in sections.items():
        named = [b for b in blocks if (b == "top level" and "top level" in heading.lower()) or f"`{b}`" in heading]
        if named:
            known = set().union(*(blocks[b] for b in named))
            unknown += [f"`{k}` under '{heading}'" for k in sorted(keys - known)]
    assert not unknown, "docs/configuration.md documents keys the config does not have: " + "; ".join(unknown)


def test_commands_reference_is_generated_from_the_parser() -> None:
    committed = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert committed == render(), ("docs/commands.md is out of date with worker/cli.py: run "
                                   "`python -m worker.cli_reference > docs/commands.md` and commit it")


KIND_IN_CODE = [
    r'fail\("(\w+)"', r'_failed\(\w+, "(\w+)"', r'error="(\w+)"', r'Verdict\("(\w+)"', r'"(http_\dxx)"',
    r'return "(\w+)", f?"', r'kind: str = "(\w+)"',
]


def test_fetch_error_kinds_are_the_code_s() -> None:
    set_by_code = set()
    # where fetch-log rows get their error: the fetcher, the examination and the pass
    for path in [*(ROOT / "worker" / "fetch").glob("*.py"),
                 *(ROOT / "worker" / n for n in ("examine.py", "examiners.py", "pipeline.py", "classify.py"))]:
        text = path.read_text(encoding="utf-8")
        for pattern in KIND_IN_CODE:
            set_by_code.update(re.findall(pattern, text))
    set_by_code.discard("article")  # classify's verdict for the article itself: no error
    assert not set_by_code - KINDS, f"kinds set in worker/ but not in worker/fetch/errors.py KINDS: {set_by_code - KINDS}"
    documented = set().union(*_sections(DOCS / "fetch-errors.md").values())
    assert not KINDS - documented, f"docs/fetch-errors.md lacks the kinds {sorted(KINDS - documented)}"
    assert not documented - KINDS, f"docs/fetch-errors.md names kinds the code never sets: {sorted(documented - KINDS)}"


def test_exit_statuses_are_the_cli_s() -> None:
    for path in (ROOT / "README.md", DOCS / "commands.md"):
        text = path.read_text(encoding="utf-8")
        table = text.split("Exit statuses", 1)[1]
        statuses = [int(s) for s in re.findall(r"^\| `(\d+)` \|", table, re.M)]
        assert {0, NOTHING_DONE, USAGE_ERROR, CRASH} <= set(statuses), (path.name, statuses)


def test_readme_links_stay_inside_the_repository() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "#", "mailto:")):
            continue
        assert not target.startswith(".."), f"README links outside the repository: {target}"
        assert (ROOT / target.split("#", 1)[0]).exists(), f"README links to a missing file: {target}"
    assert "../shared" not in text
    for name in ("configuration.md", "commands.md", "fetch-errors.md", "export-format.md"):
        assert f"](docs/{name})" in text, f"README does not link docs/{name}"
    assert "CHANGELOG.md" in text.split("## Upgrading", 1)[1].split("\n## ", 1)[0]


def test_license_and_changelog() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "newsarchive contributors" in licence
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in changelog
    for head, commit in LANDED_RELEASES.items():  # each landing the upgrade test knows has its entry
        assert f"## {commit} (" in changelog and f"migration head {head})" in changelog, commit
