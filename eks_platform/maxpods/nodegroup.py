"""Max pods and size of a node group, built on the single-instance formula."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .formula import max_pods_for
from .limits import InstanceLimits
from .options import MaxPodsOptions
from .table import lookup

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


def size_for_pods(
    target_pods: int, max_pods_per_node: int, daemonset_pods: int, min_size: int, max_size: int
) -> GroupSize:
    """Desired nodes to hold `target_pods` workload pods: `ceil(target / usable)`, where
    usable = max pods minus the DaemonSet pods every node carries, bounded by min and max."""
    if min_size < 0 or max_size < 1 or min_size > max_size:
        raise ValueError(f"need 0 <= min ({min_size}) <= max ({max_size}) and max >= 1")
    if target_pods < 0:
        raise ValueError(f"target pods must be >= 0, got {target_pods}")
    usable = max_pods_per_node - daemonset_pods
    if usable < 1:
        raise ValueError(
            f"{daemonset_pods} DaemonSet pods per node leave no room on nodes of "
            f"{max_pods_per_node} max pods"
        )
    needed = math.ceil(target_pods / usable)
    return GroupSize(min_size, max(min_size, min(needed, max_size)), max_size)
