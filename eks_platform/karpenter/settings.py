"""The `karpenter` stack block: controller chart, namespace, and the NodePools it should run.

The NodePools' own settings and rules are in `pool_settings.py` (re-exported here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from pydantic import Field, field_validator, model_validator

from eks_platform.errors import FieldError
from eks_platform.karpenter.pool_settings import (
    OPEN_ENDED,
    Architecture,
    BudgetSettings,
    ConsolidationPolicy,
    DisruptionReason,
    DisruptionSettings,
    KarpenterAmiFamily,
    KarpenterCapacityType,
    KarpenterTaintEffect,
    NodePoolSettings,
    PoolLimitsSettings,
    PoolTaintSettings,
)
from eks_platform.model import SettingsModel

__all__ = [
    "CHART",
    "CONTROLLER_REPLICAS",
    "CRD_CHART",
    "DEFAULT_CHART_VERSION",
    "DEFAULT_NAMESPACE",
    "OPEN_ENDED",
    "Architecture",
    "BudgetSettings",
    "ConsolidationPolicy",
    "DisruptionReason",
    "DisruptionSettings",
    "KarpenterAmiFamily",
    "KarpenterCapacityType",
    "KarpenterSettings",
    "KarpenterSpec",
    "KarpenterTaintEffect",
    "NodeGroupLike",
    "NodePoolSettings",
    "PoolLimitsSettings",
    "PoolTaintSettings",
    "system_group_problem",
]

#: Chart `oci://public.ecr.aws/karpenter/karpenter` (aws/karpenter-provider-aws
#: charts/karpenter/Chart.yaml; version equals appVersion).
DEFAULT_CHART_VERSION = "1.14.1"
CHART = "oci://public.ecr.aws/karpenter/karpenter"
#: Karpenter's CRDs as a chart of their own, released with the same version as the controller.
CRD_CHART = "oci://public.ecr.aws/karpenter/karpenter-crd"
#: Karpenter's getting-started guide installs it in kube-system.
DEFAULT_NAMESPACE = "kube-system"

#: Controller replicas, spread over different system nodes (values.py).
CONTROLLER_REPLICAS = 2


class _NodeGroup(Protocol):
    """What the system-group check reads of a node group's settings."""

    @property
    def name(self) -> str: ...
    @property
    def labels(self) -> dict[str, str]: ...
    @property
    def min_size(self) -> int: ...


NodeGroupLike = TypeVar("NodeGroupLike", bound=_NodeGroup)


class KarpenterSpec(SettingsModel):
    """What the `Karpenter` component installs: chart, namespace and NodePools."""

    chart_version: str = DEFAULT_CHART_VERSION
    """Version of the Karpenter chart (`oci://public.ecr.aws/karpenter/karpenter`); a 1.x
    version, since the package writes Karpenter's v1 APIs. After an upgrade that changes
    CRDs, apply the `karpenter-crd` chart of the same version."""
    namespace: str = Field(DEFAULT_NAMESPACE, pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    """Namespace of the controller; kube-system, as in Karpenter's getting-started guide."""
    node_pools: list[NodePoolSettings] = Field([])
    """The NodePools (and their EC2NodeClasses), each split by max pods unless told otherwise."""
    ssm: bool = False
    """AmazonSSMManagedInstanceCore on the node role, as `ssm` of a node group: off unless
    asked for, since it lets nodes read every SSM parameter in the account."""

    @field_validator("chart_version")
    @classmethod
    def _v1_chart(cls, version: str) -> str:
        if not re.match(r"^1\.\d+\.\d+$", version):
            raise ValueError("expected a 1.x.y chart version: this package writes Karpenter's "
                             "v1 APIs (karpenter.sh/v1, karpenter.k8s.aws/v1)")
        return version

    @model_validator(mode="after")
    def _unique_pools(self) -> KarpenterSpec:
        names = [pool.name for pool in self.node_pools]
        if len(set(names)) != len(names):
            raise FieldError("nodePools", names, "NodePool names must be unique")
        split = {pool.name for pool in self.node_pools if pool.split_by_max_pods}
        for i, pool in enumerate(self.node_pools):
            base, _, suffix = pool.name.rpartition("-")
            if suffix.isdigit() and base in split:
                raise FieldError(("nodePools", i, "name"), pool.name,
                                 f"pool {base!r} is split by max pods into NodePools named "
                                 f"{base}-<max pods>, which can collide with this name: "
                                 "rename it, or set splitByMaxPods: false on pool "
                                 f"{base!r}")
        return self


class KarpenterSettings(KarpenterSpec):
    """Key `eks-platform:karpenter`: off unless `enabled`; the controller runs on the managed
    node group `systemNodeGroup` (default: the only node group)."""

    enabled: bool = False
    """Install Karpenter: controller, IAM, interruption queue, node classes and NodePools. Off
    by default. Turns on the pod identity agent (the controller's role comes through EKS Pod
    Identity)."""
    system_node_group: str | None = Field(None, pattern=r"^[a-z][a-z0-9-]{0,36}$")
    """The managed node group the controller runs on (it needs labels and `minSize` >= 2 for
    the two replicas). Unset: the only node group."""

    def system_group(self, node_groups: Sequence[NodeGroupLike]) -> NodeGroupLike:
        """The node group the controller runs on, or a FieldError (relative to the stack)
        that says why none fits."""
        key = ("karpenter", "systemNodeGroup")
        names = [group.name for group in node_groups]
        if not node_groups:
            raise FieldError(key, self.system_node_group,
                             "Karpenter's controller runs on a managed node group (never on "
                             "nodes it manages): add one to nodeGroups")
        if self.system_node_group is None:
            if len(node_groups) > 1:
                raise FieldError(key, None, "name the node group the controller runs on, one "
                                 f"of: {', '.join(names)}")
            group = node_groups[0]
        else:
            found = [g for g in node_groups if g.name == self.system_node_group]
            if not found:
                raise FieldError(key, self.system_node_group,
                                 f"no node group of that name; have: {', '.join(names)}")
            group = found[0]
        problem = system_group_problem(group)
        if problem is not None:
            raise FieldError(key, group.name, problem)
        return group


def system_group_problem(group: _NodeGroup) -> str | None:
    """Why the controller cannot run on this node group, or None when it can."""
    if not group.labels:
        return (f"node group {group.name} needs labels: the controller's node affinity "
                "selects the group's nodes by them")
    if group.min_size < CONTROLLER_REPLICAS:
        return (f"node group {group.name} has minSize {group.min_size}: the controller's "
                f"{CONTROLLER_REPLICAS} replicas run on different nodes, so it needs minSize "
                f">= {CONTROLLER_REPLICAS}")
    return None
