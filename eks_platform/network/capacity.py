"""Prefix-delegation capacity of a zone's subnet (pure).

With prefix delegation the VPC CNI gives each node whole /28 prefixes (16 addresses), so a
subnet holds `addresses / 16` prefixes, less the first and the last (EC2 reserves the first
four addresses and the last one of every subnet: VPC user guide, "Subnet CIDR blocks"). A node
needs `ceil(max pods / 16)` prefixes for its pods plus its warm prefixes (`WARM_PREFIX_TARGET`,
1 by default), and its own primary address takes a slot too: counted as one /28 per 16 nodes,
a lower bound (scattered primary addresses can spoil more). Node groups balance their nodes
over the zones, so each zone holds `ceil(maxSize / zones)` of each group at its maximum.
A /20 VPC gives /23 node subnets: 30 usable prefixes, three 110-pod nodes (8 prefixes each).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network

PREFIX_ADDRESSES = 16


@dataclass(frozen=True, slots=True)
class GroupDemand:
    """One node group at its maximum: name, maxSize and max pods per node."""

    name: str
    max_size: int
    max_pods: int


def usable_prefixes(subnet: IPv4Network) -> int:
    """/28 prefixes a subnet can give out (its first and last hold EC2's reserved addresses)."""
    return max(subnet.num_addresses // PREFIX_ADDRESSES - 2, 0)


def prefixes_per_zone(groups: Sequence[GroupDemand], zones: int, warm_prefixes: int) -> int:
    """Prefixes one zone needs with every group at maxSize, spread evenly over the zones."""
    nodes = {g.name: math.ceil(g.max_size / zones) for g in groups}
    pods = sum(nodes[g.name] * (math.ceil(g.max_pods / PREFIX_ADDRESSES) + warm_prefixes)
               for g in groups)
    return pods + math.ceil(sum(nodes.values()) / PREFIX_ADDRESSES)


def capacity_problem(subnet: IPv4Network, groups: Sequence[GroupDemand], zones: int,
                     warm_prefixes: int, what: str) -> str | None:
    """Why `subnet` (the `what` of each zone) cannot hold the groups at maxSize, or None."""
    have = usable_prefixes(subnet)
    need = prefixes_per_zone(groups, zones, warm_prefixes)
    if need <= have:
        return None
    shown = ", ".join(f"{g.name}: {math.ceil(g.max_size / zones)} node(s) x "
                      f"{math.ceil(g.max_pods / PREFIX_ADDRESSES)}+{warm_prefixes}"
                      for g in groups)
    return (f"with prefix delegation the {what} of each zone (/{subnet.prefixlen}) holds "
            f"{have} /28 prefixes, but the node groups at maxSize need {need} per zone "
            f"({shown} prefixes, plus the nodes' own addresses): use a larger CIDR, lower "
            "maxSize, or turn prefixDelegation off")
