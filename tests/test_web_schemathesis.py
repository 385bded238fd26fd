"""/openapi.json tells the truth: schemathesis (its CLI, in its own process) runs every check against
`newsarchive serve` over a small archive, on SQLite and PostgreSQL. No 500, no undocumented status
code, no schema-valid request rejected, no schema-violating one accepted, 405s with Allow.

Bounded (--max-examples) so it takes seconds; the seed is random, so every run explores a little
more. A failure prints schemathesis's report: the request to reproduce it and the seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_web_api import build
from tests.test_web_http import serving


def test_openapi_contract_holds(db_url: str, tmp_path: Path) -> None:
    build(db_url)
    st = Path(sys.executable).with_name("schemathesis")
    with serving(db_url) as base:
        proc = subprocess.run(
            [str(st), "run", f"{base}/openapi.json", "--url", base, "--checks", "all", "--max-examples", "10",
             "--request-timeout", "10", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
            env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"})
    report = proc.stdout[-6000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, report
    assert "No issues found" in proc.stdout and "9 selected / 9 total" in proc.stdout, report
