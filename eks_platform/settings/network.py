"""Where the cluster lives: a VPC the stack creates, or existing subnets; the API endpoint."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..errors import FieldError
from ..model import SettingsModel
from ..public_cidrs import public_access_cidr_problem
from .security import DEFAULT_LOG_RETENTION_DAYS, check_retention


def check_subnet_ids(ids: list[str]) -> list[str]:
    """Subnet IDs as EC2 spells them (`subnet-` and 8 or 17 hex digits)."""
    for subnet in ids:
        if not subnet.startswith("subnet-") or len(subnet) not in (15, 24):
            raise ValueError(f"{subnet!r} is not a subnet ID (subnet-0123456789abcdef0)")
    return ids


class FlowLogsSettings(SettingsModel):
    """VPC flow logs to an encrypted CloudWatch Logs group the stack creates."""

    enabled: bool = True
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"
    retention_days: int = DEFAULT_LOG_RETENTION_DAYS

    @field_validator("retention_days")
    @classmethod
    def _retention(cls, days: int) -> int:
        return check_retention(days)


class VpcSettings(SettingsModel):
    """A VPC that the stack creates: private and public subnets in each AZ, NAT for egress."""

    cidr: IPv4Network = IPv4Network("10.0.0.0/16")
    availability_zones: int = Field(3, ge=2, le=6)
    nat_gateways: Literal["single", "onePerAz"] = "onePerAz"
    flow_logs: FlowLogsSettings = FlowLogsSettings()

    @field_validator("cidr")
    @classmethod
    def _size(cls, cidr: IPv4Network) -> IPv4Network:
        if not 16 <= cidr.prefixlen <= 20:
            raise ValueError("the VPC CIDR must be between /16 and /20")
        return cidr


class EndpointSettings(SettingsModel):
    """API server endpoint: private access is always on; public access is opt-in by CIDR.

    `privateAccessCidrs`: where `pulumi up` (or anything else) reaches the private endpoint
    from, inside the VPC or a network connected to it; each gets port 443 on the cluster
    security group, which otherwise admits only the cluster's own nodes."""

    public_access: bool = False
    public_access_cidrs: list[str] = []
    private_access_cidrs: list[IPv4Network] = []

    @field_validator("public_access_cidrs")
    @classmethod
    def _public(cls, cidrs: list[str]) -> list[str]:
        """Public ranges of either family (ClusterSettings checks the cluster's family)."""
        for index, cidr in enumerate(cidrs):
            problem = public_access_cidr_problem(cidr, "ipv6")
            if problem is not None:
                raise FieldError((index,), cidr, problem)
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


