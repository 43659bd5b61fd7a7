"""Kubernetes upgrades: the guard against steps EKS refuses, and what an upgrade changes, in order.

EKS moves a control plane one minor version at a time and never down (UpdateClusterVersion;
the aws provider's `Cluster.version` doc: "Downgrades are not supported by EKS"). Refusing such a
step here, before any change, beats a half-applied `pulumi up` failing at the API.

The order of an upgrade: the control plane first (EKS requires every managed node group to be on
the cluster's version before it updates the cluster); then the add-ons that follow the Kubernetes
version (`default`/`latest` resolve to the build for the new version); then the node groups, which
roll onto the new AMI a few nodes at a time; coredns last, because it is a Deployment that runs on
those nodes. None of these replaces its resource: in the aws provider (terraform-provider-aws)
`aws_eks_cluster.version`, `aws_eks_node_group.version` and `aws_eks_addon.addon_version` are not
ForceNew, so each is an in-place update (UpdateClusterVersion, UpdateNodegroupVersion,
UpdateAddon), even though the node group's update replaces its instances.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from eks_platform.facts.versions import Calendar, Support, SupportType, load, minor_key, next_minor

CLUSTER_TYPE = "aws:eks/cluster:Cluster"
ADDON_TYPE = "aws:eks/addon:Addon"
NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup"
#: NodegroupUpdateConfig.updateStrategy values and what they do (botocore's EKS model).
STRATEGIES = {
    "DEFAULT": "launches the new nodes before it terminates the old ones",
    "MINIMAL": "terminates old nodes before it launches new ones (for scarce capacity, e.g. GPUs)",
}
#: A Deployment scheduled on the nodes, so it moves after the node groups.
LAST_ADDONS = ("coredns",)


def upgrade_refusal(live: str | None, desired: str) -> str | None:
    """Why EKS would refuse to move the cluster from `live` to `desired`, or None if it may.

    `live` is None when the cluster does not exist yet: a new cluster starts at any version.
    """
    if live is None or live == desired:
        return None
    step = next_minor(live)
    if minor_key(desired) < minor_key(live):
        return (f"the cluster runs Kubernetes {live} and the stack asks for {desired}: EKS cannot "
                f"downgrade a cluster. Keep kubernetesVersion at {live}, or set {step} to "
                f"upgrade one minor version")
    if desired != step:
        same_major = minor_key(desired)[0] == minor_key(live)[0]
        path = f" ({' -> '.join(upgrade_path(live, desired))})" if same_major else ""
        return (f"the cluster runs Kubernetes {live} and the stack asks for {desired}: EKS "
                f"upgrades one minor version at a time. Set kubernetesVersion to {step} and "
                f"apply, then continue one minor at a time{path}")
    return None


def guard_message(
    live: str | None, desired: str, day: date, support_type: SupportType = "STANDARD",
    calendar: Calendar | None = None,
) -> str | None:
    """`upgrade_refusal`, plus what the next step needs on `day`: a step that is only in
    extended support is refused by the settings without `supportType: EXTENDED`."""
    refusal = upgrade_refusal(live, desired)
    if refusal is None or live is None or minor_key(desired) < minor_key(live):
        return refusal
    step = next_minor(live)
    if support_type != "EXTENDED" and (calendar or load()).support(step, day) is Support.EXTENDED:
        refusal += (f". {step} is in extended support on {day}: set supportType: EXTENDED "
                    f"while the cluster passes through it")
    return refusal


def upgrade_path(live: str, desired: str) -> list[str]:
    """Every version from `live` to `desired`, both included, one minor apart."""
    (major, low), (desired_major, high) = minor_key(live), minor_key(desired)
    if desired_major != major or high < low:
        raise ValueError(f"no upgrade path from {live} to {desired}")
    return [f"{major}.{minor}" for minor in range(low, high + 1)]


class Action(StrEnum):
    """What happens to the Pulumi resource. A version upgrade replaces none of them; REPLACE is
    here so the plan can name the resources a change would replace (e.g. a node group's
    `ami_type` or `instance_types`, ForceNew in the provider)."""

    UPDATE = "update in place"
    REPLACE = "replace"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class AddonVersion:
    """A managed add-on and its version request: `default`, `latest` or a pinned build."""

    name: str
    version: str = "default"


@dataclass(frozen=True)
class NodeGroupRollout:
    """A managed node group and how many of its nodes may be down while it rolls."""

    name: str
    max_unavailable: int | None = 1
    max_unavailable_percentage: int | None = None
    update_strategy: str = "DEFAULT"

    def __post_init__(self) -> None:
        # NodegroupUpdateConfig takes exactly one of the two (botocore's EKS model).
        if (self.max_unavailable is None) == (self.max_unavailable_percentage is None):
            raise ValueError(f"node group {self.name}: set exactly one of max_unavailable and "
                             f"max_unavailable_percentage")
        if self.update_strategy not in STRATEGIES:
            raise ValueError(f"node group {self.name}: update_strategy "
                             f"{self.update_strategy!r} is not one of {', '.join(STRATEGIES)}")

    @property
    def unavailable(self) -> str:
        if self.max_unavailable_percentage is not None:
            return f"{self.max_unavailable_percentage}% of nodes"
        return "1 node" if self.max_unavailable == 1 else f"{self.max_unavailable} nodes"


@dataclass(frozen=True)
class UpgradeStep:
    resource: str
    type_token: str
    change: str
    action: Action
    why: str


def _addon_step(addon: AddonVersion, old: str, new: str, after_nodes: bool) -> UpgradeStep:
    """One add-on's change; `default`/`latest` are looked up again for the new version."""
    name = f"add-on {addon.name}"
    if addon.version not in ("default", "latest"):
        return UpgradeStep(
            name, ADDON_TYPE, f"stays at {addon.version}", Action.UNCHANGED,
            f"pinned: check that {addon.version} supports Kubernetes {new} (aws eks "
            f"describe-addon-versions --addon-name {addon.name} --kubernetes-version {new})")
    build = "EKS's default" if addon.version == "default" else "the newest"
    return UpgradeStep(
        name, ADDON_TYPE, f"{addon.version}: {build} build for {old} -> for {new}",
        Action.UPDATE,
        f"UpdateAddon after the {'node groups' if after_nodes else 'control plane'}"
        f"; addon_version is not ForceNew")


