"""Every stack's objects and requests by the rules of the system that receives them.

Over the three shipped stacks and the varied test stacks (`stacks/`): custom resources against
the vendored CRDs with CEL, Helm releases rendered and linted with their exact values, every AWS
create request against botocore's shapes, every policy with moto's validator. Each stack is
synthesized once per process; the session prints what was checked (`conftest.py`).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest

from eks_platform.tools.synth import Graph
from tests.conformance import graphs, summary
from tests.conftest import STACKS, stack_graph

ALL = [*STACKS, *(f"test:{name}" for name in graphs.VARIED)]
_SEEN: set[str] = set()


def graph(stack: str) -> Graph:
    if stack not in _SEEN:
        _SEEN.add(stack)
        summary.TALLY["stacks"] += 1
    if stack.startswith("test:"):
        return graphs.varied_graph(stack.removeprefix("test:"))
    return stack_graph(stack)


def test_at_least_six_varied_stacks() -> None:
    assert {"ipv6", "china", "govcloud", "existing-vpc", "fargate",
            "karpenter-bottlerocket"} <= set(graphs.VARIED)


@pytest.mark.parametrize("stack", ALL)
def test_custom_resources_pass_their_crds(stack: str) -> None:
    assert graphs.crd_problems(graph(stack)) == []


@pytest.mark.parametrize("stack", ALL)
def test_helm_releases_render_and_lint_clean(stack: str) -> None:
    assert graphs.helm_problems(graph(stack)) == []


@pytest.mark.parametrize("stack", ALL)
def test_aws_requests_fit_botocore_shapes(stack: str) -> None:
    problems, unmapped = graphs.request_problems(graph(stack))
    assert problems == []
    assert unmapped == [], "map these types in tests/conformance/requests.py"


@pytest.mark.parametrize("stack", ALL)
def test_policies_pass_moto_validator(stack: str) -> None:
    assert graphs.policy_problems(graph(stack)) == []


def _with(resource_type: str, **inputs: Any) -> Graph:
    """The dev graph with one resource of `resource_type` given other inputs (a copy)."""
    source = stack_graph("dev")
    resources = []
    done = False
    for r in source:
        if r.type == resource_type and not done and not r.name.endswith("-crd"):
            r = dataclasses.replace(r, inputs={**copy.deepcopy(r.inputs), **inputs})
            done = True
        resources.append(r)
    return Graph(resources)


def test_each_check_finds_a_broken_object() -> None:
    """The four checks are not vacuous: one broken input each is reported, naming it."""
    saved = summary.TALLY.copy()
    try:
        _broken_objects_are_found()
    finally:
        summary.TALLY.clear()
        summary.TALLY.update(saved)


def _broken_objects_are_found() -> None:
    pool = stack_graph("dev").of_type("kubernetes:karpenter.sh/v1:NodePool")[0].inputs
    spec = copy.deepcopy(pool["spec"])
    spec["template"]["metadata"] = {"labels": {"karpenter.sh/team": "a"}}
    assert any('label domain "karpenter.sh" is restricted' in p for p in graphs.crd_problems(
        _with("kubernetes:karpenter.sh/v1:NodePool", spec=spec)))
    release = stack_graph("dev").one("kubernetes:helm.sh/v3:Release", "eks-karpenter").inputs
    values = {**release["values"], "replica": 3}
    assert any("'replica'" in p for p in graphs.helm_problems(
        _with("kubernetes:helm.sh/v3:Release", values=values)))
    problems, _ = graphs.request_problems(
        _with("aws:eks/nodeGroup:NodeGroup", amiType="AL2_WINDOWS"))
    assert any("amiType" in p and "AL2_WINDOWS" in p for p in problems)
    assert any("Principal" in p or "principal" in p for p in graphs.policy_problems(
        _with("aws:iam/policy:Policy", policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                    "Resource": "*", "Principal": "*"}]}))))
