"""Taint effects in either spelling, in node groups and Karpenter pools: the EKS API's
(botocore EKS `TaintEffect`: NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE) and Kubernetes'
(core/v1 Taint and Karpenter's NodePool CRD: NoSchedule, NoExecute, PreferNoSchedule), each
sent to its API in that API's own spelling."""

from __future__ import annotations

import pytest

from eks_platform.karpenter.settings import PoolTaintSettings
from eks_platform.stack import SettingsError, TaintSettings, parse

PAIRS = [("NO_SCHEDULE", "NoSchedule"), ("NO_EXECUTE", "NoExecute"),
         ("PREFER_NO_SCHEDULE", "PreferNoSchedule")]


@pytest.mark.parametrize(("eks", "kubernetes"), PAIRS)
def test_node_groups_take_both_and_keep_the_eks_spelling(eks: str, kubernetes: str) -> None:
    assert TaintSettings(key="team", effect=kubernetes).effect == eks
    assert TaintSettings(key="team", effect=eks).effect == eks


@pytest.mark.parametrize(("eks", "kubernetes"), PAIRS)
def test_pools_take_both_and_keep_the_kubernetes_spelling(eks: str, kubernetes: str) -> None:
    assert PoolTaintSettings(key="team", effect=eks).effect == kubernetes
    assert PoolTaintSettings(key="team", effect=kubernetes).effect == kubernetes


def test_a_stack_file_may_write_either_everywhere() -> None:
    settings = parse({
        "aws:region": "us-west-2",
        "eks-platform:endpoint": {"privateAccessCidrs": ["10.0.0.0/16"]},
        "eks-platform:nodeGroups": [{"name": "system", "instanceTypes": ["m5.large"],
                                     "labels": {"role": "system"}, "minSize": 2,
                                     "taints": [{"key": "CriticalAddonsOnly",
                                                 "effect": "NoSchedule"}]}],
        "eks-platform:karpenter": {"enabled": True, "systemNodeGroup": "system", "nodePools": [
            {"name": "batch", "instanceFamilies": ["m5"],
             "taints": [{"key": "batch", "effect": "NO_EXECUTE"}]}]},
    }, "test")
    assert settings.node_groups[0].taints[0].effect == "NO_SCHEDULE"
    assert settings.karpenter.node_pools[0].taints[0].effect == "NoExecute"


def test_other_spellings_are_still_refused() -> None:
    with pytest.raises(SettingsError) as info:
        parse({"aws:region": "us-west-2", "eks-platform:nodeGroups": [
            {"name": "a", "instanceTypes": ["m5.large"],
             "taints": [{"key": "k", "effect": "no_schedule"}]}]}, "test")
    (problem,) = info.value.problems
    assert problem.startswith('eks-platform:nodeGroups[0].taints[0].effect = "no_schedule": ')
    assert "NO_SCHEDULE" in problem
