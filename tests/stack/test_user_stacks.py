"""A user's stacks are the user's: following "Add an environment" (copy dev to `qa`, prod to
another Region) in a copy of the project, the new stacks plan, and the package's stack tests
still hold exactly the shipped stacks (`tests.conftest.STACKS`), never the new files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eks_platform.tools.cli import main
from tests.conftest import ROOT, STACKS


def _project(tmp_path: Path) -> Path:
    """A copy of the project (program, stacks, tests) with two stacks of the user's own."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "stacks", project / "stacks")
    shutil.copytree(ROOT / "tests", project / "tests",
                    ignore=shutil.ignore_patterns("__pycache__"))
    stacks = project / "stacks"
    shutil.copy(stacks / "Pulumi.dev.yaml", stacks / "Pulumi.qa.yaml")
    prod = yaml.safe_load((stacks / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    config = prod["config"]
    # Another Region: the Region itself and the cluster name (unique per account and Region
    # is enough, but a team keeps them apart); zones are chosen by count, the add-on images
    # come from the Region's own ECR registry, so nothing else names us-east-1.
    assert "us-east-1" not in yaml.safe_dump({k: v for k, v in config.items()
                                              if k != "aws:region"})
    config["aws:region"] = "eu-west-1"
    config["eks-platform:clusterName"] = "platform-prod-eu"
    (stacks / "Pulumi.prod-eu.yaml").write_text(yaml.safe_dump(prod), encoding="utf-8")
    return project


def test_new_stacks_plan_and_hold_the_strict_policy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "--project", str(project), "--stack", "prod-eu",
                 "--policy", "strict", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["policy"] == {"name": "strict", "notHeld": []}
    assert document["outputs"]["region"] == "eu-west-1"
    zones = {r["inputs"]["availabilityZone"] for r in document["resources"]
             if r["type"] == "aws:ec2/subnet:Subnet"}
    assert zones == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}
    assert "us-east-1" not in json.dumps(document)
    assert main(["plan", "--project", str(project), "--stack", "qa", "--format", "json"]) == 0
    assert '"stack": "qa"' in capsys.readouterr().out


def test_stack_tests_collect_only_the_shipped_stacks(tmp_path: Path) -> None:
    project = _project(tmp_path)
    stack_modules = sorted(
        str(path.relative_to(project)) for path in (project / "tests").rglob("test_*.py")
        if re.search(r"\bSTACKS\b|\(stack: str|stack_graph|stack_settings",
                     path.read_text(encoding="utf-8")))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", "-p", "no:cacheprovider",
         *stack_modules],
        cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    assert len(ids) > 100
    assert not [i for i in ids if re.search(r"[\[-](qa|prod-eu)[\]-]", i)]
    assert {s for s in STACKS if any(f"[{s}]" in i for i in ids)} == set(STACKS)
