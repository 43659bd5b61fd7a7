"""Network limits of one EC2 instance type, as the max-pods formula needs them.

The generated table (`instance_types.json`, written by `eks_platform.maxpods.generate`) stores one
row per instance type in the column order of `COLUMNS`; `InstanceLimits.from_row` reads a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Column order of a row in the generated table. Changing it means regenerating the table.
COLUMNS: tuple[str, ...] = (
    "defaultNetworkCardIndex",
    "maximumNetworkInterfacesPerCard",
    "ipv4AddressesPerInterface",
    "hypervisor",
    "bareMetal",
    "defaultVCpus",
)


@dataclass(frozen=True, slots=True)
class InstanceLimits:
    """What `DescribeInstanceTypes` says about an instance type's networking and size.

    `enis_per_card[i]` is `NetworkCards[i].MaximumNetworkInterfaces` ordered by card index:
    pods only ever get ENIs of the default card, which is why the total is not kept.
    """

    instance_type: str
    default_network_card_index: int
    enis_per_card: tuple[int, ...]
    ipv4_per_eni: int
    hypervisor: str  # "nitro", "xen", or "" for bare metal
    bare_metal: bool
    vcpus: int

    @property
    def default_card_enis(self) -> int:
        """ENIs of the default network card: the only ENIs the VPC CNI gives to pods."""
        return self.enis_per_card[self.default_network_card_index]

    @property
    def is_nitro(self) -> bool:
        return self.hypervisor == "nitro"

    @classmethod
    def from_row(cls, instance_type: str, row: list[Any]) -> InstanceLimits:
        card, enis, ips, hypervisor, metal, vcpus = row
        return cls(instance_type, int(card), tuple(int(e) for e in enis), int(ips),
                   str(hypervisor), bool(metal), int(vcpus))

    def to_row(self) -> list[Any]:
        return [self.default_network_card_index, list(self.enis_per_card), self.ipv4_per_eni,
                self.hypervisor, self.bare_metal, self.vcpus]

    @classmethod
    def from_describe(cls, info: dict[str, Any]) -> InstanceLimits:
        """Build from one `InstanceTypes[]` element of EC2 `DescribeInstanceTypes` output."""
        net = info["NetworkInfo"]
        cards = sorted(net.get("NetworkCards") or [], key=lambda c: c["NetworkCardIndex"])
        enis = tuple(c["MaximumNetworkInterfaces"] for c in cards) or (
            net["MaximumNetworkInterfaces"],
        )
        return cls(
            instance_type=info["InstanceType"],
            default_network_card_index=int(net.get("DefaultNetworkCardIndex", 0)),
            enis_per_card=enis,
            ipv4_per_eni=int(net["Ipv4AddressesPerInterface"]),
            hypervisor=info.get("Hypervisor") or "",
            bare_metal=bool(info.get("BareMetal", False)),
            vcpus=int(info["VCpuInfo"]["DefaultVCpus"]),
        )
