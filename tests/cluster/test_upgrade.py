"""The upgrade guard (one minor up, never down) and the ordered steps of an upgrade."""

from __future__ import annotations

import inspect

import pulumi_aws as aws
import pytest
from botocore.model import StringShape, StructureShape

from eks_platform.cluster.upgrade import (
    ADDON_TYPE,
    CLUSTER_TYPE,
    NODE_GROUP_TYPE,
    STRATEGIES,
    Action,
    AddonVersion,
    NodeGroupRollout,
    upgrade_path,
    upgrade_refusal,
    upgrade_steps,
)
from tests.aws_models import service_model


@pytest.mark.parametrize(("live", "desired"), [
    (None, "1.30"),  # no cluster yet: any version may be created
    ("1.34", "1.34"),
    ("1.33", "1.34"),
    ("1.9", "1.10"),  # compared as numbers, not strings
])
def test_allowed_moves(live: str | None, desired: str) -> None:
    assert upgrade_refusal(live, desired) is None


def test_two_minors_up_is_refused_with_both_versions_and_the_next_step() -> None:
    assert upgrade_refusal("1.32", "1.34") == (
        "the cluster runs Kubernetes 1.32 and the stack asks for 1.34: EKS upgrades one minor "
        "version at a time. Set kubernetesVersion to 1.33 and apply, then continue one minor at "
        "a time (1.32 -> 1.33 -> 1.34)")


def test_downgrade_is_refused() -> None:
    assert upgrade_refusal("1.34", "1.33") == (
        "the cluster runs Kubernetes 1.34 and the stack asks for 1.33: EKS cannot downgrade a "
        "cluster. Keep kubernetesVersion at 1.34, or set 1.35 to upgrade one minor version")


def test_major_jump_is_refused_without_a_made_up_path() -> None:
    message = upgrade_refusal("1.36", "2.0")
    assert message is not None
    assert message.endswith("Set kubernetesVersion to 1.37 and apply, then continue one minor "
                            "at a time")


def test_upgrade_path() -> None:
    assert upgrade_path("1.31", "1.33") == ["1.31", "1.32", "1.33"]
    with pytest.raises(ValueError, match=r"no upgrade path from 1\.33 to 1\.31"):
        upgrade_path("1.33", "1.31")


ADDONS = [
    AddonVersion("vpc-cni"),
    AddonVersion("coredns", "latest"),
    AddonVersion("kube-proxy", "v1.33.3-eksbuild.6"),
    AddonVersion("eks-pod-identity-agent"),
]
GROUPS = [NodeGroupRollout("system", max_unavailable=2),
          NodeGroupRollout("gpu", None, 25, "MINIMAL")]


def test_steps_run_control_plane_addons_node_groups_then_coredns() -> None:
    steps = upgrade_steps("1.33", "1.34", ADDONS, GROUPS)
    assert [(s.resource, s.action) for s in steps] == [
        ("cluster", Action.UPDATE),
        ("add-on vpc-cni", Action.UPDATE),
        ("add-on kube-proxy", Action.UNCHANGED),
        ("add-on eks-pod-identity-agent", Action.UPDATE),
        ("node group system", Action.UPDATE),
        ("node group gpu", Action.UPDATE),
        ("add-on coredns", Action.UPDATE),
    ]
    assert not [s for s in steps if s.action is Action.REPLACE]
    assert steps[0].change == "version 1.33 -> 1.34"
    assert steps[1].change == "default: EKS's default build for 1.33 -> for 1.34"
    assert steps[-1].change == "latest: the newest build for 1.33 -> for 1.34"
    assert steps[-1].why.startswith("UpdateAddon after the node groups")
    assert steps[2].why == (
        "pinned: check that v1.33.3-eksbuild.6 supports Kubernetes 1.34 (aws eks "
        "describe-addon-versions --addon-name kube-proxy --kubernetes-version 1.34)")
    assert steps[4].change == "version 1.33 -> 1.34, at most 2 nodes unavailable at a time"
    assert steps[5].change == "version 1.33 -> 1.34, at most 25% of nodes unavailable at a time"
    assert "terminates old nodes before it launches new ones" in steps[5].why
    assert [s.type_token for s in steps] == [
        CLUSTER_TYPE, ADDON_TYPE, ADDON_TYPE, ADDON_TYPE, NODE_GROUP_TYPE, NODE_GROUP_TYPE,
        ADDON_TYPE]


def test_no_steps_without_a_version_change_and_none_past_the_guard() -> None:
    assert upgrade_steps("1.34", "1.34", ADDONS, GROUPS) == []
    with pytest.raises(ValueError, match="EKS upgrades one minor version at a time"):
        upgrade_steps("1.32", "1.34", ADDONS, GROUPS)


def test_type_tokens_are_the_providers() -> None:
    for token, resource in ((CLUSTER_TYPE, aws.eks.Cluster), (ADDON_TYPE, aws.eks.Addon),
                            (NODE_GROUP_TYPE, aws.eks.NodeGroup)):
        assert f"'{token}'" in inspect.getsource(resource)


def test_update_strategies_and_max_unavailable_follow_the_eks_model() -> None:
    shape = service_model("eks").shape_for(
        "NodegroupUpdateConfig")
    assert isinstance(shape, StructureShape)
    strategy = shape.members["updateStrategy"]
    assert isinstance(strategy, StringShape)
    assert sorted(STRATEGIES) == sorted(strategy.enum)
    with pytest.raises(ValueError, match="set exactly one of max_unavailable"):
        NodeGroupRollout("both", max_unavailable=1, max_unavailable_percentage=10)
    with pytest.raises(ValueError, match="set exactly one of max_unavailable"):
        NodeGroupRollout("neither", max_unavailable=None)
    with pytest.raises(ValueError, match="update_strategy 'FAST' is not one of DEFAULT, MINIMAL"):
        NodeGroupRollout("fast", update_strategy="FAST")
