"""The one node-group resolver: what a group's nodes boot with, or every problem at once.

A managed node group's facts all follow from its instance types' EC2 data, the cluster's CNI
declaration and the DaemonSets the cluster runs on every node: the AMI type (given, or derived
from the types) and whether it fits them, max pods (the minimum across the types, as AWS's
calculator gives it), what the AL2023 kube-reserved restates for those pods (the types' vCPUs),
and the sizes (`targetPods` needs room beside the DaemonSet pods). The stack file, the
library's Args and the component ask this module, and it answers each group once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eks_platform.errors import FieldError, GroupedFieldError
from eks_platform.nodes import maxpods
from eks_platform.nodes.amitypes import ami_fit_problems, default_ami_type, fitting_ami_types
from eks_platform.nodes.settings import NodeGroupSettings
from eks_platform.nodes.userdata import KubeletSettings, encode, render_user_data

#: The DaemonSet each add-on runs on every Linux node, by EKS add-on name (the aws-vpc-cni
#: chart runs the same `aws-node`). Sources: the EKS user guide's add-on pages and the
#: manifests of each add-on (`kubectl get ds -n kube-system` on an EKS node group).
NODE_DAEMON_SETS: dict[str, str] = {
    "vpc-cni": "aws-node",
    "kube-proxy": "kube-proxy",
    "eks-pod-identity-agent": "eks-pod-identity-agent",
    "aws-ebs-csi-driver": "ebs-csi-node",
}


def node_daemon_sets(*, pod_identity_agent: bool, ebs_csi_driver: bool) -> tuple[str, ...]:
    """The DaemonSets on every node of a cluster: the CNI's aws-node and kube-proxy always
    (managed or self-managed, nodes need both to become Ready), the pod identity agent and
    the EBS CSI node plugin when they are on. The one definition the stack and library share."""
    addons = ["vpc-cni", "kube-proxy"]
    if pod_identity_agent:
        addons.append("eks-pod-identity-agent")
    if ebs_csi_driver:
        addons.append("aws-ebs-csi-driver")
    return tuple(NODE_DAEMON_SETS[addon] for addon in addons)


@dataclass(frozen=True, slots=True)
class ResolvedGroup:
    """What the nodes of a group boot with."""

    ami_type: str
    max_pods: int
    daemon_set_pods: int
    size: maxpods.GroupSize
    vcpus: frozenset[int]

    def user_data(self) -> str:
        """Base64 user data: max pods and, on AL2023, kube-reserved for those pods."""
        kubelet = KubeletSettings.for_group(self.max_pods, self.vcpus)
        return encode(render_user_data(self.ami_type, kubelet))


_resolved: dict[tuple[str, tuple[maxpods.InstanceLimits, ...], maxpods.MaxPodsOptions, int],
                ResolvedGroup] = {}


def resolve_group(group: NodeGroupSettings, types: Sequence[maxpods.InstanceLimits],
                  options: maxpods.MaxPodsOptions, daemon_set_pods: int) -> ResolvedGroup:
    """The group resolved from its types' data, or `GroupedFieldError` with every problem (an AMI
    type that does not fit, DaemonSets that leave no room, a `targetPods` beyond `maxSize`).

    Answers are kept per run: the stack's settings, the Args built from them and the
    component ask for the same group, and get the one answer."""
    own = group.model_dump_json(include=set(NodeGroupSettings.model_fields))
    key = (own, tuple(types), options, daemon_set_pods)
    found = _resolved.get(key)
    if found is None:
        found = _resolved[key] = _resolve(group, types, options, daemon_set_pods)
    return found


def _resolve(group: NodeGroupSettings, types: Sequence[maxpods.InstanceLimits],
             options: maxpods.MaxPodsOptions, daemon_set_pods: int) -> ResolvedGroup:
    problems: list[FieldError] = []
    ami_type = group.ami_type or default_ami_type(types)
    misfits = ami_fit_problems(types, ami_type)
    if misfits:
        message = f"node group {group.name!r}: " + "; ".join(misfits)
        problems.append(FieldError("amiType", ami_type, message) if fitting_ami_types(types)
                        else FieldError("instanceTypes", [t.instance_type for t in types],
                                        message))
    max_pods = min(maxpods.max_pods_for(t, options) for t in types)
    size = _size(group, max_pods, daemon_set_pods, problems)
    if problems or size is None:
        raise GroupedFieldError(problems)
    return ResolvedGroup(ami_type, max_pods, daemon_set_pods, size,
                         frozenset(t.vcpus for t in types))


def _size(group: NodeGroupSettings, max_pods: int, daemon_set_pods: int,
          problems: list[FieldError]) -> maxpods.GroupSize | None:
    """The group's sizes for `max_pods` per node; a problem for DaemonSets that leave no room
    for workload pods (whatever the sizing), or a `targetPods` that `maxSize` nodes cannot
    hold (saying how many nodes it needs)."""
    prefix = f"node group {group.name!r}: "
    try:
        maxpods.workload_pods_per_node(max_pods, daemon_set_pods)
    except ValueError as error:
        if group.daemon_set_pods_per_node is not None:
            problems.append(FieldError("daemonSetPodsPerNode", daemon_set_pods,
                                       prefix + str(error)))
        else:
            problems.append(FieldError("instanceTypes", list(group.instance_types),
                                       prefix + str(error)))
        return None
    if group.target_pods is None:
        desired = group.min_size if group.desired_size is None else group.desired_size
        return maxpods.GroupSize(group.min_size, desired, group.max_size)
    try:
        return maxpods.size_for_pods(group.target_pods, max_pods, daemon_set_pods,
                                     group.min_size, group.max_size)
    except ValueError as error:
        problems.append(FieldError("targetPods", group.target_pods, prefix + str(error)))
        return None


def deploy_desired_size(size: maxpods.GroupSize, scaled_by: str,
                        live_desired: int | None) -> tuple[int, bool]:
    """`(desiredSize to send, whether the stack leaves the live value alone)`.

    Owned by the stack (or a group not running yet): the resolved desired size, applied.
    Owned by a cluster autoscaler: the live size is kept (ignored) while it lies within
    `minSize`..`maxSize`; outside it, it is moved to the nearest bound and applied, because
    EKS refuses a scaling config whose desired size is outside its range."""
    if scaled_by == "stack" or live_desired is None:
        return size.desired_size, scaled_by != "stack"
    if size.min_size <= live_desired <= size.max_size:
        return live_desired, True
    return min(max(live_desired, size.min_size), size.max_size), False


def instance_types_input(capacity_type: str, given: Sequence[str],
                         live: Sequence[str] | None) -> list[str]:
    """The NodeGroup's `instanceTypes` (a replace-forcing input in terraform-provider-aws).

    ON_DEMAND: as given, the order is the launch priority (EKS's prioritized allocation).
    SPOT: the order means nothing (capacity-optimized allocation), so the types are compared
    as a set: a running group keeps the order it was created with while the set is the same
    (so neither a reorder nor this package's sorting replaces it); a new group, or a changed
    set (a replacement anyway), gets them sorted."""
    if capacity_type != "SPOT":
        return list(given)
    if live is not None and sorted(live) == sorted(given):
        return list(live)
    return sorted(given)
