"""A Karpenter NodePool's settings: instance types, disruption, limits, taints, node class.

A pool names the instance types it allows (families, optionally narrowed by sizes, or explicit
types) because its kubelet max pods is the calculator's answer over exactly those types: a pool
that leaves the types open could land on a type whose max pods nobody computed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from eks_platform.errors import FieldError
from eks_platform.karpenter import crd_rules
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

_DURATION_OR_NEVER, _BUDGET_NODES, _BUDGET_DURATION, _LABEL_KEY = (
    crd_rules.DURATION_OR_NEVER, crd_rules.BUDGET_NODES, crd_rules.BUDGET_DURATION,
    crd_rules.LABEL_KEY)
#: A pool's name, plus `-<max pods>` when it is split, must fit a 63-character label value,
#: and be an object name (DNS-1123: ends with an alphanumeric).
_POOL_NAME = r"^[a-z]([a-z0-9-]{0,48}[a-z0-9])?$"

#: Karpenter's `kubernetes.io/arch` values; they narrow the enumerated types (catalog.py).
Architecture = Literal["amd64", "arm64"]
#: Karpenter's own spelling (label `karpenter.sh/capacity-type`), not EKS's ON_DEMAND/SPOT.
KarpenterCapacityType = Literal["on-demand", "spot"]
KarpenterAmiFamily = Literal["al2023", "bottlerocket"]
ConsolidationPolicy = Literal["WhenEmpty", "WhenEmptyOrUnderutilized"]
DisruptionReason = Literal["Underutilized", "Empty", "Drifted"]
KarpenterTaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]

OPEN_ENDED = (
    "the pool is open-ended: name instanceFamilies (optionally narrowed by instanceSizes) or "
    "instanceTypes, so that the instance table can enumerate the types it allows and kubelet "
    "maxPods can be the calculator's minimum over them; otherwise Karpenter could launch a "
    "type whose max pods nobody computed"
)


class BudgetSettings(SettingsModel):
    """One disruption budget: at most `nodes` (count or percent) disrupted at once."""

    nodes: str = Field("10%", pattern=_BUDGET_NODES)
    """Most nodes of the pool disrupted at once: a count or a percentage (`10%`, the default,
    as in Karpenter's docs)."""
    schedule: str | None = None
    """When the budget starts, as a cron expression (UTC); needs `duration`. Unset: the budget
    always applies."""
    duration: str | None = Field(None, pattern=_BUDGET_DURATION)
    """How long the budget applies after each `schedule` start (`1h`, `30m`, `1h30m`); needs
    `schedule`."""
    reasons: list[DisruptionReason] = Field([])
    """Disruption reasons the budget limits: `Underutilized`, `Empty`, `Drifted`. Empty: all of
    them."""

    @field_validator("schedule")
    @classmethod
    def _crd_schedule(cls, schedule: str | None) -> str | None:
        return crd_rules.BUDGET_SCHEDULE.check(schedule)

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
    """Which nodes Karpenter consolidates: `WhenEmptyOrUnderutilized` (the default: also moves
    pods off under-used nodes to remove them) or `WhenEmpty` (only nodes without workload
    pods)."""
    consolidate_after: str = Field("1m", pattern=_DURATION_OR_NEVER)
    """How long a node must be consolidatable before Karpenter acts (`30s`, `5m`, `1h`, or
    `Never`). One minute by default, so pods briefly between nodes do not cause churn."""
    budgets: list[BudgetSettings] = Field([BudgetSettings()], max_length=50)
    """Disruption budgets, at most 50; by default one of `10%` of the pool's nodes at a time."""


class PoolLimitsSettings(SettingsModel):
    """Upper bounds on what one pool provisions in total: vCPUs and memory."""

    cpu: int | None = Field(None, ge=1)
    """Most vCPUs the pool provisions in total. Unset: no limit. Split pools share it evenly."""
    memory: str | None = Field(None, pattern=r"^[1-9][0-9]*(Mi|Gi|Ti)$")
    """Most memory the pool provisions in total, in `Mi`, `Gi` or `Ti` (`512Gi`). Unset: no
    limit. Split pools share it evenly."""


class PoolTaintSettings(SettingsModel):
    key: str = Field(pattern=_LABEL_KEY)
    """Taint key: a Kubernetes qualified name (optional DNS prefix and `/`, name of at most 63
    characters)."""
    value: str | None = Field(None, max_length=63)
    """Taint value, at most 63 characters; may be left out."""
    effect: KarpenterTaintEffect
    """`NoSchedule`, `NoExecute` or `PreferNoSchedule`, the Kubernetes spelling the NodePool
    takes; the EKS API's spelling node groups use (`NO_SCHEDULE`, ...) is accepted too and
    written in the Kubernetes one."""

    @field_validator("effect", mode="before")
    @classmethod
    def _kubernetes_spelling(cls, effect: object) -> object:
        return (KUBERNETES_TAINT_EFFECTS.get(effect, effect) if isinstance(effect, str)
                else effect)

    @field_validator("value")
    @classmethod
    def _crd_value(cls, value: str | None) -> str | None:
        return crd_rules.TAINT_VALUE.check(value)


class NodePoolSettings(SettingsModel):
    """One NodePool (and its EC2NodeClass). Split per max-pods class unless told otherwise."""

    name: str = Field(pattern=_POOL_NAME)
    """The pool's name: lower-case letters, digits and `-`, at most 50 characters, so that a
    split pool's `<name>-<max pods>` fits a 63-character label value."""
    instance_families: list[str] = Field([])
    """Instance families the pool may launch (`m5`, `m6i`, ...), enumerated from the instance
    table. Give families (optionally with `instanceSizes`) or `instanceTypes`: an open-ended
    pool is refused, since its max pods could not be computed."""
    instance_sizes: list[str] = Field([])
    """Sizes that narrow `instanceFamilies` (`large`, `xlarge`, ...). Empty: every size of the
    families."""
    instance_types: list[str] = Field([])
    """Explicit instance types instead of families and sizes."""
    architectures: list[Architecture] = Field(["amd64"], min_length=1)
    """`amd64` and/or `arm64` (`kubernetes.io/arch`); narrows the families' types. amd64 by
    default."""
    capacity_types: list[KarpenterCapacityType] = Field(["on-demand"], min_length=1)
    """`on-demand` and/or `spot` (Karpenter's spelling). On-demand by default."""
    ami_family: KarpenterAmiFamily = "al2023"
    """The EC2NodeClass's AMI family: `al2023` or `bottlerocket` (alias `<family>@latest`
    unless `amiAlias` pins it)."""
    ami_alias: str | None = None
    """The EC2NodeClass AMI alias pinned (`al2023@v20251120`, `bottlerocket@v1.50.0`); None:
    `<amiFamily>@latest`, which Karpenter's docs advise against in production: every AMI
    release drifts and replaces every node. Pin it, and raise it deliberately."""
    split_by_max_pods: bool = True
    """Split the pool into one NodePool and EC2NodeClass per max-pods class (`<pool>-<max
    pods>`), so each node's kubelet gets the calculator's answer for its own type. Off: one
    NodePool at the minimum over all its types."""
    limits: PoolLimitsSettings | None = None
    """Total vCPU and memory the pool may provision. Unset: no limit."""
    disruption: DisruptionSettings = DisruptionSettings()
    """Consolidation and disruption budgets."""
    expire_after: str = Field("720h", pattern=_DURATION_OR_NEVER)
    """Age at which Karpenter replaces a node (`720h`, Karpenter's default of 30 days, or
    `Never`), so nodes pick up new AMIs."""
    weight: int | None = Field(None, ge=1, le=100)
    """Priority among pools, 1 to 100; Karpenter prefers the higher weight. Unset: no
    preference."""
    labels: dict[str, str] = Field({})
    """Labels of the pool's nodes."""
    taints: list[PoolTaintSettings] = Field([])
    """Taints of the pool's nodes (Kubernetes' effect spelling)."""
    disk_size_gib: int = Field(50, ge=20, le=16384)
    """Size in GiB of the volume pods use, 20 to 16384, as a node group's `diskSizeGib`.
    Encrypted gp3."""
    imds_hop_limit: int = Field(1, ge=1, le=64)
    """Instance metadata hop limit of the node class, 1 to 64; one by default, so pods cannot
    reach the node role. IMDSv2 is always required."""

    @field_validator("instance_families", "instance_sizes", "instance_types",
                     "architectures", "capacity_types")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("values must not repeat")
        return values

    @field_validator("labels")
    @classmethod
    def _crd_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return crd_rules.check_labels(labels)

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
    def _alias_of_the_family(self) -> NodePoolSettings:
        crd_rules.check_alias(self.ami_alias, self.ami_family)
        return self

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
