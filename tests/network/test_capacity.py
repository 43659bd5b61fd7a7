"""Prefix-delegation capacity of node and pod subnets, with literal figures worked by hand."""

from __future__ import annotations

from ipaddress import IPv4Network

import pytest

from eks_platform.errors import SettingsError
from eks_platform.network.capacity import GroupDemand, prefixes_per_zone, usable_prefixes
from eks_platform.stack import PlatformSettings


def test_usable_prefixes_leave_out_the_reserved_first_and_last() -> None:
    # A /23 has 512 addresses = 32 /28 blocks; EC2's reserved .0-.3 and .511 spoil two.
    assert usable_prefixes(IPv4Network("10.0.0.0/23")) == 30
    assert usable_prefixes(IPv4Network("10.0.0.0/28")) == 0


def test_three_110_pod_nodes_fill_a_23() -> None:
    # 110 pods = 7 prefixes, + 1 warm = 8 per node; 3 nodes = 24 + 1 for their addresses.
    group = [GroupDemand("general", 6, 110)]
    assert prefixes_per_zone(group, zones=2, warm_prefixes=1) == 25
    assert prefixes_per_zone([GroupDemand("general", 8, 110)], 2, 1) == 33  # 4 nodes: > 30


def settings(cidr: str, max_size: int, **cni: object) -> PlatformSettings:
    return PlatformSettings(
        region="us-west-2", vpc={"cidr": cidr, "availabilityZones": 2},
        cni={"prefixDelegation": True, **cni},
        node_groups=[{"name": "general", "instanceTypes": ["m5.large"], "minSize": 1,
                      "maxSize": max_size}])


def test_a_small_vpc_refuses_node_groups_its_subnets_cannot_hold() -> None:
    """The audit's case: a /20 VPC gives /23 node subnets, 30 prefixes per zone."""
    assert settings("10.0.0.0/20", 6).vpc is not None  # 3 m5.large (110 pods) per zone fit
    with pytest.raises(SettingsError) as info:
        settings("10.0.0.0/20", 8)
    assert info.value.problems == [
        'PlatformSettings.vpc.cidr = "10.0.0.0/20": with prefix delegation the node subnet of '
        "each zone (/23) holds 30 /28 prefixes, but the node groups at maxSize need 33 per "
        "zone (general: 4 node(s) x 7+1 prefixes, plus the nodes' own addresses): use a larger "
        "CIDR, lower maxSize, or turn prefixDelegation off"]
    assert settings("10.0.0.0/16", 8).vpc is not None
    # Without prefix delegation nothing is counted in prefixes.
    assert PlatformSettings(region="us-west-2", vpc={"cidr": "10.0.0.0/20"}, node_groups=[
        {"name": "g", "instanceTypes": ["m5.large"], "maxSize": 100}]).vpc is not None
