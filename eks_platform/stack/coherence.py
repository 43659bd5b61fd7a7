"""Rules across a stack file's blocks that `PlatformSettings` validates with, as plain
functions: pod subnets for custom networking, and the deployer's route to the private
endpoint. Messages are the settings' own (errors.py)."""

from __future__ import annotations

from eks_platform.addons.cni import CniSettings
from eks_platform.errors import FieldError
from eks_platform.network.settings import EndpointSettings, VpcSettings, check_subnet_ids


def check_pod_subnets(cni: CniSettings, vpc: VpcSettings | None,
                      subnet_ids: list[str] | None, region: str) -> None:
    """Custom networking gives pods addresses from a pod subnet per zone: created from
    `vpc.podCidr` with a created VPC, named in `cni.podSubnets` with existing subnets."""
    if vpc is not None and vpc.pod_cidr is not None and not cni.custom_networking:
        raise FieldError(("vpc", "podCidr"), str(vpc.pod_cidr),
                         "vpc.podCidr only applies with cni.customNetworking: true")
    if not cni.custom_networking:
        return
    if subnet_ids is None:
        if cni.pod_subnets:
            raise FieldError(("cni", "podSubnets"), cni.pod_subnets,
                             "cni.podSubnets is for existing subnets (subnetIds); with a "
                             "VPC the stack creates, pod subnets come from vpc.podCidr")
        try:
            (vpc or VpcSettings()).pod_subnet_plan()
        except FieldError as error:
            raise FieldError(("vpc", *error.key), error.value, str(error)) from None
        return
    if not cni.pod_subnets:
        raise FieldError(("cni", "customNetworking"), True,
                         "customNetworking on existing subnetIds needs cni.podSubnets: "
                         "{zone: subnet-id}, one pod subnet for each zone of the node "
                         "subnets")
    for zone, subnet in cni.pod_subnets.items():
        if not zone.startswith(region) or zone == region:
            raise FieldError(("cni", "podSubnets", zone), subnet,
                             f"{zone!r} is not an availability zone of {region} "
                             f"(e.g. {region}a)")
        try:
            check_subnet_ids([subnet])
        except ValueError as error:
            raise FieldError(("cni", "podSubnets", zone), subnet, str(error)) from None


def check_deployer_route(endpoint: EndpointSettings, vpc: VpcSettings | None,
                         subnet_ids: list[str] | None, api_users: list[str]) -> None:
    """A VPC this stack creates has no route to a network outside it unless the stack
    attaches it: a deployer range outside the VPC needs `vpc.transitGatewayId`, or the
    endpoint answers the deployer's SYN into a route table that cannot send it back."""
    if subnet_ids is not None or not api_users:
        return
    vpc = vpc or VpcSettings()
    outside = [str(c) for c in endpoint.private_access_cidrs if not c.subnet_of(vpc.cidr)]
    if outside and not endpoint.public_access and vpc.transit_gateway_id is None:
        raise FieldError(
            ("endpoint", "privateAccessCidrs"), outside,
            f"outside the VPC {vpc.cidr} this stack creates, so nothing routes the API's "
            "answers back: set vpc.transitGatewayId (the transit gateway the deployer's "
            "network is attached to; the stack attaches the VPC and adds the routes)")
