"""`eks-platform:autoMode`, `controlPlaneTier` and `hybridNodes`: the settings, and the pure
answers built from them (cluster inputs, pods per node, what a tier buys).

One setting drives Auto Mode's three capability switches together; built-in pools are checked
case-sensitively against EKS's two; custom `nodePools` have the shape of `karpenter.nodePools`
and become NodePools on a NodeClass the package makes (`cluster/auto_mode_component.py`).
The rules and their sources are in `auto_mode_rules.py`, `tiers.py` and `hybrid_rules.py`.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, field_validator, model_validator

from eks_platform.cluster.auto_mode_rules import (
    AUTO_MODE_MIN_KUBERNETES,
    BUILT_IN_NODE_POOLS,
    auto_mode_config_problems,
    auto_mode_max_pods,
    auto_mode_may_launch,
)
from eks_platform.cluster.hybrid_rules import remote_network_problems
from eks_platform.cluster.tiers import TierFacts, tier_facts
from eks_platform.errors import FieldError
from eks_platform.facts.eks_api import minor
from eks_platform.karpenter.settings import NodePoolSettings
from eks_platform.model import SettingsModel
from eks_platform.nodes import maxpods

#: botocore's ProvisionedControlPlaneTier enum (`facts.eks_api.CONTROL_PLANE_TIERS`).
ControlPlaneTier = Literal["standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl"]

#: Where the pods-per-node rule comes from (shown by the plan beside each pool).
PODS_RULE_SOURCE = ("EKS user guide, automode/create-node-class.adoc (110-pod cap after the "
                    "max-pods calculation) and automode/auto-networking.adoc (Auto Mode "
                    "assigns /28 prefixes: prefix delegation)")
#: Auto Mode runs prefix delegation itself (auto-networking.adoc): the calculator's inputs.
AUTO_MODE_CNI = maxpods.MaxPodsOptions(cni_version="1.19.0", prefix_delegation=True)
#: NodePool settings that only mean something to Karpenter's EC2NodeClass (AMI, IMDS hop
#: limit): an Auto Mode NodeClass has neither (create-node-class.adoc lists its fields).
KARPENTER_ONLY_POOL_FIELDS = {"ami_family": "amiFamily", "imds_hop_limit": "imdsHopLimit",
                              "split_by_max_pods": "splitByMaxPods"}


def _did_you_mean(value: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if not close:
        close = [a for a in allowed if a.lower() == value.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


class AutoModeSettings(SettingsModel):
    """Key `eks-platform:autoMode`: EKS Auto Mode (compute, block storage and load balancing
    run by EKS). Absent: the cluster's Auto Mode inputs are left unset."""

    enabled: bool = False
    """Drives computeConfig.enabled, storageConfig.blockStorage.enabled and
    kubernetesNetworkConfig.elasticLoadBalancing.enabled together: EKS refuses them apart.
    `false` on a cluster that had it sends all three false with no node pools (turning off)."""
    built_in_node_pools: list[str] = Field(["system", "general-purpose"])
    """EKS's built-in NodePools (`computeConfig.nodePools`): `system`, `general-purpose`,
    spelled exactly (EKS names them case-sensitively). Empty: custom pools only, and no node
    role is passed (EKS refuses a node role without built-in pools)."""
    node_pools: list[NodePoolSettings] = Field([])
    """Custom NodePools, shaped like `karpenter.nodePools`, on a NodeClass the package makes
    with its own node role and `EC2` access entry."""
    migrating_from_karpenter: bool = False
    """Declares a migration from self-managed Karpenter: only then may `karpenter.enabled`
    stay on beside Auto Mode (the EKS guide's auto-migrate-karpenter route)."""

    @field_validator("built_in_node_pools")
    @classmethod
    def _known_pools(cls, pools: list[str]) -> list[str]:
        allowed = list(BUILT_IN_NODE_POOLS)
        for index, pool in enumerate(pools):
            if pool not in BUILT_IN_NODE_POOLS:
                raise FieldError((index,), pool,
                                 f"{pool!r} is not a built-in node pool; EKS has "
                                 f"{', '.join(allowed)} (case-sensitive)"
                                 f"{_did_you_mean(pool, allowed)}")
        if len(set(pools)) != len(pools):
            raise ValueError("built-in node pools must not repeat")
        return pools

    @model_validator(mode="after")
    def _pools_fit_auto_mode(self) -> AutoModeSettings:
        check_auto_mode_pools(self.node_pools)
        names = [pool.name for pool in self.node_pools]
        if self.enabled:
            problems = auto_mode_config_problems(
                compute=True, load_balancing=True, block_storage=True,
                node_pools=self.built_in_node_pools,
                node_role_arn="role" if self.built_in_node_pools else None)
            if problems:
                raise FieldError("builtInNodePools", self.built_in_node_pools, problems[0])
        elif self.node_pools:
            raise FieldError("nodePools", names, "custom node pools need enabled: true")
        return self

    @property
    def turning_off(self) -> bool:
        """`enabled: false` written out: send the three switches false (auto-disable.adoc)."""
        return not self.enabled and "enabled" in self.model_fields_set


