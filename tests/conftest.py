"""Shared fixtures: every stack file synthesized once per session under recording mocks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from eks_platform.cluster.judgment_day import ENV_VAR
from eks_platform.stack import PlatformSettings, parse, read_stack_file
from eks_platform.tools.synth import Graph, synthesize_program

ROOT = Path(__file__).resolve().parent.parent
STACK_FILES = sorted((ROOT / "stacks").glob("Pulumi.*.yaml"))
STACKS = [f.name.removeprefix("Pulumi.").removesuffix(".yaml") for f in STACK_FILES]
#: Every version judgment in the tests is made on this day (the calendar snapshot's), so no
#: test changes its answer because the clock moved. Subprocesses inherit it.
JUDGMENT_DAY = "2026-11-27"


@pytest.fixture(autouse=True)
def _judgment_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, JUDGMENT_DAY)


@cache
def stack_graph(stack: str) -> Graph:
    return synthesize_program(ROOT / "__main__.py", ROOT / "stacks" / f"Pulumi.{stack}.yaml")


@cache
def stack_settings(stack: str) -> PlatformSettings:
    path = ROOT / "stacks" / f"Pulumi.{stack}.yaml"
    return parse(read_stack_file(path), str(path))


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name
