"""Deploy-time lookup of an instance type missing from the generated table.

`aws.ec2.get_instance_type` is `DescribeInstanceTypes` for one type, so its result maps onto
`InstanceLimits` one to one, and the same AMI-fit and kube-reserved rules apply to it.
Imports Pulumi only when called: the CLI never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from eks_platform.nodes.maxpods.formula import max_pods_for
from eks_platform.nodes.maxpods.limits import AWS_ACCELERATOR, NVIDIA, InstanceLimits
from eks_platform.nodes.maxpods.options import MaxPodsOptions

if TYPE_CHECKING:
    import pulumi


def _total(devices: Iterable[Any] | None, manufacturer: str | None = None) -> int:
    return sum(int(device.count or 0) for device in devices or ()
               if manufacturer is None or device.manufacturer == manufacturer)


def limits_from_get_instance_type(result: Any) -> InstanceLimits:
    """`aws.ec2.GetInstanceTypeResult` -> `InstanceLimits`."""
    cards = sorted(result.network_cards or [], key=lambda card: card.index)
    enis = tuple(card.maximum_interfaces for card in cards) or (result.maximum_network_interfaces,)
    gpus = getattr(result, "gpuses", None)
    neuron = sum(int(device.count or 0) for device in getattr(result, "neuron_devices", None) or ())
    return InstanceLimits(
        instance_type=result.instance_type,
        default_network_card_index=int(result.default_network_card_index or 0),
        enis_per_card=enis,
        ipv4_per_eni=int(result.maximum_ipv4_addresses_per_interface),
        hypervisor=result.hypervisor or "",
        bare_metal=bool(result.bare_metal),
        vcpus=int(result.default_vcpus),
        architectures=tuple(getattr(result, "supported_architectures", None) or ()),
        memory_mib=int(getattr(result, "memory_size", None) or 0),
        gpus=_total(gpus),
        nvidia_gpus=_total(gpus, NVIDIA),
        neuron_devices=neuron or _total(getattr(result, "inference_accelerators", None),
                                        AWS_ACCELERATOR),
    )


def get_instance_type_answer(limits: InstanceLimits) -> dict[str, Any]:
    """What `aws:ec2/getInstanceType` returns for these limits (camelCase, as the provider
    sends it): lets offline mocks answer the invoke from the generated table."""
    return {
        "instanceType": limits.instance_type,
        "defaultNetworkCardIndex": limits.default_network_card_index,
        "networkCards": [{"index": i, "maximumInterfaces": n}
                         for i, n in enumerate(limits.enis_per_card)],
        "maximumNetworkInterfaces": sum(limits.enis_per_card),
        "maximumIpv4AddressesPerInterface": limits.ipv4_per_eni,
        "hypervisor": limits.hypervisor, "bareMetal": limits.bare_metal,
        "defaultVcpus": limits.vcpus,
        "supportedArchitectures": list(limits.architectures),
        "memorySize": limits.memory_mib,
        # The table keeps NVIDIA and other GPUs apart, not each manufacturer's name.
        "gpuses": [{"count": n, "manufacturer": m, "memorySize": 0, "name": ""}
                   for n, m in ((limits.nvidia_gpus, NVIDIA),
                                (limits.gpus - limits.nvidia_gpus, "other")) if n],
        "neuronDevices": [{"count": limits.neuron_devices, "coreCount": 0, "coreVersion": 0,
                           "memorySize": 0, "name": "neuron"}] if limits.neuron_devices else [],
        "inferenceAccelerators": [],
    }


def live_limits(
    instance_type: str, opts: pulumi.InvokeOptions | None = None
) -> pulumi.Output[InstanceLimits]:
    """Ask EC2 (through the AWS provider) for one instance type's limits at deploy time."""
    import pulumi_aws as aws

    result = aws.ec2.get_instance_type_output(instance_type=instance_type, opts=opts)
    return result.apply(limits_from_get_instance_type)


def live_max_pods(
    instance_type: str, options: MaxPodsOptions, opts: pulumi.InvokeOptions | None = None
) -> pulumi.Output[int]:
    return live_limits(instance_type, opts).apply(lambda limits: max_pods_for(limits, options))
