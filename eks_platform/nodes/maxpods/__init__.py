"""ENI max-pods helper: the instance network table, AWS's formula, node-group sizing.

Imports nothing from Pulumi, so the `max-pods` CLI stays fast.
"""

from eks_platform.nodes.maxpods.formula import max_pods_for, raw_max_pods
from eks_platform.nodes.maxpods.limits import InstanceLimits
from eks_platform.nodes.maxpods.nodegroup import (
    FARGATE_MAX_PODS,
    GroupSize,
    max_pods,
    nodegroup_max_pods,
    nodes_for_pods,
    size_for_pods,
    workload_pods_per_node,
)
from eks_platform.nodes.maxpods.options import (
    InvalidCniVersionError,
    MaxPodsOptions,
    parse_cni_version,
)
from eks_platform.nodes.maxpods.table import (
    UnknownInstanceTypeError,
    is_known,
    known_instance_types,
    lookup,
)

__all__ = [
    "FARGATE_MAX_PODS",
    "GroupSize",
    "InstanceLimits",
    "InvalidCniVersionError",
    "MaxPodsOptions",
    "UnknownInstanceTypeError",
    "is_known",
    "known_instance_types",
    "lookup",
    "max_pods",
    "max_pods_for",
    "nodegroup_max_pods",
    "nodes_for_pods",
    "parse_cni_version",
    "raw_max_pods",
    "size_for_pods",
    "workload_pods_per_node",
]