def upgrade_steps(
    old: str, new: str, addons: Sequence[AddonVersion], node_groups: Sequence[NodeGroupRollout],
    after_nodes: Collection[str] = LAST_ADDONS,
) -> list[UpgradeStep]:
    """What an upgrade from `old` to `new` changes, in the order it happens.

    `after_nodes` names the add-ons that wait for the node groups (they run pods on them);
    the others move right after the control plane.

    Raises ValueError with the guard's message when EKS would refuse the step.
    """
    refusal = upgrade_refusal(old, new)
    if refusal is not None:
        raise ValueError(refusal)
    if old == new:
        return []
    control_plane = UpgradeStep(
        "cluster", CLUSTER_TYPE, f"version {old} -> {new}", Action.UPDATE,
        f"UpdateClusterVersion; every managed node group must be on {old} first")
    early = [a for a in addons if a.name not in after_nodes]
    late = [a for a in addons if a.name in after_nodes]
    rolls = [
        UpgradeStep(
            f"node group {group.name}", NODE_GROUP_TYPE,
            f"version {old} -> {new}, at most {group.unavailable} unavailable at a time",
            Action.UPDATE,
            f"UpdateNodegroupVersion: {STRATEGIES[group.update_strategy]}; the node group "
            f"resource stays (version is not ForceNew)")
        for group in node_groups
    ]
    return [
        control_plane,
        *(_addon_step(addon, old, new, False) for addon in early),
        *rolls,
        *(_addon_step(addon, old, new, True) for addon in late),
    ]
