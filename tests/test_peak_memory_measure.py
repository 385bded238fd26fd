"""The fault tests' memory bounds measure the command's own memory, not the test process's."""

from __future__ import annotations

from tests.test_faults_helpers import cli


def test_a_childs_peak_memory_excludes_its_parents() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # pytest itself grows by 300 MB, every page touched
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    res = cli("--help")
    del ballast
    assert 5 < res.max_rss_mb < 150, res.max_rss_mb  # python and the CLI's imports: tens of MB
