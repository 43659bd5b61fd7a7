"""A node group's launch-template volumes: every device the AMI boots from is mapped, so every
one is encrypted (pure).

A device left out of a launch template keeps the AMI's own mapping, and its encryption is then
whatever the AMI's snapshot and the account's EBS default say. So each family's devices are
all named here. Device layout (EKS user guide, "Customize managed nodes with launch templates";
Bottlerocket's README, "Storage"): AL2023 boots and runs from `/dev/xvda`; Bottlerocket keeps
its read-only OS on `/dev/xvda` and images, pods and logs on the data volume `/dev/xvdb`.
"""

from __future__ import annotations

from dataclasses import dataclass

from eks_platform.nodes.userdata import ami_family


@dataclass(frozen=True)
class NodeVolume:
    """One block device mapping: gp3, encrypted, deleted with the instance."""

    device_name: str
    size_gib: int | None
    """None keeps the AMI snapshot's size (Bottlerocket's OS volume differs per variant, and
    a size below the snapshot's fails the launch)."""


#: Devices per AMI family: (device, whether it is the one `diskSizeGib` sizes).
DEVICES = {
    "al2023": (("/dev/xvda", True),),
    "bottlerocket": (("/dev/xvda", False), ("/dev/xvdb", True)),
}


def node_volumes(ami_type: str, disk_size_gib: int) -> tuple[NodeVolume, ...]:
    """Every volume of the group's instances; `disk_size_gib` sizes the one pods use."""
    return tuple(NodeVolume(device, disk_size_gib if sized else None)
                 for device, sized in DEVICES[ami_family(ami_type)])
