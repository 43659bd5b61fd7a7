"""The running node group of a group setting, read at preview (blocking data sources).

The stack names each group `<name>-<26-character suffix>` (`nodeGroupNamePrefix`), so the
running group is the cluster's group with that prefix and a suffix of that length. Offline
(no running cluster) there is none, and a group is planned as new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from eks_platform.cluster.version_guard import live_cluster

#: terraform-provider-aws `id.UniqueIdSuffixLength`, the suffix of `nodeGroupNamePrefix`.
SUFFIX_LENGTH = 26


@dataclass(frozen=True, slots=True)
class LiveGroup:
    """What decides a running group's inputs: its types' order and its desired size."""

    name: str
    instance_types: tuple[str, ...]
    desired_size: int | None


def live_node_group(cluster_name: str, group_name: str,
                    opts: pulumi.InvokeOptions | None = None) -> LiveGroup | None:
    """The running group made from setting `group_name`, None when there is none."""
    if live_cluster(cluster_name, opts) is None:
        return None
    names = aws.eks.get_node_groups(cluster_name=cluster_name, opts=opts).names or []
    pattern = re.compile(re.escape(f"{group_name}-") + f"[0-9A-Za-z]{{{SUFFIX_LENGTH}}}")
    found = sorted(n for n in names if pattern.fullmatch(n))
    if not found:
        return None
    group = aws.eks.get_node_group(cluster_name=cluster_name, node_group_name=found[-1],
                                   opts=opts)
    scaling = group.scaling_configs[0] if group.scaling_configs else None
    return LiveGroup(found[-1], tuple(group.instance_types or ()),
                     None if scaling is None else scaling.desired_size)
