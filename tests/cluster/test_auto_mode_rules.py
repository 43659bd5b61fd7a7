"""Auto Mode, control-plane tier and hybrid nodes rules (cluster/auto_mode_rules.py,
auto_mode_nodeclass.py, tiers.py, hybrid_rules.py) with the guide's figures as literal
expectations; API paths checked against botocore's EKS model."""

from __future__ import annotations

import functools

import pytest

from eks_platform.cluster import auto_mode_nodeclass as nc
from eks_platform.cluster import auto_mode_rules as auto
from eks_platform.cluster import hybrid_rules as hybrid
from eks_platform.cluster import tiers
from eks_platform.facts import eks_api as api
from tests.facts.test_eks_api import input_shape, member

# Auto Mode -------------------------------------------------------------------------------------


def test_auto_mode_switches_go_together() -> None:
    assert auto.auto_mode_config_problems(
        compute=True, load_balancing=True, block_storage=True,
        node_pools=["general-purpose", "system"], node_role_arn="arn:aws:iam::1:role/n") == []
    assert auto.auto_mode_config_problems(compute=False, load_balancing=False,
                                       block_storage=False) == []
    assert auto.auto_mode_config_problems(compute=True, load_balancing=False, block_storage=True,
                                       ) == ["EKS Auto Mode's compute, load balancing and block "
                                             "storage capabilities must be enabled or disabled "
                                             "together"]
    for path in auto.AUTO_MODE_SWITCHES:
        member(input_shape("UpdateClusterConfig"), path)


def test_auto_mode_node_pools_and_node_role() -> None:
    on = functools.partial(
        auto.auto_mode_config_problems, compute=True, load_balancing=True, block_storage=True)
    # No built-in pools and no node role: custom NodeClasses only.
    assert on() == []
    assert on(node_pools=["system"]) == ["built-in node pools need computeConfig.nodeRoleArn"]
    assert on(node_role_arn="arn:aws:iam::1:role/n") == [
        "computeConfig.nodeRoleArn must be empty when no built-in node pool is enabled (give "
        "custom NodeClasses their role instead)"]
    assert on(node_pools=["gpu"], node_role_arn="arn:aws:iam::1:role/n") == [
        "unknown built-in node pool(s) gpu; EKS has system, general-purpose"]
    assert auto.auto_mode_config_problems(
        compute=False, load_balancing=False, block_storage=False, node_pools=["system"]) == [
        "nodePools must be empty when the compute capability is disabled"]


def test_built_in_node_pools() -> None:
    assert set(auto.BUILT_IN_NODE_POOLS) == {"system", "general-purpose"}
    assert auto.BUILT_IN_NODE_POOLS["system"].taint == "CriticalAddonsOnly"
    assert auto.BUILT_IN_NODE_POOLS["system"].architectures == ("amd64", "arm64")
    assert auto.BUILT_IN_NODE_POOLS["general-purpose"].architectures == ("amd64",)
    assert auto.DEFAULT_NODE_CLASS_NAME == "default"


def test_auto_mode_max_pods_caps_at_110() -> None:
    assert auto.auto_mode_max_pods(29) == 29
    assert auto.auto_mode_max_pods(110) == 110
    assert auto.auto_mode_max_pods(737) == 110
    with pytest.raises(ValueError, match="positive"):
        auto.auto_mode_max_pods(0)


def test_auto_mode_instance_size_rule() -> None:
    assert auto.auto_mode_may_launch("m5.large", 2)
    assert not auto.auto_mode_may_launch("t3.small", 2)
    assert not auto.auto_mode_may_launch("t3.micro", 2)
    assert not auto.auto_mode_may_launch("c5.xlarge", 1)


