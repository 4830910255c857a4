"""Supply chain: ``requirements.lock`` pins the application's dependencies (runtime and the
PostgreSQL driver) with hashes, matches ``pyproject.toml``, and has no known vulnerability
according to ``pip-audit`` (PyPI's advisory data; the test needs the network and fails,
rather than skips, when it cannot reach it). Refresh the lock with ``scripts/lock-dependencies``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).parents[1]
LOCK = ROOT / "requirements.lock"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)", LOCK.read_text(), re.M)
    return {_normal(name): version for name, version in pins}


def direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["postgres"]
    return [Requirement(s) for s in specs]


def test_lock_pins_every_dependency_of_pyproject_within_its_range() -> None:
    pins = locked()
    assert len(pins) > 40
    for req in direct_requirements():
        name = _normal(req.name)
        assert name in pins, f"{req.name} is not locked: run scripts/lock-dependencies"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} in requirements.lock is outside {req.specifier}; "
            "run scripts/lock-dependencies"
        )


def test_every_pin_carries_hashes() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text())
    pinned = [b for b in blocks if "==" in b.split("\n", 1)[0]]
    assert pinned and all("--hash=sha256:" in b for b in pinned)


@pytest.mark.slow
def test_pip_audit_finds_no_known_vulnerability(tmp_path: Path) -> None:
    audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pip-audit"
    )
    assert audit, "pip-audit is not installed (it is in the test extra of pyproject.toml)"
    out = tmp_path / "audit.json"
    result = subprocess.run(
        [audit, "-r", str(LOCK), "--require-hashes", "--disable-pip",
         "--progress-spinner", "off", "-f", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if not out.exists():
        pytest.fail(
            "pip-audit could not check the lock (no network to PyPI's advisory data?):\n"
            + result.stderr[-2000:]
        )
    report = json.loads(out.read_text())
    found = {
        f"{d['name']}=={d['version']}": [v["id"] for v in d["vulns"]]
        for d in report["dependencies"]
        if d.get("vulns")
    }
    assert len(report["dependencies"]) == len(locked())
    assert found == {}, f"known vulnerabilities: {found}; upgrade and re-lock"
    assert result.returncode == 0, result.stderr[-2000:]
