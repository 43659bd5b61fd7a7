"""The `karpenter` stack block: controller chart, namespace, and the NodePools it should run.

A pool names the instance types it allows (families, optionally narrowed by sizes, or explicit
types) because its kubelet max pods is the calculator's answer over exactly those types: a pool
that leaves the types open could land on a type whose max pods nobody computed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, Protocol, TypeVar

from pydantic import Field, field_validator, model_validator

from eks_platform.errors import FieldError
from eks_platform.karpenter.catalog import (
    family_of,
    known_families,
    runs,
    types_of_families,
    unknown_family_message,
)
from eks_platform.model import SettingsModel
from eks_platform.nodes import maxpods
from eks_platform.nodes.settings import KUBERNETES_TAINT_EFFECTS

#: Chart `oci://public.ecr.aws/karpenter/karpenter` (aws/karpenter-provider-aws
#: charts/karpenter/Chart.yaml; version equals appVersion).
DEFAULT_CHART_VERSION = "1.14.1"
CHART = "oci://public.ecr.aws/karpenter/karpenter"
#: Karpenter's getting-started guide installs it in kube-system.
DEFAULT_NAMESPACE = "kube-system"

#: Controller replicas, spread over different system nodes (values.py).
CONTROLLER_REPLICAS = 2

#: Patterns of the karpenter.sh/v1 NodePool CRD (pkg/apis/crds/karpenter.sh_nodepools.yaml).
_DURATION_OR_NEVER = r"^(([0-9]+(s|m|h))+|Never)$"
_BUDGET_NODES = r"^((100|[0-9]{1,2})%|[0-9]+)$"
_BUDGET_DURATION = r"^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$"
_LABEL_KEY = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" \
             r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
#: A pool's name, plus `-<max pods>` when it is split, must fit a 63-character label value.
_POOL_NAME = r"^[a-z][a-z0-9-]{0,49}$"

#: Karpenter's `kubernetes.io/arch` values; they narrow the enumerated types (catalog.py).
Architecture = Literal["amd64", "arm64"]
#: Karpenter's own spelling (label `karpenter.sh/capacity-type`), not EKS's ON_DEMAND/SPOT.
KarpenterCapacityType = Literal["on-demand", "spot"]
KarpenterAmiFamily = Literal["al2023", "bottlerocket"]
ConsolidationPolicy = Literal["WhenEmpty", "WhenEmptyOrUnderutilized"]
DisruptionReason = Literal["Underutilized", "Empty", "Drifted"]
KarpenterTaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]

class _NodeGroup(Protocol):
    """What the system-group check reads of a node group's settings."""

    @property
    def name(self) -> str: ...
    @property
    def labels(self) -> dict[str, str]: ...
    @property
    def min_size(self) -> int: ...


NodeGroupLike = TypeVar("NodeGroupLike", bound=_NodeGroup)

OPEN_ENDED = (
    "the pool is open-ended: name instanceFamilies (optionally narrowed by instanceSizes) or "
    "instanceTypes, so that the instance table can enumerate the types it allows and kubelet "
    "maxPods can be the calculator's minimum over them; otherwise Karpenter could launch a "
    "type whose max pods nobody computed"
)


class BudgetSettings(SettingsModel):
    """One disruption budget: at most `nodes` (count or percent) disrupted at once."""

    nodes: str = Field("10%", pattern=_BUDGET_NODES)
    schedule: str | None = None
    duration: str | None = Field(None, pattern=_BUDGET_DURATION)
    reasons: list[DisruptionReason] = Field([])

    @model_validator(mode="after")
    def _schedule_with_duration(self) -> BudgetSettings:
        if self.schedule is not None and self.duration is None:
            raise FieldError("duration", None, f"schedule {self.schedule!r} needs a duration "
                             "(how long the budget applies after each start)")
        if self.duration is not None and self.schedule is None:
            raise FieldError("schedule", None, f"duration {self.duration!r} needs a schedule "
                             "(cron: when the budget starts)")
        return self


class DisruptionSettings(SettingsModel):
    consolidation_policy: ConsolidationPolicy = "WhenEmptyOrUnderutilized"
    consolidate_after: str = Field("1m", pattern=_DURATION_OR_NEVER)
    budgets: list[BudgetSettings] = Field([BudgetSettings()], max_length=50)


class PoolLimitsSettings(SettingsModel):
    """Upper bounds on what one pool provisions in total: vCPUs and memory."""

    cpu: int | None = Field(None, ge=1)
    memory: str | None = Field(None, pattern=r"^[1-9][0-9]*(Mi|Gi|Ti)$")