def test_node_class_and_node_pool_shape() -> None:
    assert (nc.NODE_CLASS_API_VERSION, nc.NODE_CLASS_KIND) == ("eks.amazonaws.com/v1", "NodeClass")
    assert (nc.NODE_CLASS_REF_GROUP, nc.NODE_CLASS_REF_KIND) == ("eks.amazonaws.com", "NodeClass")
    assert nc.NODE_POOL_API_VERSION == "karpenter.sh/v1"
    for name in ("role", "subnetSelectorTerms", "securityGroupSelectorTerms", "ephemeralStorage",
                 "networkPolicy", "podSubnetSelectorTerms", "advancedNetworking"):
        assert name in nc.NODE_CLASS_SPEC_FIELDS
    assert set(nc.NODE_CLASS_REQUIRED) | set(nc.NODE_CLASS_ROLE_FIELDS) <= set(
        nc.NODE_CLASS_SPEC_FIELDS)
    assert set(nc.NODE_CLASS_ENUMS) <= set(nc.NODE_CLASS_SPEC_FIELDS)
    assert nc.NODE_CLASS_ENUMS["networkPolicy"] == ("DefaultAllow", "DefaultDeny")


def test_auto_mode_labels() -> None:
    assert "eks.amazonaws.com/instance-category" in nc.AUTO_MODE_LABELS
    assert "eks.amazonaws.com/instance-generation" in nc.AUTO_MODE_LABELS
    assert nc.COMPUTE_TYPE_LABEL in nc.AUTO_MODE_LABELS
    assert not set(nc.AUTO_MODE_UNSUPPORTED_LABELS) & set(nc.AUTO_MODE_LABELS)
    # Auto Mode's labels are eks.amazonaws.com/*, not Karpenter's karpenter.k8s.aws/*.
    assert not [x for x in nc.AUTO_MODE_LABELS if x.startswith("karpenter.k8s.aws/")]


def test_addon_minimums_for_auto_mode() -> None:
    assert auto.addon_minimums_for_auto_mode("1.30") == {
        "vpc-cni": "v1.19.0-eksbuild.1",
        "aws-ebs-csi-driver": "v1.37.0-eksbuild.1",
        "snapshot-controller": "v8.1.0-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
        "kube-proxy": "v1.30.6-eksbuild.3",
    }
    assert auto.addon_minimums_for_auto_mode("1.25")["kube-proxy"] == "v1.25.16-eksbuild.22"
    assert "kube-proxy" not in auto.addon_minimums_for_auto_mode("1.33")  # the guide lists none
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR"):
        auto.addon_minimums_for_auto_mode("1.30.2")


def test_auto_mode_addon_problems_compare_eksbuild_numbers() -> None:
    assert auto.auto_mode_addon_problems("1.31", {"kube-proxy": "v1.31.2-eksbuild.3"}) == []
    assert auto.auto_mode_addon_problems("1.31", {"kube-proxy": "v1.31.2-eksbuild.2"}) == [
        "enabling EKS Auto Mode needs kube-proxy >= v1.31.2-eksbuild.3; the cluster has "
        "v1.31.2-eksbuild.2"]
    assert auto.auto_mode_addon_problems("1.31", {"vpc-cni": "v1.20.1-eksbuild.1",
                                               "coredns": "v1.11.3-eksbuild.1"}) == []
    assert auto.auto_mode_addon_problems("1.28", {}) == [
        "EKS Auto Mode needs Kubernetes 1.29 or later, not 1.28"]
    assert auto.parse_addon_version("v1.25.16-eksbuild.22") == (1, 25, 16, 22)
    assert auto.parse_addon_version("1.19.0") is None


# Control plane tiers ----------------------------------------------------------------------------


def test_tier_tables_cover_every_api_tier() -> None:
    for table in (tiers.TIERS_1_28_TO_1_29, tiers.TIERS_1_30_AND_LATER):
        assert tuple(table) == api.CONTROL_PLANE_TIERS


