"""Custom networking as data: pod subnets carved from a secondary CIDR, and their ENIConfigs.

With `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true` the VPC CNI gives pods addresses from the
subnet of the `ENIConfig` a node selects, not from the node's subnet. With
`ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone` a node selects the ENIConfig named after
its zone, so one ENIConfig per zone, each naming a pod subnet of that zone, is all it takes
(EKS user guide, "Customize the secondary network interface in Amazon EKS nodes").

The ENIConfig shape follows the CRD the aws-vpc-cni chart installs
(`eniconfigs.crd.k8s.amazonaws.com`, version `v1alpha1`, cluster-scoped): `spec.subnet`
(required) and `spec.securityGroups` (list of IDs).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

DEFAULT_POD_CIDR = "100.64.0.0/16"
ENICONFIG_API_VERSION = "crd.k8s.amazonaws.com/v1alpha1"
ENICONFIG_KIND = "ENIConfig"
#: The node label the CNI reads (`ENI_CONFIG_LABEL_DEF`, set in `cni.py`) to pick an ENIConfig.
ZONE_LABEL = "topology.kubernetes.io/zone"

#: VPC CIDR blocks (and so subnets) are /16 to /28 (Amazon VPC user guide, "VPC CIDR blocks").
LARGEST_PREFIX = 16
SMALLEST_PREFIX = 28

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PodSubnet:
    """One planned pod subnet: its zone and CIDR."""

    zone: str
    cidr: str


def _network(cidr: str, key: str) -> ipaddress.IPv4Network:
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError as error:
        raise ValueError(f"{key} {cidr!r} is not an IPv4 CIDR block: {error}") from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise ValueError(f"{key} {cidr!r} is not an IPv4 CIDR block")
    return network


def plan_pod_subnets(
    zones: Sequence[str],
    secondary_cidr: str = DEFAULT_POD_CIDR,
    vpc_cidr: str | None = None,
) -> list[PodSubnet]:
    """One pod subnet per zone, in zone order, as large as an even split of the CIDR allows.

    The secondary CIDR is split into the fewest equal halvings that give every zone one block
    (3 zones of a /16: four /18s, the last left spare for a later zone).
    """
    if not zones:
        raise ValueError("custom networking needs at least one availability zone")
    if len(set(zones)) != len(zones):
        raise ValueError(f"availability zones repeat: {', '.join(zones)}")
    network = _network(secondary_cidr, "podCidr")
    if not LARGEST_PREFIX <= network.prefixlen <= SMALLEST_PREFIX:
        raise ValueError(f"podCidr {secondary_cidr} must be /{LARGEST_PREFIX} to "
                         f"/{SMALLEST_PREFIX}, like any VPC CIDR block")
    if vpc_cidr is not None and network.overlaps(_network(vpc_cidr, "vpcCidr")):
        raise ValueError(f"podCidr {secondary_cidr} overlaps the VPC CIDR {vpc_cidr}; "
                         f"use a separate range such as {DEFAULT_POD_CIDR}")
    prefix = network.prefixlen + math.ceil(math.log2(len(zones)))
    if prefix > SMALLEST_PREFIX:
        raise ValueError(f"podCidr {secondary_cidr} is too small for {len(zones)} zones: "
                         f"each pod subnet would be smaller than /{SMALLEST_PREFIX}")
    blocks = network.subnets(new_prefix=prefix)
    return [PodSubnet(zone, str(block)) for zone, block in zip(zones, blocks, strict=False)]


def missing_pod_subnet_zones(
    node_zones: Sequence[str], pod_subnet_zones: Sequence[str]
) -> list[str]:
    """Node zones without a pod subnet: nodes there would find no ENIConfig and get no pod IPs."""
    have = set(pod_subnet_zones)
    return [zone for zone in dict.fromkeys(node_zones) if zone not in have]


def eniconfig(zone: str, subnet_id: T, security_group_ids: Sequence[T]) -> dict[str, Any]:
    """The ENIConfig for one zone; IDs may be Pulumi outputs, the dict is passed through."""
    if not zone:
        raise ValueError("an ENIConfig is named after its zone; got an empty zone")
    spec: dict[str, Any] = {"subnet": subnet_id}
    if security_group_ids:
        spec["securityGroups"] = list(security_group_ids)
    return {
        "apiVersion": ENICONFIG_API_VERSION,
        "kind": ENICONFIG_KIND,
        "metadata": {"name": zone},
        "spec": spec,
    }


def eniconfigs(
    pod_subnet_ids: Mapping[str, T], security_group_ids: Sequence[T]
) -> list[dict[str, Any]]:
    """One ENIConfig per zone of `pod_subnet_ids` (zone -> subnet ID), sorted by zone."""
    return [eniconfig(zone, pod_subnet_ids[zone], security_group_ids)
            for zone in sorted(pod_subnet_ids)]
