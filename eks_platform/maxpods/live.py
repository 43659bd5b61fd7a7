"""Deploy-time lookup of an instance type missing from the generated table.

`aws.ec2.get_instance_type` is `DescribeInstanceTypes` for one type, so its result maps onto
`InstanceLimits` one to one. Imports Pulumi only when called: the CLI never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .formula import max_pods_for
from .limits import InstanceLimits
from .options import MaxPodsOptions

if TYPE_CHECKING:
    import pulumi


def limits_from_get_instance_type(result: Any) -> InstanceLimits:
    """`aws.ec2.GetInstanceTypeResult` -> `InstanceLimits`."""
    cards = sorted(result.network_cards or [], key=lambda card: card.index)
    enis = tuple(card.maximum_interfaces for card in cards) or (result.maximum_network_interfaces,)
    return InstanceLimits(
        instance_type=result.instance_type,
        default_network_card_index=int(result.default_network_card_index or 0),
        enis_per_card=enis,
        ipv4_per_eni=int(result.maximum_ipv4_addresses_per_interface),
        hypervisor=result.hypervisor or "",
        bare_metal=bool(result.bare_metal),
        vcpus=int(result.default_vcpus),
    )


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