class PoolTaintSettings(SettingsModel):
    key: str = Field(pattern=_LABEL_KEY)
    value: str | None = Field(None, max_length=63)
    effect: KarpenterTaintEffect
    """`NoSchedule`, `NoExecute` or `PreferNoSchedule`, the Kubernetes spelling the NodePool
    takes; the EKS API's spelling node groups use (`NO_SCHEDULE`, ...) is accepted too and
    written in the Kubernetes one."""

    @field_validator("effect", mode="before")
    @classmethod
    def _kubernetes_spelling(cls, effect: object) -> object:
        return (KUBERNETES_TAINT_EFFECTS.get(effect, effect) if isinstance(effect, str)
                else effect)


class NodePoolSettings(SettingsModel):
    """One NodePool (and its EC2NodeClass). Split per max-pods class unless told otherwise."""

    name: str = Field(pattern=_POOL_NAME)
    instance_families: list[str] = Field([])
    instance_sizes: list[str] = Field([])
    instance_types: list[str] = Field([])
    architectures: list[Architecture] = Field(["amd64"], min_length=1)
    capacity_types: list[KarpenterCapacityType] = Field(["on-demand"], min_length=1)
    ami_family: KarpenterAmiFamily = "al2023"
    split_by_max_pods: bool = True
    limits: PoolLimitsSettings | None = None
    disruption: DisruptionSettings = DisruptionSettings()
    expire_after: str = Field("720h", pattern=_DURATION_OR_NEVER)
    weight: int | None = Field(None, ge=1, le=100)
    labels: dict[str, str] = Field({})
    taints: list[PoolTaintSettings] = Field([])
    disk_size_gib: int = Field(50, ge=20, le=16384)
    imds_hop_limit: int = Field(1, ge=1, le=64)

    @field_validator("instance_families", "instance_sizes", "instance_types",
                     "architectures", "capacity_types")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("values must not repeat")
        return values

    @field_validator("instance_families")
    @classmethod
    def _known_families(cls, families: list[str]) -> list[str]:
        known = set(known_families())
        for family in families:
            if family not in known:
                raise ValueError(unknown_family_message(family))
        return families

    @field_validator("instance_types")
    @classmethod
    def _known_types(cls, types: list[str]) -> list[str]:
        for instance_type in types:
            try:
                maxpods.lookup(instance_type)
            except maxpods.UnknownInstanceTypeError as error:
                raise ValueError(str(error)) from None
        return types

    @model_validator(mode="after")
    def _enumerable(self) -> NodePoolSettings:
        if self.instance_types and (self.instance_families or self.instance_sizes):
            raise FieldError("instanceTypes", self.instance_types,
                             "give instanceTypes or instanceFamilies/instanceSizes, not both")
        if not self.instance_types and not self.instance_families:
            key = "instanceSizes" if self.instance_sizes else "instanceFamilies"
            raise FieldError(key, self.instance_sizes or [], OPEN_ENDED)
        archs = ", ".join(self.architectures)
        for instance_type in self.instance_types:
            if not runs(instance_type, self.architectures):
                raise FieldError("instanceTypes", instance_type,
                                 f"{instance_type} runs none of the pool's architectures "
                                 f"({archs}); add its architecture to architectures")
        for family in self.instance_families:
            if not types_of_families([family], architectures=self.architectures):
                raise FieldError("instanceFamilies", family,
                                 f"family {family} has no type of the pool's architectures "
                                 f"({archs}); add its architecture to architectures")
        families = set(self.instance_families)
        for size in self.instance_sizes:
            if not types_of_families(families, [size], self.architectures):
                raise FieldError("instanceSizes", size,
                                 f"no {archs} instance type of {', '.join(sorted(families))} "
                                 f"has size {size!r}")
        return self

    @property
    def allowed_types(self) -> list[str]:
        """Every instance type this pool lets Karpenter launch, sorted."""
        if self.instance_types:
            return sorted(self.instance_types)
        return types_of_families(self.instance_families, self.instance_sizes,
                                 self.architectures)

    @property
    def families(self) -> list[str]:
        return sorted({family_of(t) for t in self.allowed_types})


class KarpenterSpec(SettingsModel):
    """What the `Karpenter` component installs: chart, namespace and NodePools."""

    chart_version: str = DEFAULT_CHART_VERSION
    namespace: str = Field(DEFAULT_NAMESPACE, pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    node_pools: list[NodePoolSettings] = Field([])
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
        return self


class KarpenterSettings(KarpenterSpec):
    """Key `eks-platform:karpenter`: off unless `enabled`; the controller runs on the managed
    node group `systemNodeGroup` (default: the only node group)."""

    enabled: bool = False
    system_node_group: str | None = Field(None, pattern=r"^[a-z][a-z0-9-]{0,36}$")

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