def test_tier_facts_from_the_guide() -> None:
    xl = tiers.tier_facts("tier-xl", "1.31")
    assert (xl.api_request_concurrency_seats, xl.pod_scheduling_rate_per_second,
            xl.cluster_database_size_gb) == (1700, 167, 16)
    assert tiers.tier_facts("tier-2xl", "1.30").pod_scheduling_rate_per_second == 283
    assert tiers.tier_facts("tier-4xl", "1.34").api_request_concurrency_seats == 6800
    assert tiers.tier_facts("tier-4xl", "1.34").pod_scheduling_rate_per_second == 400
    assert tiers.tier_facts("tier-4xl", "1.29").pod_scheduling_rate_per_second == 100
    assert tiers.tier_facts("standard", "1.27").cluster_database_size_gb == 8
    eight = tiers.tier_facts("tier-8xl", "1.33")
    assert eight.api_request_concurrency_seats is None and eight.note
    with pytest.raises(ValueError, match=r"1\.28 or later"):
        tiers.tier_facts("tier-xl", "1.27")
    with pytest.raises(ValueError, match="not one of"):
        tiers.tier_facts("tier-16xl", "1.33")


# Hybrid nodes ----------------------------------------------------------------------------------


def test_remote_networks_accepted() -> None:
    assert hybrid.remote_network_problems(
        ["10.200.0.0/16"], ["10.201.0.0/16"], vpc_cidrs=["10.0.0.0/16"],
        service_cidr="172.20.0.0/16") == []


def test_remote_networks_refused() -> None:
    assert hybrid.remote_network_problems([]) == ["hybrid nodes need at least one remote node CIDR"]
    assert hybrid.remote_network_problems(["100.64.0.0/16"]) == [
        "remote node CIDR 100.64.0.0/16 is outside the RFC 1918 ranges 10.0.0.0/8, "
        "172.16.0.0/12, 192.168.0.0/16"]
    assert hybrid.remote_network_problems(["fd00::/64"]) == [
        "remote node CIDR fd00::/64 is IPv6; hybrid nodes are IPv4 only"]
    assert hybrid.remote_network_problems(["10.1.0.0/16"], ["10.1.128.0/17"]) == [
        "remote node CIDR 10.1.0.0/16 overlaps remote pod CIDR 10.1.128.0/17"]
    assert hybrid.remote_network_problems(["10.0.128.0/20"], vpc_cidrs=["10.0.0.0/16"]) == [
        "remote node CIDR 10.0.128.0/20 overlaps the VPC CIDR 10.0.0.0/16"]
    assert hybrid.remote_network_problems(["192.168.0.0/16"], ["10.100.0.0/24"],
                                     service_cidr="10.100.0.0/16") == [
        "remote pod CIDR 10.100.0.0/24 overlaps the service CIDR 10.100.0.0/16"]
    assert hybrid.remote_network_problems(["10.1.0.1/16"]) == [
        "remote node CIDR '10.1.0.1/16' is not a CIDR block"]


def test_hybrid_facts_from_the_guide() -> None:
    ingress = [r for r in hybrid.HYBRID_CLUSTER_SG_RULES if r.direction == "ingress"]
    assert {(r.port, r.peer) for r in ingress} == {
        (443, "remote node CIDRs"), (443, "remote pod CIDRs")}
    assert hybrid.HYBRID_SUPPORTED_CNIS == ("cilium",)
    assert set(hybrid.HYBRID_CREDENTIALS) == {"ssm", "ira"}
    assert [p.name for p in hybrid.HYBRID_CREDENTIALS["ssm"].managed_policies] == [
        "AmazonSSMManagedInstanceCore"]
    assert hybrid.HYBRID_ROLE_ACTIONS == ("eks:DescribeCluster",)


def test_the_tier_setting_takes_botocores_tiers() -> None:
    import typing

    from eks_platform.cluster.auto_mode import ControlPlaneTier
    from tests.facts.test_eks_api import enum

    assert typing.get_args(ControlPlaneTier) == tuple(enum("ProvisionedControlPlaneTier"))
