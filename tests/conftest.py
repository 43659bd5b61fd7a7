"""Shared fixtures: every shipped example stack synthesized once per session under recording
mocks. The tests hold the stacks the package ships, by name, never whatever other stack files
a user adds next to them (`qa`, `prod-eu`, ...): those are checked by `plan`, not by this suite."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from eks_platform.cluster.judgment_day import ENV_VAR
from eks_platform.stack import PlatformSettings, parse, read_stack_file
from eks_platform.tools.synth import Graph, synthesize_program

# The conformance tests' tally, printed at the end of every run (here, so that the xdist
# controller, which loads no sub-folder conftest, has the hooks).
from tests.conformance.summary import (  # noqa: F401
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

ROOT = Path(__file__).resolve().parent.parent
#: The example stacks the package ships (`stacks/Pulumi.<name>.yaml`). Shipping one more is one
#: more name here.
STACKS = ["dev", "staging", "prod", "automode"]
#: Shipped stacks that hold every prod-like control (`plan --policy strict` passes); the others
#: make the lighter choices docs/security.md explains.
PROD_LIKE = frozenset({"staging", "prod"})
#: Every version judgment in the tests is made on this day (the calendar snapshot's), so no
#: test changes its answer because the clock moved. Subprocesses inherit it.
JUDGMENT_DAY = "2026-11-27"
#: Max pods of every node group of the shipped stacks, as AWS's max-pods-calculator.sh gives
#: them, worked out by hand and independent of the package's formula. With secondary IPs they
#: are `eni-max-pods.txt`'s (t3.large 35, m5.large 29, m6i.large 29, m5.xlarge 58, m6i.xlarge
#: 58, m5.2xlarge 58); with prefix delegation `ENIs * (IPs - 1) * 16 + 2` is far above the cap
#: (m5.large: 3 * 9 * 16 + 2 = 434), so the calculator prints 110 (<= 30 vCPUs).
CALCULATOR_MAX_PODS: dict[str, dict[str, int]] = {
    "dev": {"general": 110, "system": 110},          # prefix delegation
    "staging": {"bottlerocket": 58},                  # secondary IPs: m6i.xlarge, m5.xlarge
    "prod": {"system": 110, "workers": 110},          # prefix delegation
    "automode": {},                                   # no node groups: all EKS Auto Mode
}
#: The same groups with secondary IPs only (the minimum of `eni-max-pods.txt` over the types).
SECONDARY_IP_MAX_PODS: dict[str, dict[str, int]] = {
    "dev": {"general": 29, "system": 35},
    "staging": {"bottlerocket": 58},
    "prod": {"system": 29, "workers": 58},
    "automode": {},
}


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
