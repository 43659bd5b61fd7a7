"""The examples run under the same recording mocks as the platform's stacks."""

from __future__ import annotations

from functools import cache

from eks_platform.tools.synth import Graph, synthesize_program
from tests.conftest import ROOT, stack_graph


@cache
def example(name: str) -> Graph:
    folder = ROOT / "examples" / name
    return synthesize_program(folder / "__main__.py", folder / "Pulumi.dev.yaml")


def addon(graph: Graph, name: str) -> object:
    return next(r for r in graph.of_type("aws:eks/addon:Addon")
                if r.inputs["addonName"] == name)


def test_compose_builds_a_cluster_on_the_given_subnets() -> None:
    graph = example("compose")
    cluster = graph.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["subnetIds"] == [
        "subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert graph.one("aws:eks/accessEntry:AccessEntry").inputs["principalArn"].endswith(
        ":role/team-admins")


def test_compose_keeps_the_deploy_order() -> None:
    graph = example("compose")
    vpc_cni, kube_proxy, coredns = (next(
        r for r in graph.of_type("aws:eks/addon:Addon") if r.inputs["addonName"] == n)
        for n in ("vpc-cni", "kube-proxy", "coredns"))
    groups = graph.of_type("aws:eks/nodeGroup:NodeGroup")
    assert len(groups) == 2
    for group in groups:
        assert graph.depends_on(group, vpc_cni) and graph.depends_on(group, kube_proxy)
        assert graph.depends_on(coredns, group)
    assert not graph.depends_on(vpc_cni, kube_proxy)


def test_compose_max_pods_follow_its_cni_declaration() -> None:
    graph = example("compose")
    # Prefix delegation: c5.xlarge 4 ENIs * 14 * 16 + 2 and m6g.large 3 * 9 * 16 + 2 are far
    # above the calculator's cap, 110 for nodes of at most 30 vCPUs.
    assert graph.outputs["maxPods"] == {"apps": 110, "arm": 110}
    assert '"ENABLE_PREFIX_DELEGATION":"true"' in next(
        r for r in graph.of_type("aws:eks/addon:Addon")
        if r.inputs["addonName"] == "vpc-cni").inputs["configurationValues"]


def test_compose_arm_group_is_bottlerocket_and_tainted() -> None:
    arm = next(g for g in example("compose").of_type("aws:eks/nodeGroup:NodeGroup")
               if g.inputs["nodeGroupNamePrefix"] == "arm-")
    assert arm.inputs["amiType"] == "BOTTLEROCKET_ARM_64"
    assert arm.inputs["taints"] == [{"key": "arch", "value": "arm64", "effect": "NO_SCHEDULE"}]


def test_compose_is_at_most_40_lines_of_code_importing_only_eks_platform() -> None:
    source = (ROOT / "examples" / "compose" / "__main__.py").read_text()
    body = source.split('"""', 2)[2]
    code = [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
    assert len(code) <= 40, len(code)
    imports = [line for line in code if line.startswith(("import ", "from "))]
    assert imports == ["import pulumi", "from eks_platform import ("]


def test_consumer_deploys_through_the_platforms_kubeconfig() -> None:
    graph = example("consumer")
    provider = graph.one("pulumi:providers:kubernetes")
    from pulumi.runtime import rpc

    kubeconfig = provider.inputs["kubeconfig"]
    assert kubeconfig[rpc._special_sig_key] == rpc._special_secret_sig  # still a secret
    assert kubeconfig["value"] == stack_graph("dev").outputs["kubeconfig"]
    namespace = graph.one("kubernetes:core/v1:Namespace")
    assert namespace.provider.startswith(provider.urn)
    assert namespace.inputs["metadata"]["name"] == "payments"
    quota = graph.one("kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"]["hard"]["pods"] == "200"
    assert graph.outputs["cluster"] == stack_graph("dev").outputs["clusterName"]
