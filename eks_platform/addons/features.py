"""The oldest add-on version that can do what a stack asks (written by hand, sources inline).

A pinned add-on older than a feature's minimum would either fail at deploy or silently do
less (prefix delegation off means far fewer pods per node), so the plan refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Version = tuple[int, int, int]

PREFIX_DELEGATION = "prefix delegation"
POD_IDENTITY = "Pod Identity"
NETWORK_POLICY = "network policy"


@dataclass(frozen=True, slots=True)
class Minimum:
    version: Version
    source: str


#: `(add-on, feature) -> oldest version`. Add-on names are EKS's (`vpc-cni`, ...).
FEATURE_MINIMUMS: Mapping[tuple[str, str], Minimum] = {
    ("vpc-cni", PREFIX_DELEGATION): Minimum(
        (1, 9, 0), "amazon-vpc-cni-k8s v1.9.0 release notes; EKS user guide, 'Assign more IP "
                   "addresses to Amazon EKS nodes with prefixes' (cni-increase-ip-addresses)"),
    ("vpc-cni", NETWORK_POLICY): Minimum(
        (1, 14, 0), "EKS user guide, 'Limit Pod traffic with Kubernetes network policies' "
                    "(cni-network-policy): version 1.14 or later of the VPC CNI"),
    ("vpc-cni", POD_IDENTITY): Minimum(
        (1, 15, 5), "EKS user guide, EKS Pod Identity supported versions (pod-id-minimum-sdk): "
                    "VPC CNI v1.15.5-eksbuild.1"),
    ("aws-ebs-csi-driver", POD_IDENTITY): Minimum(
        (1, 26, 0), "EKS user guide, EKS Pod Identity supported versions (pod-id-minimum-sdk): "
                    "EBS CSI driver v1.26.0-eksbuild.1"),
}

_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.\d+)?")


def parse_version(version: str) -> Version | None:
    """`v1.19.2-eksbuild.1` (add-on) or `1.19.2` (eks-charts chart, whose version is the
    CNI's) -> `(1, 19, 2)`; None when it is neither."""
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def _shown(version: Version) -> str:
    return ".".join(map(str, version))


def feature_problems(addon: str, version: str, features: Iterable[str]) -> list[str]:
    """A message for each asked-for feature that the pinned `version` of `addon` cannot do."""
    asked = [f for f in features if (addon, f) in FEATURE_MINIMUMS]
    if not asked:
        return []
    parsed = parse_version(version)
    if parsed is None:
        return [f"{addon} version {version!r} is not vX.Y.Z-eksbuild.N or X.Y.Z, so it cannot "
                f"be checked for {', '.join(asked)}"]
    problems = []
    for feature in asked:
        minimum = FEATURE_MINIMUMS[(addon, feature)].version
        if parsed < minimum:
            problems.append(f"{feature} needs {addon} >= {_shown(minimum)}; the pinned version "
                            f"{version} is {_shown(parsed)}")
    return problems
