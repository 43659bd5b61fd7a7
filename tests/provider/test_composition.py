"""Each component through the provider builds what the Python API builds for the same
settings: a Helm-CNI cluster with add-ons, a node group, Fargate profiles and Karpenter,
composed once as a TypeScript program would (references between components) and once in
Python."""

from __future__ import annotations

from functools import cache
from typing import Any

import pulumi
from pulumi.resource import DependencyResource

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    Karpenter,
    KarpenterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
)
from eks_platform.addons.cni import CniSettings
from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs
from eks_platform.karpenter.settings import NodePoolSettings
from eks_platform.network.settings import EndpointSettings
from eks_platform.nodes.fargate import FargateProfiles, FargateProfilesArgs
from eks_platform.nodes.settings import FargateProfileSettings, FargateSelectorSettings
from eks_platform.provider import references
from eks_platform.tools.synth import Graph, synthesize
from tests.provider.test_construct import construct, run

SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
OFFICE = ["192.0.3.0/24"]
#: Something the cluster is given to wait for (`depends_on`): it must reach its resources.
GATE = "urn:pulumi:dev::eks-platform::aws:s3/bucket:Bucket::gate"


def gated() -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(depends_on=[DependencyResource(GATE)])


def ref(component: str, name: str) -> Any:
    """The component a TypeScript program holds and passes on (sent as a reference)."""
    return references._BY_NAME[(f"eks-platform:index:{component}", name)]


async def through_the_provider() -> None:
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("EksAddon", "c-pod-identity-agent", {"addonName": "eks-pod-identity-agent"}),
        ("SelfManagedVpcCni", "c-vpc-cni", {}),
        ("EksAddon", "c-kube-proxy", {"addonName": "kube-proxy"}),
        ("ManagedNodeGroup", "c-system", {
            "name": "system", "instanceTypes": ["t3.large"], "minSize": 2, "maxSize": 3,
            "labels": {"node-role": "system"}}),
        ("FargateProfiles", "c-fargate", {
            "profiles": [{"name": "batch", "selectors": [{"namespace": "batch"}]}]}),
    ]
    await construct("EksCluster", "c", lambda: {
        "name": "demo", "subnetIds": SUBNETS, "cni": {"mode": "helm"},
        "endpoint": {"publicAccess": True, "publicAccessCidrs": OFFICE}}, gated())()
    cluster = {"cluster": ref("EksCluster", "c")}
    for component, name, inputs in steps:
        await construct(component, name, lambda i=inputs: {**cluster, **i})()  # type: ignore[misc]
    await construct("Karpenter", "c-karpenter", lambda: {
        **cluster, "systemNodeGroup": ref("ManagedNodeGroup", "c-system"),
        "nodePools": [{"name": "general", "instanceFamilies": ["m5"],
                       "instanceSizes": ["large"]}]})()
    await construct("EksAddon", "c-coredns", lambda: {**cluster, "addonName": "coredns"})()


def in_python() -> None:
    cluster = EksCluster("c", EksClusterArgs(
        name="demo", region="us-west-2", subnet_ids=SUBNETS, cni=CniSettings(mode="helm"),
        endpoint=EndpointSettings(public_access=True, public_access_cidrs=OFFICE)), gated())
    EksAddon("c-pod-identity-agent", EksAddonArgs(cluster=cluster,
                                                  addon_name="eks-pod-identity-agent"))
    SelfManagedVpcCni("c-vpc-cni", SelfManagedVpcCniArgs(cluster=cluster))
    EksAddon("c-kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
    system = ManagedNodeGroup("c-system", ManagedNodeGroupArgs(
        cluster=cluster, name="system", instance_types=["t3.large"], min_size=2, max_size=3,
        labels={"node-role": "system"}))
    FargateProfiles("c-fargate", FargateProfilesArgs(cluster=cluster, profiles=[
        FargateProfileSettings(name="batch",
                               selectors=[FargateSelectorSettings(namespace="batch")])]))
    Karpenter("c-karpenter", KarpenterArgs(cluster=cluster, system_node_group=system, node_pools=[
        NodePoolSettings(name="general", instance_families=["m5"], instance_sizes=["large"])]))
    EksAddon("c-coredns", EksAddonArgs(cluster=cluster, addon_name="coredns"))


def custom(graph: Graph) -> dict[tuple[str, str], tuple[Any, list[str]]]:
    """Custom resources by (type, name): inputs and what they wait for, by name."""
    names = {r.urn: f"{r.type}::{r.name}" for r in graph.resources}
    return {(r.type, r.name): (r.inputs, sorted(names.get(u, u) for u in r.waits_for))
            for r in graph.resources if r.custom}


@cache
def graphs() -> tuple[Graph, Graph]:
    return run(through_the_provider), synthesize(in_python, {"aws:region": "us-west-2"})


def test_every_component_builds_the_python_apis_resources() -> None:
    ours, theirs = graphs()
    assert custom(ours) == custom(theirs)
    faces = {r.type.removeprefix("eks-platform:index:") for r in ours if ":index:" in r.type}
    assert faces == {"EksCluster", "EksAddon", "SelfManagedVpcCni", "ManagedNodeGroup",
                     "FargateProfiles", "Karpenter"}
    kinds = {r.type for r in theirs if r.custom}
    assert {"kubernetes:helm.sh/v3:Release", "aws:eks/fargateProfile:FargateProfile",
            "aws:sqs/queue:Queue", "aws:eks/nodeGroup:NodeGroup"} <= kinds


def test_references_carry_the_cluster_and_its_order() -> None:
    """The node group given the EksCluster by reference gets its name, subnets and CNI (it
    waits for the Helm release); the cluster's depends_on reaches the EKS cluster."""
    ours, _ = graphs()
    group = ours.one("aws:eks/nodeGroup:NodeGroup")
    assert group.inputs["clusterName"] == "demo"
    assert group.inputs["subnetIds"] == SUBNETS
    assert ours.one("kubernetes:helm.sh/v3:Release", "c-vpc-cni").urn in group.waits_for
    assert GATE in ours.one("aws:eks/cluster:Cluster").waits_for


def test_the_cluster_kubeconfig_is_a_secret_output() -> None:
    ours, _ = graphs()
    assert '"apiVersion": "v1"' in ours.outputs["c"]["kubeconfig"]
    assert "c" in ours.secret_outputs
