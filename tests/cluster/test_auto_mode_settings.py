"""Auto Mode, tiers, hybrid nodes and add-on namespaces in a stack file: every refusal is one
message naming the key. Expected words are the EKS guide's and botocore's, written out."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eks_platform.cluster.auto_mode_guard import auto_mode_change_problems
from eks_platform.stack import SettingsError, parse, read_stack_file
from tests.conftest import ROOT

SOURCE = "stacks/Pulumi.automode.yaml"
AUTO: dict[str, Any] = read_stack_file(ROOT / SOURCE)
GROUP = {"name": "system", "instanceTypes": ["m5.large"], "minSize": 2, "maxSize": 3,
         "labels": {"node-role": "system"}}


def config(**changes: Any) -> dict[str, Any]:
    """The automode stack file with `eks-platform:<key>` set (None: removed)."""
    result = copy.deepcopy(AUTO)
    for key, value in changes.items():
        name = f"eks-platform:{key}"
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def auto_mode(**fields: Any) -> dict[str, Any]:
    return {**AUTO["eks-platform:autoMode"], **fields}


def error_for(settings: dict[str, Any]) -> str:
    with pytest.raises(SettingsError) as info:
        parse(settings, SOURCE)
    problems = info.value.problems
    assert len(problems) == 1, problems
    return problems[0]


def test_the_shipped_stack_is_valid_and_all_auto_mode() -> None:
    settings = parse(AUTO, SOURCE)
    assert settings.auto_mode_on and settings.all_auto_mode
    assert settings.auto_mode is not None
    assert settings.auto_mode.built_in_node_pools == ["system", "general-purpose"]


@pytest.mark.parametrize(("changes", "key", "words"), [
    ({"karpenter": {"enabled": True}, "nodeGroups": [GROUP]}, "eks-platform:karpenter.enabled",
     "unless autoMode.migratingFromKarpenter: true"),
    ({"cni": {"mode": "helm"}}, "eks-platform:cni.mode", "the Helm VPC CNI is refused"),
    ({"cni": {"prefixDelegation": True}}, "eks-platform:cni.prefixDelegation",
     "VPC CNI settings do not apply to EKS Auto Mode's own networking"),
    ({"addons": {"vpcCni": {"version": "default"}}}, "eks-platform:addons.vpcCni",
     "the vpc-cni add-on is refused"),
    ({"addons": {"kubeProxy": {"mode": "ipvs"}}}, "eks-platform:addons.kubeProxy",
     "addons.kubeProxy is refused"),
    ({"addons": {"podIdentityAgent": {"enabled": True}}},
     "eks-platform:addons.podIdentityAgent", "addons.podIdentityAgent is refused"),
    ({"addons": {"ebsCsiDriver": {"enabled": True}}}, "eks-platform:addons.ebsCsiDriver",
     "addons.ebsCsiDriver is refused"),
    ({"autoMode": auto_mode(builtInNodePools=["sytem"])},
     "eks-platform:autoMode.builtInNodePools[0]", "did you mean 'system'?"),
    ({"autoMode": auto_mode(builtInNodePools=["System"])},
     "eks-platform:autoMode.builtInNodePools[0]", "(case-sensitive) (did you mean 'system'?)"),
    ({"controlPlaneTier": "tier-16xl"}, "eks-platform:controlPlaneTier",
     "'standard', 'tier-xl', 'tier-2xl', 'tier-4xl' or 'tier-8xl'"),
    ({"hybridNodes": {"remoteNodeNetworks": ["100.64.0.0/16"]}},
     "eks-platform:hybridNodes.remoteNodeNetworks",
     "outside the RFC 1918 ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"),
    ({"hybridNodes": {"remoteNodeNetworks": ["fd00::/64"]}},
     "eks-platform:hybridNodes.remoteNodeNetworks", "is IPv6; hybrid nodes are IPv4 only"),
    # The stack's VPC is 10.30.0.0/16 (stacks/Pulumi.automode.yaml).
    ({"hybridNodes": {"remoteNodeNetworks": ["10.30.128.0/20"]}}, "eks-platform:hybridNodes",
     "overlaps the VPC CIDR 10.30.0.0/16"),
    # A VPC in 10/8 gets the service CIDR 172.20.0.0/16 (botocore serviceIpv4Cidr docs).
    ({"hybridNodes": {"remoteNodeNetworks": ["192.168.0.0/16"],
                      "remotePodNetworks": ["172.20.0.0/24"]}}, "eks-platform:hybridNodes",
     "remote pod CIDR 172.20.0.0/24 overlaps the service CIDR 172.20.0.0/16"),
    ({"hybridNodes": {"remoteNodeNetworks": ["192.168.0.0/16"]}, "ipFamily": "ipv6",
      "vpc": None, "subnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]},
     "eks-platform:hybridNodes", "hybrid nodes need an IPv4 cluster"),
    ({"autoMode": auto_mode(nodePools=[{"name": "tiny", "instanceTypes": ["t3.micro"]}])},
     "eks-platform:autoMode.nodePools[0]", "Auto Mode never launches t3.micro"),
    ({"autoMode": auto_mode(nodePools=[{"name": "b", "instanceTypes": ["m5.large"],
                                        "amiFamily": "bottlerocket"}])},
     "eks-platform:autoMode.nodePools[0].amiFamily", "Karpenter's EC2NodeClass setting"),
    ({"nodeGroups": [GROUP], "addons": {"vpcCni": {"version": "v1.18.6-eksbuild.1"}}},
     "eks-platform:addons.vpcCni.version",
     "enabling EKS Auto Mode needs vpc-cni >= v1.19.0-eksbuild.1"),
    ({"bootstrapSelfManagedAddons": True}, "eks-platform:bootstrapSelfManagedAddons",
     "created with bootstrapSelfManagedAddons: false"),
    ({"addons": {"coredns": {"namespace": "dns"}}, "nodeGroups": [GROUP]},
     "eks-platform:addons.coredns.namespace", "coredns stays in kube-system"),
    ({"addons": {"ebsCsiDriver": {"enabled": True, "namespace": "Storage_NS"}},
      "nodeGroups": [GROUP]}, "eks-platform:addons.ebsCsiDriver.namespace",
     "is not an RFC 1123 DNS label"),
])
def test_refusals_name_the_key(changes: dict[str, Any], key: str, words: str) -> None:
    message = error_for(config(**changes))
    assert message.startswith(key), message
    assert words in message


def test_karpenter_beside_auto_mode_with_a_declared_migration() -> None:
    settings = parse(config(karpenter={"enabled": True, "systemNodeGroup": "system"},
                            nodeGroups=[GROUP],
                            autoMode=auto_mode(migratingFromKarpenter=True)), SOURCE)
    assert settings.karpenter.enabled and settings.auto_mode_on
    assert not settings.all_auto_mode


def test_beside_managed_nodes_the_node_add_ons_may_be_configured() -> None:
    settings = parse(config(nodeGroups=[GROUP], cni={"prefixDelegation": True},
                            addons={"vpcCni": {"version": "v1.20.1-eksbuild.1"}}), SOURCE)
    assert settings.cni.prefix_delegation and not settings.all_auto_mode


def test_custom_pools_alone_keep_auto_mode_on_without_a_node_role() -> None:
    # terraform-aws-eks#3535: a "custom pools only" setup must not turn Auto Mode off.
    settings = parse(config(autoMode=auto_mode(builtInNodePools=[])), SOURCE)
    assert settings.auto_mode is not None and settings.auto_mode.enabled
    assert settings.auto_mode.node_pools


def test_tier_needs_kubernetes_1_28() -> None:
    # G_PCP: provisioned tiers need 1.28 or later; the calendar offers nothing older now, so
    # the rule is held on the pure function.
    from eks_platform.cluster.auto_mode import tier_problem
    assert tier_problem("tier-xl", "1.27") == (
        "provisioned control plane tiers need Kubernetes 1.28 or later, not 1.27")
    assert tier_problem("tier-xl", "1.28") is None


# --- turning it on and off on a running cluster (the guard's pure part) ----------------------

def test_turning_on_checks_the_guides_add_on_minimums() -> None:
    problems = auto_mode_change_problems(
        live_enabled=False, live_node_role_arn=None, enabled=True, node_role="r",
        kubernetes_version="1.31",
        installed={"vpc-cni": "v1.18.5-eksbuild.1", "kube-proxy": "v1.31.2-eksbuild.3",
                   "eks-pod-identity-agent": "v1.3.4-eksbuild.1"})
    assert problems == ["enabling EKS Auto Mode needs vpc-cni >= v1.19.0-eksbuild.1; the "
                        "cluster has v1.18.5-eksbuild.1"]


def test_a_node_role_change_is_refused_while_on() -> None:
    arn = "arn:aws:iam::123456789012:role/old-node-role"
    assert auto_mode_change_problems(
        live_enabled=True, live_node_role_arn=arn, enabled=True, node_role="old-node-role",
        kubernetes_version="1.35", installed={}) == []
    (problem,) = auto_mode_change_problems(
        live_enabled=True, live_node_role_arn=arn, enabled=True, node_role="new-node-role",
        kubernetes_version="1.35", installed={})
    assert problem.startswith("computeConfig.nodeRoleArn cannot change while Auto Mode is on")


def test_turning_off_sends_all_three_switches_false_with_no_node_pools() -> None:
    # automode/auto-disable.adoc; terraform-aws-eks#3273, pulumi-eks#1585.
    from eks_platform import AutoModeSettings
    from eks_platform.tools.synth import synthesize
    from tests.clusters import demo_cluster

    def program() -> None:
        demo_cluster(kubernetes_version="1.35", auto_mode=AutoModeSettings(enabled=False))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    inputs = graph.one("aws:eks/cluster:Cluster").inputs
    assert inputs["computeConfig"] == {"enabled": False, "nodePools": []}
    assert inputs["storageConfig"] == {"blockStorage": {"enabled": False}}
    assert inputs["kubernetesNetworkConfig"]["elasticLoadBalancing"] == {"enabled": False}
    role_names = [r.name for r in graph.of_type("aws:iam/role:Role")]
    assert role_names == ["demo-cluster"]  # no node role once off


def test_library_pools_get_the_stack_files_rules() -> None:
    from eks_platform import AutoModeNodePoolsArgs, AutoModeSettings, NodePoolSettings
    from eks_platform.tools.synth import synthesize
    from tests.clusters import demo_cluster

    def program() -> None:
        AutoModeNodePoolsArgs(
            cluster=demo_cluster(kubernetes_version="1.35",
                                 auto_mode=AutoModeSettings(enabled=True)),
            node_pools=[NodePoolSettings(name="b", instance_types=["m5.large"],
                                         ami_family="bottlerocket")])
    with pytest.raises(SettingsError, match=r"AutoModeNodePoolsArgs\.node_pools\[0\]\.ami_family"
                                            r" = \"bottlerocket\": amiFamily is Karpenter's"):
        synthesize(program, {"aws:region": "us-east-1"})


ALL_FIVE = {"vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver"}
HYBRID = {"remoteNodeNetworks": ["192.168.0.0/16"]}
FARGATE = [{"name": "jobs", "selectors": [{"namespace": "jobs"}]}]


@pytest.mark.parametrize(("changes", "kept"), [
    ({}, set()),
    ({"hybridNodes": HYBRID}, {"kube-proxy"}),  # hybrid-nodes-add-ons.adoc: kube-proxy there
    ({"hybridNodes": HYBRID, "addons": {"coredns": {"replicaCount": 2}}},
     {"kube-proxy", "coredns"}),
    ({"fargateProfiles": FARGATE}, {"coredns"}),
    ({"nodeGroups": [GROUP]}, ALL_FIVE),
])
def test_what_auto_mode_leaves_out(changes: dict[str, Any], kept: set[str]) -> None:
    settings = parse(config(**changes), SOURCE)
    assert ALL_FIVE - settings.left_out_addons == kept