def check_auto_mode_pools(pools: list[NodePoolSettings]) -> None:
    """Custom pools Auto Mode can run: unique names, no Karpenter-only field, no size it never
    launches. A FieldError under `nodePools` (stack file and `AutoModeNodePoolsArgs`)."""
    names = [pool.name for pool in pools]
    if len(set(names)) != len(names):
        raise FieldError("nodePools", names, "NodePool names must be unique")
    for index, pool in enumerate(pools):
        for field, key in KARPENTER_ONLY_POOL_FIELDS.items():
            if field in pool.model_fields_set:
                raise FieldError(("nodePools", index, key), getattr(pool, field),
                                 f"{key} is Karpenter's EC2NodeClass setting; an Auto Mode "
                                 "NodeClass has no such field (EKS picks the AMI)")
        refused = [t for t in pool.allowed_types
                   if not auto_mode_may_launch(t, maxpods.lookup(t).vcpus)]
        if refused:
            raise FieldError(("nodePools", index), pool.name,
                             f"Auto Mode never launches {', '.join(refused[:5])} (no nano, "
                             "micro or small sizes, more than 1 vCPU: EKS user guide "
                             "automode-learn-instances); narrow the pool")


class HybridNodesSettings(SettingsModel):
    """Key `eks-platform:hybridNodes`: on-premises nodes joining the cluster (EKS Hybrid
    Nodes). Becomes `remoteNetworkConfig`, a `HYBRID_LINUX` access entry for a created hybrid
    nodes role, and port 443 on the cluster security group from the remote networks."""

    remote_node_networks: list[str] = Field(min_length=1)
    """The on-premises node CIDRs: RFC 1918 IPv4, not overlapping the VPC or the service
    CIDR (EKS refuses others)."""
    remote_pod_networks: list[str] = Field([])
    """The pod CIDRs of the hybrid nodes' CNI (Cilium); needed when webhooks run there or
    the CNI does not masquerade pod traffic."""

    @model_validator(mode="after")
    def _rfc1918(self) -> HybridNodesSettings:
        problems = remote_network_problems(self.remote_node_networks, self.remote_pod_networks)
        if problems:
            key = "remotePodNetworks" if problems[0].startswith("remote pod") \
                else "remoteNodeNetworks"
            raise FieldError(key, getattr(self, _snake(key)), problems[0])
        return self


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def hybrid_overlap_problem(hybrid: HybridNodesSettings, vpc_cidrs: list[str],
                           service_cidr: str | None) -> str | None:
    """A remote network overlapping the VPC's or the service CIDR (EKS refuses it)."""
    problems = remote_network_problems(hybrid.remote_node_networks, hybrid.remote_pod_networks,
                                       vpc_cidrs=vpc_cidrs, service_cidr=service_cidr)
    return problems[0] if problems else None


def default_service_cidr(vpc_cidr: str) -> str:
    """The service CIDR EKS chooses when none is given: one of 10.100.0.0/16 and
    172.20.0.0/16 (botocore KubernetesNetworkConfigRequest.serviceIpv4Cidr), 172.20.0.0/16
    when the VPC is in 10.0.0.0/8 (the rule amazon-eks-ami's bootstrap.sh applies to the
    cluster DNS IP, 172.20.0.10 or 10.100.0.10)."""
    return "172.20.0.0/16" if vpc_cidr.startswith("10.") else "10.100.0.0/16"


