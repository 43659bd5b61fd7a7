"""`plan --policy strict`: which of the prod-like controls a stack does not hold (pure).

The controls are `security_controls.CONTROLS`; this module says, for the ones a setting can
relax, what "prod-like" means and whether a stack's settings meet it. Any stack can be checked,
whatever its name: a user's own `qa` or `prod-eu` is held to the same rules as the shipped
prod, and dev lists the lighter choices it makes on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eks_platform.stack.security_controls import CONTROLS, Control, control
from eks_platform.stack.settings import PlatformSettings

POLICIES = ("strict",)
#: Retention a prod-like stack keeps its logs at least (CIS EKS 2.1.2 asks for "an
#: appropriate period"; the package's default, one year, is the bar).
STRICT_RETENTION_DAYS = 365
ALL_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")


@dataclass(frozen=True)
class Gap:
    """A control the stack does not hold, and the setting that relaxes it."""

    control: Control
    why: str

    def line(self) -> str:
        return f"{self.control.id}: {self.why} ({self.control.title})"


def _logs(s: PlatformSettings) -> str | None:
    missing = [t for t in ALL_LOG_TYPES if t not in s.logging]
    return f"logging leaves out {', '.join(missing)}" if missing else None


def _retention(s: PlatformSettings) -> str | None:
    if s.log_retention_days < STRICT_RETENTION_DAYS:
        return (f"logRetentionDays is {s.log_retention_days}, under "
                f"{STRICT_RETENTION_DAYS}")
    return None


def _endpoint(s: PlatformSettings) -> str | None:
    return "endpoint.publicAccess is true" if s.endpoint.public_access else None


def _network_policy(s: PlatformSettings) -> str | None:
    return None if s.cni.network_policy else "cni.networkPolicy is false"


def _imds(s: PlatformSettings) -> str | None:
    hops = [f"{g.name} ({g.imds_hop_limit})" for g in s.node_groups if g.imds_hop_limit > 1]
    return f"imdsHopLimit above 1 on node groups {', '.join(hops)}" if hops else None


def _volumes(s: PlatformSettings) -> str | None:
    if s.node_volume_kms_key != "customer":
        return f"nodeVolumeKmsKey is {s.node_volume_kms_key}, not a customer key"
    return None


def _ssm(s: PlatformSettings) -> str | None:
    groups = [g.name for g in s.node_groups if g.ssm]
    return f"ssm on node groups {', '.join(groups)}" if groups else None


def _admins(s: PlatformSettings) -> str | None:
    if not s.admins:
        return "no admins: the identity running pulumi up is cluster-admin"
    if s.creator_is_admin:
        return "clusterCreatorAdmin is true: the identity running pulumi up is cluster-admin"
    return None


def _flow_logs(s: PlatformSettings) -> str | None:
    if s.vpc is None:  # existing subnets: their VPC's flow logs are not the stack's to set
        return None
    logs = s.vpc.flow_logs
    if not logs.enabled:
        return "vpc.flowLogs.enabled is false"
    if logs.traffic_type != "ALL":
        return f"vpc.flowLogs.trafficType is {logs.traffic_type}, not ALL"
    if logs.retention_days < STRICT_RETENTION_DAYS:
        return (f"vpc.flowLogs.retentionDays is {logs.retention_days}, under "
                f"{STRICT_RETENTION_DAYS}")
    return None


#: Control id -> what the stack does that a prod-like stack would not (None: held).
STRICT_RULES: tuple[tuple[str, Callable[[PlatformSettings], str | None]], ...] = (
    ("control-plane-logs", _logs),
    ("control-plane-log-retention", _retention),
    ("private-endpoint", _endpoint),
    ("network-policy", _network_policy),
    ("imdsv2", _imds),
    ("node-volume-encryption", _volumes),
    ("ssm-opt-in", _ssm),
    ("cluster-admin-where-required", _admins),
    ("vpc-flow-logs", _flow_logs),
)


def strict_gaps(settings: PlatformSettings) -> list[Gap]:
    """The prod-like controls `settings` does not hold, in the order of the security table."""
    found = {rule_id: why for rule_id, rule in STRICT_RULES if (why := rule(settings))}
    return [Gap(control(c.id), found[c.id]) for c in CONTROLS if c.id in found]


def report(gaps: list[Gap]) -> str:
    """The plan's policy section, as text."""
    checked = len(STRICT_RULES)
    if not gaps:
        return f"Policy strict: holds all {checked} prod-like controls checked\n"
    lines = [f"Policy strict: {len(gaps)} of {checked} prod-like controls not held"]
    lines += [f"  - {gap.line()}" for gap in gaps]
    return "\n".join(lines) + "\n"
