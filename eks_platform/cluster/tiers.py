"""Provisioned control plane tiers (`controlPlaneScalingConfig.tier`): what each guarantees,
as data with its source (issue #19); pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from eks_platform.facts.eks_api import (
    BOTOCORE,
    CONTROL_PLANE_TIERS,
    G_PCP,
    minor,
)

# ----------------------------------------------------------------------------------------------
# Control plane scaling tiers (EKS Provisioned Control Plane)
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TierFacts:
    """What a tier guarantees. None: not published for that tier (standard scales on demand)."""

    tier: str
    label: str
    api_request_concurrency_seats: int | None
    pod_scheduling_rate_per_second: int | None
    cluster_database_size_gb: int | None
    source: str
    note: str = ""


_STANDARD_NOTE = ("not fixed: standard mode scales with demand; it supports up to 8 GB of etcd, "
                  "so a cluster above 8 GB cannot leave a provisioned tier for standard")
_8XL_NOTE = ("no capacity figures in the guide copy read (it says to contact AWS for tiers "
             "above 4XL); DescribeClusterVersions returns controlPlaneScalingTiers with "
             "apiRequestConcurrency, podSchedulingRatePerSecond and clusterDatabaseSizeGb")


def _tiers(xl: int, xl2: int, xl4: int) -> dict[str, TierFacts]:
    return {
        "standard": TierFacts("standard", "Standard", None, None, 8, G_PCP, _STANDARD_NOTE),
        "tier-xl": TierFacts("tier-xl", "XL", 1700, xl, 16, G_PCP),
        "tier-2xl": TierFacts("tier-2xl", "2XL", 3400, xl2, 16, G_PCP),
        "tier-4xl": TierFacts("tier-4xl", "4XL", 6800, xl4, 16, G_PCP),
        "tier-8xl": TierFacts("tier-8xl", "8XL", None, None, None, BOTOCORE, _8XL_NOTE),
    }


#: Tier capacity by Kubernetes version band: 1.28-1.29 schedule 100 pods/s on every tier; 1.30
#: and later 167 / 283 / 400. Seats and etcd size are the same in both bands.
#: Source: G_PCP ("Control Plane Scaling Tiers" tables).
TIERS_1_28_TO_1_29: Final = _tiers(100, 100, 100)
TIERS_1_30_AND_LATER: Final = _tiers(167, 283, 400)

#: Provisioned tiers need Kubernetes 1.28 or later. Source: G_PCP ("Kubernetes version and
#: region support").
PROVISIONED_MIN_KUBERNETES: Final = (1, 28)
#: etcd size standard mode supports (GB). Source: G_PCP ("Exit restriction").
STANDARD_MAX_DATABASE_GB: Final = 8
#: A tier change is an in-place cluster update of this type. Source: G_PCP; G_PCP_START.
TIER_UPDATE_TYPE: Final = "ScalingTierConfigUpdate"


def tier_facts(tier: str, kubernetes_version: str) -> TierFacts:
    """What `tier` (an API value, `tier-xl`) guarantees on `kubernetes_version` (`1.31`)."""
    if tier not in CONTROL_PLANE_TIERS:
        allowed = ", ".join(CONTROL_PLANE_TIERS)
        raise ValueError(f"control plane tier {tier!r} is not one of {allowed}")
    version = minor(kubernetes_version)
    if tier != "standard" and version < PROVISIONED_MIN_KUBERNETES:
        raise ValueError(f"provisioned control plane tiers need Kubernetes 1.28 or later, not "
                         f"{kubernetes_version}")
    table = TIERS_1_30_AND_LATER if version >= (1, 30) else TIERS_1_28_TO_1_29
    return table[tier]