def auto_mode_version_problem(kubernetes_version: str) -> str | None:
    if minor(kubernetes_version) < AUTO_MODE_MIN_KUBERNETES:
        floor = ".".join(map(str, AUTO_MODE_MIN_KUBERNETES))
        return f"EKS Auto Mode needs Kubernetes {floor} or later, not {kubernetes_version}"
    return None


def tier_problem(tier: str, kubernetes_version: str) -> str | None:
    try:
        tier_facts(tier, kubernetes_version)
    except ValueError as error:
        return str(error)
    return None


def tier_summary(tier: str, kubernetes_version: str) -> str:
    """One line of what the tier buys, with its source, for the plan."""
    facts: TierFacts = tier_facts(tier, kubernetes_version)
    if facts.api_request_concurrency_seats is None:
        return f"{tier}: {facts.note} [{facts.source}]"
    return (f"{tier}: {facts.api_request_concurrency_seats} API request concurrency seats, "
            f"{facts.pod_scheduling_rate_per_second} pods scheduled/s, "
            f"{facts.cluster_database_size_gb} GB etcd [{facts.source}]")


# --- custom pools: pods per node, names -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AutoPoolPods:
    """What one custom pool's nodes hold: the calculator's answer per type, capped at 110."""

    pool: str
    min_pods: int
    max_pods: int


def pods_per_node(instance_type: str) -> int:
    """Pods an Auto Mode node of that type holds: the max-pods calculation with prefix
    delegation (Auto Mode's own networking), then Auto Mode's 110 cap (PODS_RULE_SOURCE)."""
    return auto_mode_max_pods(maxpods.max_pods(instance_type, AUTO_MODE_CNI))


def pool_pods(pool: NodePoolSettings) -> AutoPoolPods:
    """Pods per node over the pool's types (`pods_per_node`)."""
    pods = [pods_per_node(t) for t in pool.allowed_types]
    return AutoPoolPods(pool.name, min(pods), max(pods))


#: The package's NodeClass: never `default`, which EKS owns (create-node-class.adoc).
NODE_CLASS_NAME = "eks-platform"


def node_role_name(cluster_name: str) -> str:
    """A fixed IAM role name for the built-in pools' node role (at most 64 characters), so
    the guard can tell a change of `computeConfig.nodeRoleArn`, which EKS refuses."""
    name = f"{cluster_name}-eks-auto-node"
    if len(name) <= 64:
        return name
    return f"eks-auto-node-{hashlib.sha1(cluster_name.encode()).hexdigest()[:16]}"


def cluster_feature_error(*, auto_mode: AutoModeSettings | None, tier: str | None,
                          hybrid: HybridNodesSettings | None, kubernetes_version: str,
                          ip_family: str, bootstrap_self_managed_addons: bool) -> None:
    """What the control plane's own settings say against Auto Mode, a tier or hybrid nodes,
    as a FieldError naming the key (ClusterSettings runs it for stack files and Args)."""
    if auto_mode is not None and auto_mode.enabled:
        problem = auto_mode_version_problem(kubernetes_version)
        if problem is not None:
            raise FieldError(("autoMode", "enabled"), True, problem)
        if bootstrap_self_managed_addons:
            raise FieldError("bootstrapSelfManagedAddons", True,
                             "an Auto Mode cluster is created with bootstrapSelfManagedAddons: "
                             "false (EKS runs its networking itself; pulumi_aws Cluster docs)")
    if tier is not None:
        problem = tier_problem(tier, kubernetes_version)
        if problem is not None:
            raise FieldError("controlPlaneTier", tier, problem)
    if hybrid is not None and ip_family != "ipv4":
        raise FieldError("hybridNodes", hybrid.model_dump(by_alias=True),
                         f"hybrid nodes need an IPv4 cluster, not ipFamily {ip_family!r} "
                         "(EKS user guide, hybrid-nodes-networking)")
