"""Custom networking plan: pod subnets from a secondary CIDR and one ENIConfig per zone."""

from __future__ import annotations

import ipaddress

import pytest

from eks_platform.network.eniconfig import (
    DEFAULT_POD_CIDR,
    PodSubnet,
    eniconfig,
    eniconfigs,
    missing_pod_subnet_zones,
    plan_pod_subnets,
)

ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_default_plan_gives_each_zone_a_quarter_of_100_64_0_0_16() -> None:
    assert DEFAULT_POD_CIDR == "100.64.0.0/16"
    # 3 zones need 2 halvings of the /16: four /18s of 16384 addresses, the fourth spare.
    assert plan_pod_subnets(ZONES) == [
        PodSubnet("us-east-1a", "100.64.0.0/18"),
        PodSubnet("us-east-1b", "100.64.64.0/18"),
        PodSubnet("us-east-1c", "100.64.128.0/18"),
    ]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("cidr", ["100.64.0.0/16", "198.19.0.0/16", "100.64.0.0/24"])
def test_pod_subnets_are_disjoint_inside_the_cidr_and_equal(cidr: str, count: int) -> None:
    zones = [f"eu-west-1{z}" for z in "abcdef"[:count]]
    plan = plan_pod_subnets(zones, cidr)
    networks = [ipaddress.ip_network(p.cidr) for p in plan]
    parent = ipaddress.ip_network(cidr)
    assert [p.zone for p in plan] == zones
    assert all(n.subnet_of(parent) for n in networks)  # type: ignore[arg-type]
    assert all(not a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1:])
    assert len({n.prefixlen for n in networks}) == 1
    # The largest equal blocks: one more halving would no longer leave a block per zone.
    assert 2 ** (networks[0].prefixlen - parent.prefixlen) >= count
    assert 2 ** (networks[0].prefixlen - parent.prefixlen - 1) < count


@pytest.mark.parametrize(
    ("zones", "cidr", "vpc", "message"),
    [
        ([], DEFAULT_POD_CIDR, None, "at least one availability zone"),
        (["a", "a"], DEFAULT_POD_CIDR, None, "availability zones repeat: a, a"),
        (ZONES, "100.64.0.1/16", None, "podCidr '100.64.0.1/16' is not an IPv4 CIDR block"),
        (ZONES, "fd00::/64", None, "podCidr 'fd00::/64' is not an IPv4 CIDR block"),
        (ZONES, "100.64.0.0/10", None, "podCidr 100.64.0.0/10 must be /16 to /28"),
        (ZONES, "100.64.0.0/28", None, "too small for 3 zones"),
        (ZONES, "10.0.0.0/16", "10.0.0.0/16", "overlaps the VPC CIDR 10.0.0.0/16"),
    ],
)
def test_bad_plans_are_one_clear_message(
    zones: list[str], cidr: str, vpc: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        plan_pod_subnets(zones, cidr, vpc)


def test_eniconfig_matches_the_crd() -> None:
    # Fields of the eniconfigs.crd.k8s.amazonaws.com CRD that the aws-vpc-cni chart installs:
    # group crd.k8s.amazonaws.com, version v1alpha1, kind ENIConfig, cluster-scoped;
    # spec.subnet (string, required), spec.securityGroups (array of strings).
    assert eniconfig("us-east-1a", "subnet-1", ["sg-1", "sg-2"]) == {
        "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
        "kind": "ENIConfig",
        "metadata": {"name": "us-east-1a"},
        "spec": {"subnet": "subnet-1", "securityGroups": ["sg-1", "sg-2"]},
    }
    assert "securityGroups" not in eniconfig("us-east-1a", "subnet-1", [])["spec"]
    with pytest.raises(ValueError, match="named after its zone"):
        eniconfig("", "subnet-1", [])


def test_one_eniconfig_per_zone_named_after_it() -> None:
    configs = eniconfigs({"us-east-1b": "subnet-b", "us-east-1a": "subnet-a"}, ["sg-c"])
    assert [(c["metadata"]["name"], c["spec"]["subnet"]) for c in configs] == [
        ("us-east-1a", "subnet-a"), ("us-east-1b", "subnet-b")]


def test_node_zones_without_a_pod_subnet_are_named() -> None:
    assert missing_pod_subnet_zones(ZONES, ["us-east-1a", "us-east-1c"]) == ["us-east-1b"]
    assert missing_pod_subnet_zones(["us-east-1a", "us-east-1a"], ["us-east-1a"]) == []
