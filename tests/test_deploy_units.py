"""The systemd units in deploy/ are hardened (issue 17): no new privileges, a read-only system, a
syscall filter, a memory ceiling, and link-local (cloud metadata) addresses closed to the service
while the public web, loopback and private networks (a database, a proxy) stay reachable. When
systemd-analyze is installed, the units must also verify and score "OK" on its exposure scale."""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).parents[1] / "deploy"
UNITS = ["newsarchive.service", "newsarchive-worker@.service"]
HARDENING = {
    "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
    "PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "ProtectClock": "yes", "RestrictNamespaces": "yes",
    "RestrictSUIDSGID": "yes", "RestrictRealtime": "yes", "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes",
    "SystemCallArchitectures": "native", "SystemCallFilter": "@system-service", "CapabilityBoundingSet": "",
}


def service_section(unit: str) -> dict[str, list[str]]:
    """[Service] key -> its values (systemd allows a key more than once)."""
    out: dict[str, list[str]] = {}
    section = None
    for raw in (DEPLOY / unit).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            section = m[1]
        elif section == "Service":
            key, _, value = line.partition("=")
            out.setdefault(key.strip(), []).append(value.strip())
    return out


@pytest.mark.parametrize("unit", UNITS)
def test_units_are_hardened(unit: str) -> None:
    keys = service_section(unit)
    for key, value in HARDENING.items():
        assert keys.get(key) == [value], f"{unit}: {key}={value}"
    assert keys["User"] == ["newsarchive"]


@pytest.mark.parametrize("unit", UNITS)
def test_memory_has_a_ceiling(unit: str) -> None:
    keys = service_section(unit)
    sizes = {k: int(keys[k][0][:-1]) * {"M": 1, "G": 1024}[keys[k][0][-1]] for k in ("MemoryHigh", "MemoryMax")}
    assert 512 <= sizes["MemoryHigh"] < sizes["MemoryMax"] <= 16 * 1024


@pytest.mark.parametrize("unit", UNITS)
def test_metadata_addresses_are_denied_and_the_web_is_not(unit: str) -> None:
    keys = service_section(unit)
    denied = [ipaddress.ip_network(n) for v in keys["IPAddressDeny"] for n in v.split()]
    assert "IPAddressAllow" not in keys  # an allowed address wins over a denied one

    def blocked(address: str) -> bool:
        return any(ipaddress.ip_address(address) in net for net in denied)

    for metadata in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "fe80::1", "100.100.100.200"):
        assert blocked(metadata), metadata
    for reachable in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "127.0.0.1", "::1", "10.0.0.5",
                      "192.168.1.10", "172.16.0.3", "fd12:3456::1"):
        assert not blocked(reachable), reachable


def _with_true_exec(unit: str, tmp_path: Path) -> Path:
    """The unit with its commands pointing at /bin/true (the real ones are installed under /opt)."""
    copy = tmp_path / unit
    copy.write_text((DEPLOY / unit).read_text().replace("/opt/newsarchive/.venv/bin/newsarchive", "/bin/true"))
    return copy


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", UNITS)
def test_units_verify_and_score_ok(unit: str, tmp_path: Path) -> None:
    copy = _with_true_exec(unit, tmp_path)
    verify = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and not verify.stderr.strip(), verify.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(copy)], capture_output=True,
                              text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", security.stdout + security.stderr)
    assert m is not None, security.stdout + security.stderr
    assert float(m[1]) <= 2.5 and m[2] == "OK", m[0]
