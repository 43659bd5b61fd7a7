"""Compute: managed node groups (instance types, AMI type, sizes, labels, taints). Fargate's
settings are in `fargate_settings.py` (re-exported here)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from eks_platform.errors import FieldError
from eks_platform.model import SettingsModel
from eks_platform.nodes import maxpods
from eks_platform.nodes.amitypes import default_ami_type
from eks_platform.nodes.fargate_settings import (
    COREDNS_POD_LABELS,
    FARGATE_SELECTOR_LABELS_MAX,
    FargateProfileSettings,
    FargateSelectorSettings,
    pod_labels,
)
from eks_platform.nodes.kubernetes_names import (
    label_value_problem,
    nodegroup_label_problem,
    taint_problem,
)

__all__ = [
    "COREDNS_POD_LABELS",
    "EKS_TAINT_EFFECTS",
    "FARGATE_SELECTOR_LABELS_MAX",
    "KUBERNETES_TAINT_EFFECTS",
    "NODE_GROUP_NAME_MAX",
    "TAINTS_MAX",
    "CapacityType",
    "FargateProfileSettings",
    "FargateSelectorSettings",
    "NodeAmiType",
    "NodeGroupSettings",
    "ScaledBy",
    "TaintEffect",
    "TaintSettings",
    "UpdateStrategy",
    "node_labels",
    "pod_labels",
]

#: AMI types this package renders kubelet settings for (AL2 has no AMIs for Kubernetes >= 1.33).
NodeAmiType = Literal[
    "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA",
    "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON",
    "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_FIPS",
    "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA",
]
CapacityType = Literal["ON_DEMAND", "SPOT"]
#: NodegroupUpdateConfig.updateStrategy (botocore's EKS model): DEFAULT surges new nodes first,
#: MINIMAL terminates old ones first (scarce capacity such as GPUs).
UpdateStrategy = Literal["DEFAULT", "MINIMAL"]
ScaledBy = Literal["stack", "clusterAutoscaler"]
TaintEffect = Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]
#: Kubernetes' spelling of a taint effect (core/v1 Taint, Karpenter's NodePool) -> the EKS
#: API's (botocore `TaintEffect`). Both are accepted wherever a taint is written.
EKS_TAINT_EFFECTS = {"NoSchedule": "NO_SCHEDULE", "NoExecute": "NO_EXECUTE",
                     "PreferNoSchedule": "PREFER_NO_SCHEDULE"}
KUBERNETES_TAINT_EFFECTS = {eks: kube for kube, eks in EKS_TAINT_EFFECTS.items()}

#: The node group name EKS gets is `<name>-<26-character unique suffix>`: the prefix (name and
#: dash) may have at most 63 - 26 = 37 characters (terraform-provider-aws, eks/node_group.go:
#: `node_group_name_prefix` is `StringLenBetween(0, 63-id.UniqueIDSuffixLength)`).
NODE_GROUP_NAME_MAX = 63 - 26 - 1
#: botocore's EKS model: `taintsList` at most 50 (terraform's `taint` MaxItems 50).
TAINTS_MAX = 50


def node_labels(labels: dict[str, str]) -> dict[str, str]:
    """Labels EKS's CreateNodegroup accepts, each problem naming its label key."""
    for key in sorted(labels):
        problem = nodegroup_label_problem(key, labels[key])
        if problem is not None:
            raise FieldError((key,), labels[key], problem)
    return labels


class TaintSettings(SettingsModel):
    key: str
    """Taint key: a Kubernetes qualified name (optional DNS prefix and `/`, name of at most 63
    characters)."""
    value: str | None = None
    """Taint value: at most 63 characters of a Kubernetes label value; may be left out."""
    effect: TaintEffect
    """`NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`, the EKS API's spelling; the
    Kubernetes spelling Karpenter pools use (`NoSchedule`, ...) is accepted too and sent to EKS
    in its own, so a taint reads the same in a node group and a pool."""

    @field_validator("effect", mode="before")
    @classmethod
    def _eks_spelling(cls, effect: object) -> object:
        return EKS_TAINT_EFFECTS.get(effect, effect) if isinstance(effect, str) else effect

    @field_validator("key")
    @classmethod
    def _key(cls, key: str) -> str:
        problem = taint_problem(key, "", "NO_SCHEDULE")
        if problem is not None:
            raise ValueError(problem)
        return key

    @field_validator("value")
    @classmethod
    def _value(cls, value: str | None) -> str | None:
        problem = None if value is None else label_value_problem(value)
        if problem is not None:
            raise ValueError(f"taint value {problem}")
        return value


