"""The one node-group resolver: DaemonSets counted one way, every problem at once, and the
same answer for a stack file and a library program with the same settings.

Expected max pods are AWS's: `eni-max-pods.txt` gives m5.large 29 and t3.small 11 (secondary
IPs); with prefix delegation the calculator gives m5.large 3 ENIs * (10-1) * 16 + 2 = 434,
capped at 110 for 2 vCPUs.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from eks_platform import (
    AddonSettings,
    CniSettings,
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    EksPlatform,
    EksPlatformArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    SettingsError,
    parse,
)
from eks_platform.addons.settings import AddonsSettings, OptionalAddonSettings
from eks_platform.nodes import maxpods
from eks_platform.nodes.resolver import node_daemon_sets, resolve_group
from eks_platform.nodes.settings import NodeGroupSettings
from eks_platform.tools.synth import Graph, synthesize
from tests.clusters import SUBNETS

GROUP = {"name": "apps", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 10,
         "targetPods": 101}
#: A stack on existing subnets whose nodes run four DaemonSets: aws-node, kube-proxy, the pod
#: identity agent (the CNI uses Pod Identity) and the EBS CSI node plugin.
STACK: dict[str, Any] = {
    "aws:region": "us-west-2",
    "eks-platform:kubernetesVersion": "1.34",
    "eks-platform:clusterName": "demo",
    "eks-platform:subnetIds": SUBNETS,
    "eks-platform:cni": {"iam": "podIdentity"},
    "eks-platform:addons": {"ebsCsiDriver": {"enabled": True}},
    "eks-platform:nodeGroups": [GROUP],
}


def test_node_daemon_sets_are_named_once() -> None:
    assert node_daemon_sets(pod_identity_agent=False, ebs_csi_driver=False) == (
        "aws-node", "kube-proxy")
    assert node_daemon_sets(pod_identity_agent=True, ebs_csi_driver=True) == (
        "aws-node", "kube-proxy", "eks-pod-identity-agent", "ebs-csi-node")


def _stack_program() -> None:
    EksPlatform("eks", EksPlatformArgs(settings=parse(STACK, "Pulumi.t.yaml"), stack="t"))


def _library_program() -> None:
    cluster = EksCluster("eks", EksClusterArgs(
        name="demo", region="us-west-2", kubernetes_version="1.34", subnet_ids=SUBNETS,
        cni=CniSettings(iam="podIdentity"),
        addons=AddonsSettings(ebs_csi_driver=OptionalAddonSettings(enabled=True))))
    EksAddon("agent", EksAddonArgs(cluster=cluster, addon_name="eks-pod-identity-agent"))
    EksAddon("cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
    EksAddon("proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
    ManagedNodeGroup("apps", ManagedNodeGroupArgs(cluster=cluster, name="apps",
                                                  instance_types=["m5.large"], min_size=1,
                                                  max_size=10, target_pods=101))


def _group_facts(graph: Graph) -> tuple[int, str]:
    """(desired size, `--max-pods` of the user data) of the one node group."""
    desired = graph.one("aws:eks/nodeGroup:NodeGroup").inputs["scalingConfig"]["desiredSize"]
    user_data = base64.b64decode(
        graph.one("aws:ec2/launchTemplate:LaunchTemplate").inputs["userData"]).decode()
    return desired, "maxPods: 29" if "maxPods: 29" in user_data else user_data


def test_stack_and_library_count_the_same_daemon_sets_and_max_pods() -> None:
    settings = parse(STACK, "Pulumi.t.yaml")
    assert settings.daemon_set_pods_for(settings.node_groups[0]) == 4
    # 29 max pods - 4 DaemonSet pods = 25 per node: 101 pods need ceil(101 / 25) = 5 nodes
    # (with 3 DaemonSets, 26 per node, it would be 4).
    stack = _group_facts(synthesize(_stack_program, {"aws:region": "us-west-2"}))
    library = _group_facts(synthesize(_library_program, {"aws:region": "us-west-2"}))
    assert stack == library == (5, "maxPods: 29")


def test_every_problem_of_a_group_is_reported_at_once() -> None:
    # t3.small: 11 max pods; a Bottlerocket NVIDIA AMI does not fit it, and 11 - 4 = 7 pods
    # per node cannot hold 100 pods on 2 nodes.
    config = {**STACK, "eks-platform:nodeGroups": [
        {"name": "apps", "instanceTypes": ["t3.small"], "amiType": "BOTTLEROCKET_x86_64_NVIDIA",
         "minSize": 1, "maxSize": 2, "targetPods": 100}]}
    with pytest.raises(SettingsError) as info:
        parse(config, "Pulumi.t.yaml")
    lines = str(info.value).splitlines()[1:]
    assert [line.split(" = ")[0].strip() for line in lines] == [
        "eks-platform:nodeGroups[0].amiType", "eks-platform:nodeGroups[0].targetPods"]
    assert "needs 15 nodes of 7 workload pods each" in lines[1]


def test_a_group_is_resolved_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from eks_platform.nodes import resolver

    calls: list[str] = []
    real = resolver._resolve

    def counting(group: NodeGroupSettings, *args: Any) -> Any:
        calls.append(group.name)
        return real(group, *args)

    monkeypatch.setattr(resolver, "_resolve", counting)
    monkeypatch.setattr(resolver, "_resolved", {})
    synthesize(_stack_program, {"aws:region": "us-west-2"})
    assert calls == ["apps"]


def test_prefix_delegation_reaches_the_resolved_group() -> None:
    group = NodeGroupSettings(name="apps", instance_types=["m5.large"], min_size=1, max_size=3)
    options = CniSettings(prefix_delegation=True).max_pods_options("v1.19.2-eksbuild.1")
    resolved = resolve_group(group, [maxpods.lookup("m5.large")], options, 2)
    assert (resolved.max_pods, resolved.ami_type, resolved.vcpus) == (
        110, "AL2023_x86_64_STANDARD", frozenset({2}))


def test_an_addon_setting_is_one_model_for_stack_and_library() -> None:
    assert EksClusterArgs.model_fields["addons"].annotation is AddonsSettings
    assert AddonsSettings.model_fields["vpc_cni"].annotation == AddonSettings | None
