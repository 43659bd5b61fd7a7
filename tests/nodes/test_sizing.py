"""Sizes that apply and SPOT types compared as a set (`nodes.resolver`), and the running
group read at preview (`nodes.live_group`)."""

from __future__ import annotations

import pytest

from eks_platform import EksAddon, EksAddonArgs, ManagedNodeGroup, ManagedNodeGroupArgs
from eks_platform.nodes.maxpods import GroupSize
from eks_platform.nodes.resolver import deploy_desired_size, instance_types_input
from eks_platform.tools.synth import LiveGroupState, LiveState, synthesize
from tests.clusters import demo_cluster

SUFFIX = "a" * 26  # EKS names a group `<prefix><26-character unique suffix>`


@pytest.mark.parametrize(("scaled_by", "live", "expected"), [
    ("stack", None, (4, False)),             # the stack owns it: applied
    ("stack", 9, (4, False)),                # ... whatever runs
    ("clusterAutoscaler", None, (4, True)),  # a new group starts at 4, then is left alone
    ("clusterAutoscaler", 6, (6, True)),     # in range: the autoscaler's value stays
    ("clusterAutoscaler", 1, (3, False)),    # below a raised minSize: lifted to it
    ("clusterAutoscaler", 12, (10, False)),  # above a lowered maxSize: brought down to it
])
def test_desired_size_at_deploy(scaled_by: str, live: int | None,
                                expected: tuple[int, bool]) -> None:
    assert deploy_desired_size(GroupSize(3, 4, 10), scaled_by, live) == expected


def test_spot_types_are_a_set_and_on_demand_types_a_priority() -> None:
    given = ["t3.large", "m5.large", "t3a.large"]
    assert instance_types_input("ON_DEMAND", given, None) == given
    assert instance_types_input("ON_DEMAND", given, ["m5.large"]) == given
    assert instance_types_input("SPOT", given, None) == ["m5.large", "t3.large", "t3a.large"]
    # A running group created in another order keeps it while the set is the same.
    assert instance_types_input("SPOT", given, ["t3a.large", "t3.large", "m5.large"]) == [
        "t3a.large", "t3.large", "m5.large"]
    assert instance_types_input("SPOT", given, ["t3.large", "m5.large"]) == [
        "m5.large", "t3.large", "t3a.large"]


def test_running_groups_keep_their_order_and_get_a_raised_minimum() -> None:
    def program() -> None:
        cluster = demo_cluster()
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
        ManagedNodeGroup("spot", ManagedNodeGroupArgs(
            cluster=cluster, name="spot", capacity_type="SPOT",
            instance_types=["m5.large", "t3.large"], min_size=1, max_size=5))
        ManagedNodeGroup("apps", ManagedNodeGroupArgs(
            cluster=cluster, name="apps", instance_types=["m5.large"], min_size=5,
            max_size=10, scaled_by="clusterAutoscaler"))

    live = LiveState(node_groups={"demo": {
        f"spot-{SUFFIX}": LiveGroupState(("t3.large", "m5.large"), 2, 1, 5),
        f"apps-{SUFFIX}": LiveGroupState(("m5.large",), 3, 2, 10)}})
    graph = synthesize(program, {"aws:region": "us-east-1"}, live_clusters={"demo": "1.34"},
                       live=live)
    spot = graph.one("aws:eks/nodeGroup:NodeGroup", "spot-ng")
    assert spot.inputs["instanceTypes"] == ["t3.large", "m5.large"]
    assert spot.inputs["scalingConfig"]["desiredSize"] == 1  # the stack owns it: minSize
    assert spot.ignore_changes == []
    apps = graph.one("aws:eks/nodeGroup:NodeGroup", "apps-ng")
    # The autoscaler had 3 nodes; minSize is now 5: desired goes to 5, applied.
    assert apps.inputs["scalingConfig"] == {"minSize": 5, "desiredSize": 5, "maxSize": 10}
    assert apps.ignore_changes == []
