"""Every command answers `--help` with its usage and changes nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

COMMANDS = [
    [sys.executable, "-m", "eks_platform.tools.site", "--help"],
    [sys.executable, "-m", "eks_platform.tools.docs", "--help"],
    [sys.executable, "-m", "eks_platform", "max-pods", "--help"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=["site", "docs", "max-pods"])
def test_help_prints_usage_and_writes_nothing(command: list[str]) -> None:
    readme = (ROOT / "README.md").read_bytes()
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ")
    assert "# Configuration reference" not in result.stdout
    assert (ROOT / "README.md").read_bytes() == readme


def test_max_pods_help_names_the_default_cni_version() -> None:
    result = subprocess.run([sys.executable, "-m", "eks_platform", "max-pods", "--help"],
                            capture_output=True, text=True, check=True)
    assert "default 1.18.0" in " ".join(result.stdout.split())
