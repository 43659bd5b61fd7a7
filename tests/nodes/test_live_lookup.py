"""Instance types missing from the table: `aws.ec2.get_instance_type` at deploy time."""

from __future__ import annotations

from types import SimpleNamespace

import pulumi
import pytest

from eks_platform.nodes import maxpods
from eks_platform.nodes.maxpods.live import limits_from_get_instance_type
from eks_platform.nodes.nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
from eks_platform.tools.synth import synthesize
from tests.clusters import demo_cluster


def test_get_instance_type_result_maps_onto_limits() -> None:
    result = SimpleNamespace(
        instance_type="x9.large", default_network_card_index=1,
        network_cards=[SimpleNamespace(index=1, maximum_interfaces=7),
                       SimpleNamespace(index=0, maximum_interfaces=2)],
        maximum_network_interfaces=9, maximum_ipv4_addresses_per_interface=30,
        hypervisor="nitro", bare_metal=False, default_vcpus=64)
    limits = limits_from_get_instance_type(result)
    assert limits.enis_per_card == (2, 7)
    assert limits.default_card_enis == 7
    options = maxpods.MaxPodsOptions(cni_version="1.19.0", show_max_allowed=True)
    assert maxpods.max_pods_for(limits, options) == 7 * 29 + 2


def test_node_group_asks_ec2_for_types_the_table_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the table lacks c5.xlarge: its max pods must come from the data source (which
    the mocks answer with EC2's real figures), and the group still takes the minimum."""
    real_is_known = maxpods.is_known
    monkeypatch.setattr(maxpods, "is_known",
                        lambda t: t != "c5.xlarge" and real_is_known(t))

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        group = ManagedNodeGroup("live", ManagedNodeGroupArgs(
            cluster=cluster, name="live", instance_types=["c5.xlarge", "m5.4xlarge"],
            live_instance_type_lookup=True))
        pulumi.export("maxPods", group.max_pods)

    graph = synthesize(program, {"aws:region": "us-east-1"})
    # eni-max-pods.txt: c5.xlarge 58, m5.4xlarge 234; a mixed group gets the smaller.
    assert graph.outputs["maxPods"] == 58
    lookups = [args["instanceType"] for token, args in graph.invokes
               if token == "aws:ec2/getInstanceType:getInstanceType"]
    assert lookups == ["c5.xlarge"]