class NodeGroupSettings(SettingsModel):
    """A managed node group. Size it with min/max and either `desiredSize` or `targetPods`.

    Without `amiType` the AMI type follows the instance types (arm64 -> ARM_64, NVIDIA GPUs
    -> NVIDIA, Neuron devices -> NEURON); with `liveInstanceTypeLookup` and types the table
    lacks, it is derived, like the AMI-fit checks, from EC2's answer at deploy time.
    """

    name: str
    """The group's name: lower-case letters, digits and `-`, at most 36 characters, because EKS
    names the group `<name>-` plus a 26-character suffix within 63. Names its role, launch
    template and tag `eks-platform/node-group`."""
    live_instance_type_lookup: bool = False
    """Ask EC2 (`aws.ec2.get_instance_type`) at deploy for instance types the generated table
    lacks, instead of refusing them; the AMI fit, max pods and sizing checks then run on
    EC2's answer and the offline plan shows them as resolved at deploy."""
    instance_types: list[str] = Field(min_length=1, max_length=20)
    """EC2 instance types of the group, 1 to 20 (EKS's limit), without repeats. Max pods is the
    minimum over them; they must share an architecture and fit the AMI type."""
    ami_type: NodeAmiType | None = None
    """The EKS AMI type (AL2023 or Bottlerocket variants). Unset: the AL2023 type the instance
    types ask for (arm64, NVIDIA, Neuron or standard x86_64). AL2 is not offered: EKS
    publishes no AL2 AMIs for Kubernetes 1.33 and later."""
    capacity_type: CapacityType = "ON_DEMAND"
    """`ON_DEMAND` or `SPOT`. On-demand by default; spot suits groups with several instance
    types that can lose a node on two minutes' notice."""
    min_size: int = Field(1, ge=0, le=1000)
    """Fewest nodes, 0 to 1000. One by default."""
    max_size: int = Field(3, ge=1, le=1000)
    """Most nodes, 1 to 1000, at least `minSize`; EKS's service quota may be lower. Three by
    default."""
    desired_size: int | None = Field(None, ge=0)
    """Nodes to start with, between `minSize` and `maxSize`. Unset: `minSize`, or what
    `targetPods` needs. Give `desiredSize` or `targetPods`, not both."""
    target_pods: int | None = Field(None, ge=0)
    """Workload pods the group should hold: the desired size becomes the nodes needed at the
    group's max pods, less the DaemonSet pods on each node; refused when `maxSize` nodes
    cannot hold them."""
    scaled_by: ScaledBy = "stack"
    """Who owns the group's desired size. `stack` (default): every `pulumi up` sets it from
    `desiredSize`/`targetPods` (nothing else scales managed node groups unless you run one).
    `clusterAutoscaler`: a cluster autoscaler you run scales the group, so `pulumi up` leaves
    the live desired size alone, except to lift it into a new `minSize`..`maxSize` range
    (EKS refuses a minimum above the desired size). Karpenter never scales managed groups."""
    daemon_set_pods_per_node: int | None = Field(None, ge=0)
    """DaemonSet pods on each node, subtracted from max pods when sizing by `targetPods`.
    Unset: those the stack runs (aws-node, kube-proxy, plus the pod identity agent and the
    EBS CSI node plugin when on)."""
    labels: dict[str, str] = {}
    """Kubernetes labels of the nodes. EKS refuses the `kubernetes.io/`, `k8s.io/` and
    `eks.amazonaws.com/` prefixes; keys at most 63 characters after the prefix, values
    non-empty."""
    taints: list[TaintSettings] = Field([], max_length=TAINTS_MAX)
    """Taints of the nodes, at most 50 (EKS's limit)."""
    disk_size_gib: int = Field(50, ge=20, le=16384)
    """Size in GiB of the volume pods use (the root volume on AL2023, the data volume on
    Bottlerocket), 20 to 16384 (gp3's maximum). 50 by default, above EKS's own 20, which
    image pulls fill quickly. Encrypted, gp3."""
    imds_hop_limit: int = Field(1, ge=1, le=64)
    """Instance metadata response hop limit of the launch template, 1 to 64. One by default, so
    pods (one hop further) cannot read the node role's credentials; IMDSv2 is always
    required."""
    max_unavailable: int | str = 1
    """Nodes down at once while the group rolls (a version update): a count or a percentage
    such as `"25%"`, each 1 to 100 (NodegroupUpdateConfig in botocore's EKS model)."""
    update_strategy: UpdateStrategy = "DEFAULT"
    """How EKS rolls the group: `DEFAULT` (new nodes first, then old ones drained) or `MINIMAL`
    (old nodes terminated first, for scarce capacity such as GPUs)."""
    node_repair: bool = True
    """EKS node auto repair: replace (or reboot) nodes that stay unhealthy."""
    ssm: bool = False
    """AmazonSSMManagedInstanceCore on the node role (Session Manager). Off unless asked for:
    it also lets the node read every SSM parameter in the account."""

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if len(name) > NODE_GROUP_NAME_MAX:
            raise ValueError(
                f"{len(name)} characters, at most {NODE_GROUP_NAME_MAX}: EKS names the group "
                f"'<name>-' plus a 26-character suffix, and that prefix may be at most "
                f"{NODE_GROUP_NAME_MAX + 1} characters")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise ValueError("lower-case letters, digits and '-', starting with a letter")
        return name

    _labels = field_validator("labels")(node_labels)

    @field_validator("instance_types")
    @classmethod
    def _known_types(cls, types: list[str], info: ValidationInfo) -> list[str]:
        if len(set(types)) != len(types):
            raise ValueError("instance types must not repeat")
        if info.data.get("live_instance_type_lookup"):
            return types
        for instance_type in types:
            try:
                maxpods.lookup(instance_type)
            except maxpods.UnknownInstanceTypeError as error:
                raise ValueError(
                    f"{error} (or set liveInstanceTypeLookup: true to ask EC2 at deploy time)"
                ) from None
        return types

    @field_validator("max_size")
    @classmethod
    def _max_not_below_min(cls, max_size: int, info: ValidationInfo) -> int:
        min_size = info.data.get("min_size")
        if min_size is not None and min_size > max_size:
            raise ValueError(f"maxSize must be >= minSize ({min_size})")
        return max_size

    @field_validator("desired_size")
    @classmethod
    def _desired_in_range(cls, desired: int | None, info: ValidationInfo) -> int | None:
        low, high = info.data.get("min_size"), info.data.get("max_size")
        known = desired is not None and low is not None and high is not None
        if known and not low <= desired <= high:  # type: ignore[operator]
            raise ValueError(f"desiredSize must be between minSize ({low}) and maxSize ({high})")
        return desired

    @model_validator(mode="before")
    @classmethod
    def _derive_ami_type(cls, data: Any) -> Any:
        """An absent `amiType` becomes the one the instance types ask for, when the table
        knows them all (otherwise it is resolved from EC2 at deploy)."""
        if not isinstance(data, dict) or data.get("amiType", data.get("ami_type")) is not None:
            return data
        types = data.get("instanceTypes", data.get("instance_types"))
        if isinstance(types, list) and types and all(
                isinstance(t, str) and maxpods.is_known(t) for t in types):
            limits = [maxpods.lookup(t) for t in types]
            return {**data, "amiType": default_ami_type(limits)}
        return data

    @field_validator("max_unavailable", mode="before")
    @classmethod
    def _count_or_percentage(cls, value: object) -> int | str:
        """`3` or `"3"` -> 3; `"25%"` stays; anything else is refused with the two forms."""
        text = str(value).strip() if isinstance(value, int | str) else ""
        number = text.removesuffix("%")
        if isinstance(value, bool) or not number.isdigit() or not 1 <= int(number) <= 100:
            raise ValueError("give a number of nodes or a percentage, each from 1 to 100, "
                             'e.g. 3 or "25%"')
        return text if text.endswith("%") else int(number)

    @property
    def max_unavailable_count(self) -> int | None:
        """`maxUnavailable` of the update config, None when it is a percentage."""
        return self.max_unavailable if isinstance(self.max_unavailable, int) else None

    @property
    def max_unavailable_percentage(self) -> int | None:
        """`maxUnavailablePercentage` of the update config, None when it is a count."""
        value = self.max_unavailable
        return int(value.removesuffix("%")) if isinstance(value, str) else None

    @model_validator(mode="after")
    def _one_sizing(self) -> NodeGroupSettings:
        if self.desired_size is not None and self.target_pods is not None:
            raise FieldError("targetPods", self.target_pods,
                             "give desiredSize or targetPods, not both")
        return self

    @property
    def known_limits(self) -> list[maxpods.InstanceLimits] | None:
        """The table's rows for the group's types, or None if any is left to EC2 at deploy."""
        if not all(maxpods.is_known(t) for t in self.instance_types):
            return None
        return [maxpods.lookup(t) for t in self.instance_types]

    def daemon_set_pods(self, node_daemon_sets: tuple[str, ...]) -> int:
        """`daemonSetPodsPerNode` when given, else one pod per DaemonSet every node runs
        (`nodes.resolver.node_daemon_sets`): the count the stack and the library share."""
        if self.daemon_set_pods_per_node is not None:
            return self.daemon_set_pods_per_node
        return len(node_daemon_sets)

    @property
    def is_bottlerocket(self) -> bool:
        return self.ami_type is not None and self.ami_type.startswith("BOTTLEROCKET")
