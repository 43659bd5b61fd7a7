"""EKS Auto Mode's rules as data with their sources (issue #19): IAM, the three capability
switches, built-in node pools, max pods, instance sizes, and the add-on minimums for turning it
on on an existing cluster. Sources are named by the constants of `facts.eks_api`; pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from eks_platform.facts.eks_api import (
    G_AUTO_CLI_OLD,
    G_AUTO_ENABLE,
    G_BUILTIN_POOLS,
    ManagedPolicy,
    Trust,
    minor,
)

# ----------------------------------------------------------------------------------------------
# EKS Auto Mode
# ----------------------------------------------------------------------------------------------

#: Cluster role policies for Auto Mode. Source: G_AUTO_IAM, G_AUTO_ENABLE, G_AUTO_CLI. Paths: all
#: five are at `/` (not `/service-role/`) in MOTO_POLICIES. Note: MOTO_POLICIES also holds an
#: `AmazonEKSBlockStoragePolicyV2` (created 2026-05-11, "attached to the EKS Cluster Role") that
#: no guide copy read here names; the guide's list is kept.
AUTO_MODE_CLUSTER_POLICIES: Final = (
    ManagedPolicy("AmazonEKSClusterPolicy"),
    ManagedPolicy("AmazonEKSComputePolicy"),
    ManagedPolicy("AmazonEKSBlockStoragePolicy"),
    ManagedPolicy("AmazonEKSLoadBalancingPolicy"),
    ManagedPolicy("AmazonEKSNetworkingPolicy"),
)

#: Node role policies for Auto Mode. Source: G_AUTO_IAM, G_AUTO_CLI; both at `/` in MOTO_POLICIES.
AUTO_MODE_NODE_POLICIES: Final = (
    ManagedPolicy("AmazonEKSWorkerNodeMinimalPolicy"),
    ManagedPolicy("AmazonEC2ContainerRegistryPullOnly"),
)

#: Source: G_AUTO_ENABLE (trust to paste), G_AUTO_CLI_OLD (inline trust documents).
AUTO_MODE_CLUSTER_TRUST: Final = Trust(
    "eks.amazonaws.com", ("sts:AssumeRole", "sts:TagSession"), G_AUTO_ENABLE)
AUTO_MODE_NODE_TRUST: Final = Trust(
    "ec2.amazonaws.com", ("sts:AssumeRole",), G_AUTO_CLI_OLD,
    note="terraform-aws-modules/terraform-aws-eks v21.19.0 main.tf adds sts:TagSession here too; "
         "the guide does not")

#: The cluster role cannot be replaced after creation: enabling Auto Mode on an existing cluster
#: means attaching AUTO_MODE_CLUSTER_POLICIES to the role it has. Source: G_AUTO_ENABLE.
CLUSTER_ROLE_IMMUTABLE: Final = True

#: `computeConfig.nodeRoleArn` cannot change once the compute capability is on.
#: Source: BOTOCORE (ComputeConfigRequest.nodeRoleArn documentation); PULUMI_AWS docstring of
#: ClusterComputeConfigArgs.node_role_arn. (A custom NodeClass's `spec.role` can change; its
#: nodes then need a new access entry: G_NODE_CLASS.)
AUTO_MODE_NODE_ROLE_IMMUTABLE: Final = True

#: Access entry for the role of a custom NodeClass (EKS makes it for the built-in pools' role).
#: Source: G_NODE_CLASS ("Create node class access entry").
AUTO_NODE_ACCESS_ENTRY_TYPE: Final = "EC2"
AUTO_NODE_ACCESS_POLICY: Final = "AmazonEKSAutoNodePolicy"
AUTO_NODE_ACCESS_SCOPE: Final = "cluster"

#: Auto Mode needs access entries: API, or API_AND_CONFIG_MAP to keep the ConfigMap too.
#: Source: G_CREATE_CLUSTER_AUTO ("Cluster authentication mode").
AUTO_MODE_AUTHENTICATION_MODES: Final = ("API", "API_AND_CONFIG_MAP")

#: Oldest Kubernetes version Auto Mode runs on. Source: G_AUTO_CREATE ("1.29 or greater").
AUTO_MODE_MIN_KUBERNETES: Final = (1, 29)

#: The three capability switches, which must all be on or all off in one request.
#: Source: G_AUTO_ENABLE and G_AUTO_DISABLE (NOTE blocks); PULUMI_AWS Cluster docstring.
AUTO_MODE_SWITCHES: Final = (
    "computeConfig.enabled",
    "kubernetesNetworkConfig.elasticLoadBalancing.enabled",
    "storageConfig.blockStorage.enabled",
)

#: PULUMI_AWS (Cluster docstring, "EKS Cluster with EKS Auto Mode") says enabling Auto Mode also
#: needs `bootstrap_self_managed_addons = false`; terraform-aws-eks v21.19.0 hard-codes false.
#: No guide copy read here states it, so it is recorded, not enforced.
AUTO_MODE_BOOTSTRAP_SELF_MANAGED_ADDONS: Final = False


@dataclass(frozen=True, slots=True)
class BuiltInNodePool:
    name: str
    architectures: tuple[str, ...]
    taint: str | None
    source: str = G_BUILTIN_POOLS


#: Built-in NodePools: both use the `default` NodeClass, on-demand capacity only, the C, M and R
#: families, generation 5 or newer; they can only be enabled or disabled, not modified.
#: Source: G_BUILTIN_POOLS; G_NODE_POOL; PULUMI_AWS ("Valid options are general-purpose and
#: system").
BUILT_IN_NODE_POOLS: Final[Mapping[str, BuiltInNodePool]] = {
    "system": BuiltInNodePool("system", ("amd64", "arm64"), "CriticalAddonsOnly"),
    "general-purpose": BuiltInNodePool("general-purpose", ("amd64",), None),
}
BUILT_IN_NODE_POOL_CAPACITY_TYPE: Final = "on-demand"
BUILT_IN_NODE_POOL_CATEGORIES: Final = ("c", "m", "r")
BUILT_IN_NODE_POOL_MIN_GENERATION: Final = 5
#: The NodeClass EKS provisions when at least one built-in pool is on; custom NodeClasses must
#: not take the name. Source: G_NODE_CLASS ("Default node class").
DEFAULT_NODE_CLASS_NAME: Final = "default"


def auto_mode_config_problems(
    *,
    compute: bool,
    load_balancing: bool,
    block_storage: bool,
    node_pools: Sequence[str] = (),
    node_role_arn: str | None = None,
) -> list[str]:
    """What the EKS API would refuse in an Auto Mode cluster configuration.

    * the three switches differ (G_AUTO_ENABLE, G_AUTO_DISABLE);
    * an unknown built-in pool (BUILT_IN_NODE_POOLS);
    * built-in pools without a node role: EKS answers "When Compute Config nodeRoleArn is null or
      empty, nodePool list cannot be populated" (terraform-aws-modules/terraform-aws-eks#3366);
    * a node role without built-in pools: both must be empty for a cluster without built-in
      pools (G_NODE_POOL "Cluster without built-in node pools"; InvalidParameterException in
      terraform-aws-modules/terraform-aws-eks#3238);
    * pools while compute is off: disabling needs an empty `nodePools`
      (terraform-aws-modules/terraform-aws-eks#3513; the guide's disable command sends none).
    """
    problems = []
    if len({compute, load_balancing, block_storage}) != 1:
        problems.append(
            "EKS Auto Mode's compute, load balancing and block storage capabilities must be "
            "enabled or disabled together")
    unknown = [p for p in node_pools if p not in BUILT_IN_NODE_POOLS]
    if unknown:
        problems.append(f"unknown built-in node pool(s) {', '.join(unknown)}; "
                        f"EKS has {', '.join(BUILT_IN_NODE_POOLS)}")
    if not compute:
        if node_pools:
            problems.append("nodePools must be empty when the compute capability is disabled")
        return problems
    if node_pools and not node_role_arn:
        problems.append("built-in node pools need computeConfig.nodeRoleArn")
    if node_role_arn and not node_pools:
        problems.append("computeConfig.nodeRoleArn must be empty when no built-in node pool is "
                        "enabled (give custom NodeClasses their role instead)")
    return problems


#: Max pods: Auto Mode caps pods per node at 110, after the usual max-pods calculation
#: ("choosing-instance-type"). Source: G_NODE_CLASS ("maximum Pod density").
AUTO_MODE_MAX_PODS_CAP: Final = 110


def auto_mode_max_pods(calculated_max_pods: int) -> int:
    """Pods per Auto Mode node: the usual max-pods value for the instance type, capped at 110.

    The guide says the cap is applied after the existing calculation; it does not say which
    inputs (prefix delegation, pod subnets) that calculation takes for Auto Mode, so the caller
    supplies the calculated value. Source: G_NODE_CLASS."""
    if calculated_max_pods < 1:
        raise ValueError(f"max pods must be positive, not {calculated_max_pods}")
    return min(calculated_max_pods, AUTO_MODE_MAX_PODS_CAP)


#: Instance sizes Auto Mode never launches, and its vCPU floor (more than one).
#: Source: G_AUTO_INSTANCES ("EKS Auto Mode supported instance reference").
AUTO_MODE_EXCLUDED_SIZES: Final = ("nano", "micro", "small")
AUTO_MODE_MIN_VCPUS_EXCLUSIVE: Final = 1


def auto_mode_may_launch(instance_type: str, vcpus: int) -> bool:
    """Whether the size rule lets Auto Mode launch `instance_type` (the family must also be in
    the guide's supported list, which changes too often to copy). Source: G_AUTO_INSTANCES."""
    size = instance_type.partition(".")[2]
    return vcpus > AUTO_MODE_MIN_VCPUS_EXCLUSIVE and size not in AUTO_MODE_EXCLUDED_SIZES



# Add-on minimums before enabling Auto Mode on an existing cluster --------------------------------

AddonVersion = tuple[int, int, int, int]  # major, minor, patch, eksbuild
_ADDON_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)")


def parse_addon_version(version: str) -> AddonVersion | None:
    """`v1.25.16-eksbuild.22` -> `(1, 25, 16, 22)`; None when it is not that form (the eksbuild
    number matters: the kube-proxy minimums differ only there from earlier builds)."""
    match = _ADDON_VERSION.fullmatch(version.strip())
    if match is None:
        return None
    major, minor, patch, build = (int(g) for g in match.groups())
    return major, minor, patch, build


#: Add-ons that, when installed, must be at least this version before Auto Mode is enabled on an
#: existing cluster (new Auto Mode clusters are exempt). Source: G_AUTO_ENABLE ("Required Add-on
#: Versions"); add-on names from G_ADDON_NAMES.
AUTO_MODE_ADDON_MINIMUMS: Final[Mapping[str, str]] = {
    "vpc-cni": "v1.19.0-eksbuild.1",
    "aws-ebs-csi-driver": "v1.37.0-eksbuild.1",
    "snapshot-controller": "v8.1.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
}
#: kube-proxy's minimum is per Kubernetes minor version; the guide lists 1.25 to 1.31 and nothing
#: for later versions. Source: G_AUTO_ENABLE.
AUTO_MODE_KUBE_PROXY_MINIMUMS: Final[Mapping[str, str]] = {
    "1.25": "v1.25.16-eksbuild.22",
    "1.26": "v1.26.15-eksbuild.19",
    "1.27": "v1.27.16-eksbuild.14",
    "1.28": "v1.28.15-eksbuild.4",
    "1.29": "v1.29.10-eksbuild.3",
    "1.30": "v1.30.6-eksbuild.3",
    "1.31": "v1.31.2-eksbuild.3",
}




def addon_minimums_for_auto_mode(kubernetes_version: str) -> dict[str, str]:
    """Add-on name -> oldest version that may be installed when Auto Mode is enabled on an
    existing cluster of `kubernetes_version` (`1.30`). kube-proxy appears only for the versions
    the guide lists. Source: G_AUTO_ENABLE."""
    major, minor_version = minor(kubernetes_version)
    minimums = dict(AUTO_MODE_ADDON_MINIMUMS)
    kube_proxy = AUTO_MODE_KUBE_PROXY_MINIMUMS.get(f"{major}.{minor_version}")
    if kube_proxy is not None:
        minimums["kube-proxy"] = kube_proxy
    return minimums


def auto_mode_addon_problems(
    kubernetes_version: str, installed: Mapping[str, str]
) -> list[str]:
    """A message for each installed add-on (`name -> version`) older than its Auto Mode minimum,
    and for the cluster version if Auto Mode does not run on it."""
    problems = []
    if minor(kubernetes_version) < AUTO_MODE_MIN_KUBERNETES:
        floor = ".".join(map(str, AUTO_MODE_MIN_KUBERNETES))
        problems.append(
            f"EKS Auto Mode needs Kubernetes {floor} or later, not {kubernetes_version}")
    for name, minimum in addon_minimums_for_auto_mode(kubernetes_version).items():
        if name not in installed:
            continue
        have, need = parse_addon_version(installed[name]), parse_addon_version(minimum)
        if have is None:
            problems.append(f"{name} version {installed[name]!r} is not vX.Y.Z-eksbuild.N, so it "
                            f"cannot be checked against Auto Mode's minimum {minimum}")
        elif need is not None and have < need:
            problems.append(f"enabling EKS Auto Mode needs {name} >= {minimum}; the cluster has "
                            f"{installed[name]}")
    return problems


