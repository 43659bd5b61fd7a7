"""Where the cluster lives: a VPC the stack creates, or existing subnets; the API endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Literal

from pydantic import Field, field_validator, model_validator

from eks_platform.cluster.security_settings import DEFAULT_LOG_RETENTION_DAYS, check_retention
from eks_platform.errors import FieldError
from eks_platform.model import SettingsModel
from eks_platform.network.eniconfig import DEFAULT_POD_CIDR, PodSubnet, plan_pod_subnets
from eks_platform.network.public_cidrs import public_access_cidr_problem

#: Ranges with association rules (Amazon VPC user guide, "VPC CIDR blocks", table "IPv4 CIDR
#: block association restrictions"): a VPC may add a block from an RFC 1918 range only when
#: its own CIDR is in that range, a block of 198.19.0.0/16 only when it is itself in it, and a
#: VPC in 172.16.0.0/12 never 172.31.0.0/16. 100.64.0.0/10 (RFC 6598) is allowed for all.
RFC1918 = (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12"),
           IPv4Network("192.168.0.0/16"))
BENCHMARK_RANGE = IPv4Network("198.19.0.0/16")
DEFAULT_VPC_RANGE = IPv4Network("172.31.0.0/16")


def secondary_cidr_problem(vpc_cidr: IPv4Network, secondary: IPv4Network) -> str | None:
    """Why EC2 would refuse `secondary` as a second CIDR block of a VPC on `vpc_cidr`."""
    hint = f"use {DEFAULT_POD_CIDR} or another block of 100.64.0.0/10"
    for restricted in (*RFC1918, BENCHMARK_RANGE):
        if secondary.overlaps(restricted) and not vpc_cidr.subnet_of(restricted):
            return (f"a VPC on {vpc_cidr} cannot add a CIDR block from {restricted} (EC2 "
                    f"restricts secondary blocks of that range); {hint}")
    if vpc_cidr.subnet_of(RFC1918[1]) and secondary.overlaps(DEFAULT_VPC_RANGE):
        return (f"a VPC in {RFC1918[1]} cannot add a CIDR block from {DEFAULT_VPC_RANGE}; "
                f"{hint}")
    return None


def check_subnet_ids(ids: list[str]) -> list[str]:
    """Subnet IDs as EC2 spells them (`subnet-` and 8 or 17 hex digits)."""
    for subnet in ids:
        if not subnet.startswith("subnet-") or len(subnet) not in (15, 24):
            raise ValueError(f"{subnet!r} is not a subnet ID (subnet-0123456789abcdef0)")
    repeated = sorted({subnet for subnet in ids if ids.count(subnet) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} listed more than once: each subnet once")
    return ids


class FlowLogsSettings(SettingsModel):
    """VPC flow logs to an encrypted CloudWatch Logs group the stack creates."""

    enabled: bool = True
    """Send the created VPC's flow logs to CloudWatch Logs. On by default (EKS Best Practices,
    AWS Config vpc-flow-logs-enabled); flow logs are billed per GB ingested, so dev turns
    them off."""
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"
    """Which flows are logged: `ALL`, `ACCEPT` or `REJECT` (EC2's TrafficType). ALL by default:
    rejected flows alone miss what an investigation needs."""
    retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    """Days the flow log group keeps events: a period CloudWatch Logs accepts (1, 3, 5, 7, 14,
    30, 60, 90, ... 3653); a year by default."""

    @field_validator("retention_days")
    @classmethod
    def _retention(cls, days: int) -> int:
        return check_retention(days)


class VpcSettings(SettingsModel):
    """A VPC that the stack creates: private and public subnets in each AZ, NAT for egress."""

    cidr: IPv4Network = IPv4Network("10.0.0.0/16")
    """The VPC's IPv4 block, /16 to /20. Split in eighths: one private (node and pod) subnet
    per zone, and the last eighth cut into small public subnets for NAT and load balancers.
    10.0.0.0/16 by default; choose one that does not overlap networks you will peer or route
    to."""
    availability_zones: int = Field(3, ge=2, le=6)
    """Zones to spread subnets over, 2 to 6 (EKS needs subnets in two zones). Chosen from the
    Region's standard zones by zone ID, leaving out those EKS refuses. Three by default, so
    losing a zone leaves two."""
    nat_gateways: Literal["single", "onePerAz"] = "onePerAz"
    """`onePerAz` (each zone's private subnets leave through a NAT gateway in that zone, so a
    zone outage does not cut the others' egress; the default) or `single` (one NAT gateway
    for all zones: cheaper, for dev)."""
    pod_cidr: IPv4Network | None = None
    """Secondary CIDR for pod subnets with `cni.customNetworking` (default 100.64.0.0/16)."""
    flow_logs: FlowLogsSettings = FlowLogsSettings()
    """VPC flow logs of the created VPC (on by default)."""
    transit_gateway_id: str | None = Field(None, pattern=r"^tgw-[0-9a-f]{8,17}$")
    """Attach the private subnets to this transit gateway and route the endpoint's
    `privateAccessCidrs` (the deployer's network) through it, so `pulumi up` from that network
    reaches the private API endpoint in the same run that creates the VPC."""

    @field_validator("cidr")
    @classmethod
    def _size(cls, cidr: IPv4Network) -> IPv4Network:
        if not 16 <= cidr.prefixlen <= 20:
            raise ValueError("the VPC CIDR must be between /16 and /20")
        return cidr

    @model_validator(mode="after")
    def _pod_cidr_fits(self) -> VpcSettings:
        if self.pod_cidr is not None:
            self.pod_subnet_plan()
        return self

    @property
    def effective_pod_cidr(self) -> IPv4Network:
        return self.pod_cidr or IPv4Network(DEFAULT_POD_CIDR)

    def pod_subnet_plan(self) -> list[PodSubnet]:
        """One pod subnet per zone (zones by index: names are known at deploy), or a
        `FieldError` naming `podCidr`."""
        pod_cidr = self.effective_pod_cidr
        problem = secondary_cidr_problem(self.cidr, pod_cidr)
        if problem is not None:
            raise FieldError("podCidr", str(pod_cidr), problem)
        try:
            return plan_pod_subnets([str(i) for i in range(self.availability_zones)],
                                    str(pod_cidr), str(self.cidr))
        except ValueError as error:
            raise FieldError("podCidr", str(pod_cidr), str(error)) from None


def _once(cidrs: Sequence[object]) -> None:
    """A range's resources are named by the range: refuse the second mention of one."""
    for index, cidr in enumerate(cidrs):
        if str(cidr) in {str(c) for c in cidrs[:index]}:
            raise FieldError((index,), str(cidr), f"range {cidr} is given twice; give each "
                             "range once (what it opens is named by the range)")


class EndpointSettings(SettingsModel):
    """API server endpoint: private access is always on; public access is opt-in by CIDR.

    `privateAccessCidrs`: where `pulumi up` (or anything else) reaches the private endpoint
    from, inside the VPC or a network connected to it; each gets port 443 on the cluster
    security group, which otherwise admits only the cluster's own nodes."""

    public_access: bool = False
    """Open the public API endpoint, only to `publicAccessCidrs` (which it needs). Off by
    default (CIS EKS 5.4.1-5.4.2): the private endpoint is always on."""
    public_access_cidrs: list[str] = []
    """Public ranges allowed to reach the public endpoint, e.g. an office /32. Private, CGNAT
    and documentation ranges are refused (they never reach a public endpoint), and so is
    IPv6 on an IPv4 cluster."""
    private_access_cidrs: list[IPv4Network] = []
    """Ranges inside the VPC, or in a network routed to it, that get port 443 on the cluster
    security group to reach the private endpoint: where `pulumi up` and kubectl run when the
    stack sends objects through the Kubernetes API."""

    @field_validator("public_access_cidrs")
    @classmethod
    def _public(cls, cidrs: list[str]) -> list[str]:
        """Public ranges of either family (ClusterSettings checks the cluster's family)."""
        for index, cidr in enumerate(cidrs):
            problem = public_access_cidr_problem(cidr, "ipv6")
            if problem is not None:
                raise FieldError((index,), cidr, problem)
        _once(cidrs)
        return cidrs

    @field_validator("private_access_cidrs")
    @classmethod
    def _private_once(cls, cidrs: list[IPv4Network]) -> list[IPv4Network]:
        """Each range is one 443 rule and one route per private table, named by the range:
        a range given twice would ask EC2 for the same rule and route twice."""
        _once(cidrs)
        return cidrs

    @model_validator(mode="after")
    def _cidrs_need_public(self) -> EndpointSettings:
        if self.public_access and not self.public_access_cidrs:
            raise FieldError("publicAccessCidrs", [],
                             "publicAccess: true needs publicAccessCidrs (e.g. your office /32)")
        if self.public_access_cidrs and not self.public_access:
            raise FieldError("publicAccess", False,
                             "publicAccessCidrs is set but publicAccess is false")
        return self

    @property
    def reachable_by_deployer(self) -> bool:
        """Whether the stack says how a deployer reaches the API (public or private path)."""
        return self.public_access or bool(self.private_access_cidrs)


@dataclass(frozen=True, slots=True)
class SubnetPlan:
    private: tuple[IPv4Network, ...]
    public: tuple[IPv4Network, ...]


def plan_subnets(cidr: IPv4Network, zones: int) -> SubnetPlan:
    """Large private subnets for nodes and pods (an eighth of the VPC each), small public ones
    for load balancers and NAT (carved from the last eighth)."""
    if not 1 <= zones <= 6:
        raise ValueError(f"between 1 and 6 availability zones, got {zones}")
    eighths = list(cidr.subnets(prefixlen_diff=3))
    public = list(eighths[-1].subnets(prefixlen_diff=3))
    return SubnetPlan(tuple(eighths[:zones]), tuple(public[:zones]))
