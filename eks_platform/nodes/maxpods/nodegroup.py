"""Max pods and size of a node group, built on the single-instance formula."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eks_platform.nodes.maxpods.formula import max_pods_for
from eks_platform.nodes.maxpods.limits import InstanceLimits
from eks_platform.nodes.maxpods.options import MaxPodsOptions
from eks_platform.nodes.maxpods.table import lookup

#: EKS Fargate runs exactly one pod per (micro-VM) node.
FARGATE_MAX_PODS = 1

Resolver = Callable[[str], InstanceLimits]


def max_pods(
    instance_type: str, options: MaxPodsOptions, resolve: Resolver = lookup
) -> int:
    """What `max-pods-calculator.sh --instance-type T ...` prints for these options."""
    return max_pods_for(resolve(instance_type), options)


def nodegroup_max_pods(
    instance_types: Iterable[str], options: MaxPodsOptions, resolve: Resolver = lookup
) -> int:
    """A group with mixed instance types can land on any of them: the smallest answer wins,
    so the kubelet never advertises pods that the smallest node has no addresses for."""
    types = list(instance_types)
    if not types:
        raise ValueError("a node group needs at least one instance type")
    return min(max_pods(t, options, resolve) for t in types)


@dataclass(frozen=True, slots=True)
class GroupSize:
    min_size: int
    desired_size: int
    max_size: int


def workload_pods_per_node(max_pods_per_node: int, daemonset_pods: int) -> int:
    """Pods left for workloads once every DaemonSet pod has its place on a node.

    Checked for every group, sized by `targetPods` or not: a node whose max pods the DaemonSets
    fill would join the cluster and never run a workload pod.
    """
    if daemonset_pods < 0:
        raise ValueError(f"DaemonSet pods per node must be >= 0, got {daemonset_pods}")
    usable = max_pods_per_node - daemonset_pods
    if usable < 1:
        raise ValueError(
            f"{daemonset_pods} DaemonSet pods per node leave no room for workload pods on "
            f"nodes of {max_pods_per_node} max pods: lower daemonSetPodsPerNode below "
            f"{max_pods_per_node} or choose instance types with more max pods"
        )
    return usable


def nodes_for_pods(target_pods: int, max_pods_per_node: int, daemonset_pods: int) -> int:
    """Nodes needed to hold `target_pods` workload pods: `ceil(target / usable)`."""
    if target_pods < 0:
        raise ValueError(f"target pods must be >= 0, got {target_pods}")
    return math.ceil(target_pods / workload_pods_per_node(max_pods_per_node, daemonset_pods))


def size_for_pods(
    target_pods: int, max_pods_per_node: int, daemonset_pods: int, min_size: int, max_size: int
) -> GroupSize:
    """Desired nodes to hold `target_pods` workload pods, at least `min_size`.

    A target that `max_size` nodes cannot hold is an error naming the nodes it needs: capping
    it silently would plan fewer pods than asked for.
    """
    if min_size < 0 or max_size < 1 or min_size > max_size:
        raise ValueError(f"need 0 <= min ({min_size}) <= max ({max_size}) and max >= 1")
    needed = nodes_for_pods(target_pods, max_pods_per_node, daemonset_pods)
    if needed > max_size:
        usable = workload_pods_per_node(max_pods_per_node, daemonset_pods)
        raise ValueError(
            f"targetPods {target_pods} needs {needed} nodes of {usable} workload pods each "
            f"({max_pods_per_node} max pods - {daemonset_pods} DaemonSet pods), but maxSize is "
            f"{max_size}: raise maxSize to {needed} or lower targetPods to {max_size * usable}"
        )
    return GroupSize(min_size, max(min_size, needed), max_size)
