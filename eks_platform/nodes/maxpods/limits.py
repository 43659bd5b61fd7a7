"""What one EC2 instance type offers, as max pods, kube-reserved and AMI fit need it.

The generated table (`instance_types.json`, written by `eks_platform.tools.instance_table`)
stores one row per instance type in the column order of `COLUMNS`; `InstanceLimits.from_row`
reads a row.
Everything here is copied from EC2 `DescribeInstanceTypes`, never typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    "supportedArchitectures",
    "memoryMiB",
    "gpus",
    "nvidiaGpus",
    "neuronDevices",
)

#: `GpuInfo.Gpus[].Manufacturer` of the GPUs that EKS's NVIDIA AMIs drive.
NVIDIA = "NVIDIA"
#: `InferenceAcceleratorInfo.Accelerators[].Manufacturer` of Inferentia (before `NeuronInfo`).
AWS_ACCELERATOR = "AWS"


@dataclass(frozen=True, slots=True)
class InstanceLimits:
    """What `DescribeInstanceTypes` says about an instance type.

    `enis_per_card[i]` is `NetworkCards[i].MaximumNetworkInterfaces` ordered by card index:
    pods only ever get ENIs of the default card, which is why the total is not kept.
    `architectures` is `ProcessorInfo.SupportedArchitectures` as EC2 spells it (`x86_64`,
    `arm64`, `i386`, `x86_64_mac`, `arm64_mac`). `neuron_devices` counts Inferentia and
    Trainium devices (the Neuron AMI's accelerators).
    """

    instance_type: str
    default_network_card_index: int
    enis_per_card: tuple[int, ...]
    ipv4_per_eni: int
    hypervisor: str  # "nitro", "xen", or "" for bare metal
    bare_metal: bool
    vcpus: int
    architectures: tuple[str, ...] = ()
    memory_mib: int = 0
    gpus: int = 0
    nvidia_gpus: int = 0
    neuron_devices: int = 0

    @property
    def default_card_enis(self) -> int:
        """ENIs of the default network card: the only ENIs the VPC CNI gives to pods."""
        return self.enis_per_card[self.default_network_card_index]

    @property
    def is_nitro(self) -> bool:
        return self.hypervisor == "nitro"

    @classmethod
    def from_row(cls, instance_type: str, row: list[Any]) -> InstanceLimits:
        card, enis, ips, hypervisor, metal, vcpus, archs, memory, gpus, nvidia, neuron = row
        return cls(instance_type, int(card), tuple(int(e) for e in enis), int(ips),
                   str(hypervisor), bool(metal), int(vcpus), tuple(str(a) for a in archs),
                   int(memory), int(gpus), int(nvidia), int(neuron))

    def to_row(self) -> list[Any]:
        return [self.default_network_card_index, list(self.enis_per_card), self.ipv4_per_eni,
                self.hypervisor, self.bare_metal, self.vcpus, list(self.architectures),
                self.memory_mib, self.gpus, self.nvidia_gpus, self.neuron_devices]

    @classmethod
    def from_describe(cls, info: dict[str, Any]) -> InstanceLimits:
        """Build from one `InstanceTypes[]` element of EC2 `DescribeInstanceTypes` output."""
        net = info["NetworkInfo"]
        cards = sorted(net.get("NetworkCards") or [], key=lambda c: c["NetworkCardIndex"])
        enis = tuple(c["MaximumNetworkInterfaces"] for c in cards) or (
            net["MaximumNetworkInterfaces"],
        )
        gpus = (info.get("GpuInfo") or {}).get("Gpus") or []
        neuron = (info.get("NeuronInfo") or {}).get("NeuronDevices") or []
        inference = (info.get("InferenceAcceleratorInfo") or {}).get("Accelerators") or []
        return cls(
            instance_type=info["InstanceType"],
            default_network_card_index=int(net.get("DefaultNetworkCardIndex", 0)),
            enis_per_card=enis,
            ipv4_per_eni=int(net["Ipv4AddressesPerInterface"]),
            hypervisor=info.get("Hypervisor") or "",
            bare_metal=bool(info.get("BareMetal", False)),
            vcpus=int(info["VCpuInfo"]["DefaultVCpus"]),
            architectures=tuple((info.get("ProcessorInfo") or {}).get("SupportedArchitectures")
                                or ()),
            memory_mib=int((info.get("MemoryInfo") or {}).get("SizeInMiB") or 0),
            gpus=count(gpus),
            nvidia_gpus=count(gpus, NVIDIA),
            neuron_devices=count(neuron) or count(inference, AWS_ACCELERATOR),
        )


def count(devices: Iterable[Mapping[str, Any]], manufacturer: str | None = None) -> int:
    """Sum of `Count` over device entries, optionally of one manufacturer only.

    Works for both spellings: the API's (`Count`, `Manufacturer`) and the AWS provider's
    (`count`, `manufacturer`).
    """
    total = 0
    for device in devices:
        made_by = device.get("Manufacturer", device.get("manufacturer"))
        if manufacturer is None or made_by == manufacturer:
            total += int(device.get("Count", device.get("count")) or 0)
    return total
