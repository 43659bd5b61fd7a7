"""A user's stacks are the user's: following "Add an environment" (copy dev to `qa`, prod to
another Region) in a copy of the project, the new stacks plan, and the package's stack tests
still hold exactly the shipped stacks (`tests.conftest.STACKS`), never the new files."""

from __future__ import annotations

import ast
import json
import re
import shutil
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


def test_stack_tests_iterate_only_the_shipped_stacks() -> None:
    """The stack-dependent tests take their stacks from `tests.conftest.STACKS`, a literal list
    of names, and no test module lists the stacks folder: a user's `Pulumi.qa.yaml` is never
    collected. (Read from the sources: collecting the suite again in a subprocess costs more
    than the whole folder's tests.)"""
    conftest = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    literal = next(node.value for node in conftest.body
                   if isinstance(node, ast.Assign) and len(node.targets) == 1
                   and getattr(node.targets[0], "id", None) == "STACKS")
    assert ast.literal_eval(literal) == list(STACKS)
    listing = re.compile(r"\"stacks\"\)?\s*\.(iterdir|r?glob)")
    # test_cli lists the folder to check the CLI's own "available stacks" message.
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
                 if path.name not in ("test_user_stacks.py", "test_cli.py")
                 and listing.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    users = [path for path in (ROOT / "tests").rglob("test_*.py")
             if re.search(r"\(stack: str", path.read_text(encoding="utf-8"))]
    assert len(users) >= 5
