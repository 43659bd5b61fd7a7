"""NodePools and EC2NodeClasses whose kubelet max pods is the calculator's answer.

Karpenter derives pods per node from ENI limits and ignores prefix delegation, so this package
sets `kubelet.maxPods` itself, from the stack's one CNI declaration. A pool's types can differ
in max pods; one value for all would cap the larger types below what they hold, so a pool is
split into one NodePool/EC2NodeClass per max-pods class, each pinned to its types by an
explicit `node.kubernetes.io/instance-type` requirement. Every NodePool carries that
requirement, split or not: the kubelet value is only right for the types it was computed for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eks_platform.karpenter.settings import NodePoolSettings, PoolLimitsSettings
from eks_platform.nodes import kubereserved, maxpods
from eks_platform.nodes.maxpods.nodegroup import Resolver

NODEPOOL_API = "karpenter.sh/v1"
NODECLASS_API = "karpenter.k8s.aws/v1"
NODECLASS_GROUP = "karpenter.k8s.aws"
#: Tag that Karpenter's selector terms look for on node subnets and the node security group.
DISCOVERY_TAG = "karpenter.sh/discovery"

#: Well-known labels Karpenter schedules on (Kubernetes and karpenter.sh well-known labels).
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"
ARCH_LABEL = "kubernetes.io/arch"
CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type"

#: EC2NodeClass `amiSelectorTerms[].alias` per AMI family ("family@version").
AMI_ALIAS = {"al2023": "al2023@latest", "bottlerocket": "bottlerocket@latest"}
#: Bottlerocket keeps its OS on xvda and images/pods on xvdb; the 4Gi OS volume is the default
#: Karpenter documents for Bottlerocket (docs/concepts/nodeclasses.md, blockDeviceMappings).
#: Both are listed so both are encrypted gp3, as Karpenter replaces its defaults wholesale.
BOTTLEROCKET_OS_VOLUME_GIB = 4
DATA_DEVICE = {"al2023": "/dev/xvda", "bottlerocket": "/dev/xvdb"}

#: Tag keys Karpenter sets itself and the EC2NodeClass CRD refuses in `spec.tags`.
RESTRICTED_TAGS = ("eks:eks-cluster-name", "karpenter.sh/nodepool", "karpenter.sh/nodeclaim",
                   "karpenter.k8s.aws/ec2nodeclass")
RESTRICTED_TAG_PREFIX = "kubernetes.io/cluster"

_QUANTITY = re.compile(r"^(\d+)(Mi|Gi|Ti)$")
_MIB = {"Mi": 1, "Gi": 1024, "Ti": 1024 * 1024}


@dataclass(frozen=True, slots=True)
class MaxPodsClass:
    """Instance types of one pool that share one calculator answer."""

    max_pods: int
    instance_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedPool:
    """One NodePool/EC2NodeClass pair to create: a whole pool, or one class of a split pool."""

    name: str
    source: NodePoolSettings
    max_pods: int
    instance_types: tuple[str, ...]
    limits: Mapping[str, str]


def max_pods_classes(
    pool: NodePoolSettings, options: maxpods.MaxPodsOptions, resolve: Resolver = maxpods.lookup
) -> list[MaxPodsClass]:
    """The pool's allowed types grouped by the calculator's answer, smallest first."""
    groups: dict[int, list[str]] = {}
    for instance_type in pool.allowed_types:
        groups.setdefault(maxpods.max_pods(instance_type, options, resolve), []).append(
            instance_type)
    return [MaxPodsClass(pods, tuple(sorted(types))) for pods, types in sorted(groups.items())]


def plan_pools(
    pool: NodePoolSettings, options: maxpods.MaxPodsOptions, resolve: Resolver = maxpods.lookup
) -> list[PlannedPool]:
    """What one pool setting becomes. With `splitByMaxPods` every class is named
    `<pool>-<max pods>`, even when only one class remains: the name is the class's identity,
    so narrowing a pool's sizes keeps the NodePool and EC2NodeClass of the classes that stay
    (a rename would make Karpenter drain their nodes). The classes share the pool's limits
    evenly, so together they never provision more than the pool was allowed."""
    classes = max_pods_classes(pool, options, resolve)
    if not pool.split_by_max_pods:
        types = tuple(t for c in classes for t in c.instance_types)
        limits = share_limits(pool.limits, 1, pool.name)[0]
        return [PlannedPool(pool.name, pool, classes[0].max_pods, tuple(sorted(types)), limits)]
    shares = share_limits(pool.limits, len(classes), pool.name)
    return [
        PlannedPool(f"{pool.name}-{c.max_pods}", pool, c.max_pods, c.instance_types, share)
        for c, share in zip(classes, shares, strict=True)
    ]


def share_limits(
    limits: PoolLimitsSettings | None, parts: int, pool_name: str
) -> list[dict[str, str]]:
    """Split a pool's limits over `parts` NodePools: even shares, the remainder to the first."""
    shares: list[dict[str, str]] = [{} for _ in range(parts)]
    if limits is None:
        return shares
    if limits.cpu is not None:
        for share, cpu in zip(shares, _split(limits.cpu, parts, pool_name, "cpu"), strict=True):
            share["cpu"] = str(cpu)
    if limits.memory is not None:
        match = _QUANTITY.match(limits.memory)
        if match is None:  # the settings pattern guarantees the form
            raise ValueError(f"unexpected memory quantity {limits.memory!r}")
        mib = int(match.group(1)) * _MIB[match.group(2)]
        for share, part in zip(shares, _split(mib, parts, pool_name, "memory"), strict=True):
            share["memory"] = f"{part}Mi" if parts > 1 else limits.memory
    return shares


def _split(total: int, parts: int, pool_name: str, what: str) -> list[int]:
    base, extra = divmod(total, parts)
    if base < 1:
        raise ValueError(f"NodePool {pool_name!r}: limits.{what} {total} cannot be shared by its "
                         f"{parts} max-pods classes; raise it or set splitByMaxPods: false")
    return [base + (1 if i < extra else 0) for i in range(parts)]


def nodepool_manifest(planned: PlannedPool) -> dict[str, Any]:
    """The karpenter.sh/v1 NodePool."""
    pool = planned.source
    template_spec: dict[str, Any] = {
        "nodeClassRef": {"group": NODECLASS_GROUP, "kind": "EC2NodeClass", "name": planned.name},
        "requirements": [
            {"key": INSTANCE_TYPE_LABEL, "operator": "In", "values": list(planned.instance_types)},
            {"key": ARCH_LABEL, "operator": "In", "values": list(pool.architectures)},
            {"key": CAPACITY_TYPE_LABEL, "operator": "In", "values": list(pool.capacity_types)},
        ],
        "expireAfter": pool.expire_after,
    }
    if pool.taints:
        template_spec["taints"] = [
            {k: v for k, v in (("key", t.key), ("value", t.value), ("effect", t.effect))
             if v is not None}
            for t in pool.taints
        ]
    template: dict[str, Any] = {"spec": template_spec}
    if pool.labels:
        template["metadata"] = {"labels": dict(pool.labels)}
    disruption = pool.disruption
    spec: dict[str, Any] = {
        "template": template,
        "disruption": {
            "consolidationPolicy": disruption.consolidation_policy,
            "consolidateAfter": disruption.consolidate_after,
            "budgets": [
                {k: v for k, v in (("nodes", b.nodes), ("schedule", b.schedule),
                                   ("duration", b.duration), ("reasons", list(b.reasons)))
                 if v}
                for b in disruption.budgets
            ],
        },
    }
    if planned.limits:
        spec["limits"] = dict(planned.limits)
    if pool.weight is not None:
        spec["weight"] = pool.weight
    return {"apiVersion": NODEPOOL_API, "kind": "NodePool",
            "metadata": {"name": planned.name}, "spec": spec}


def kubelet(planned: PlannedPool) -> dict[str, Any]:
    """The node class's kubelet settings: the calculator's max pods, and on AL2023 the
    kube-reserved memory for those pods. Karpenter hands `spec.kubelet` to nodeadm as the
    NodeConfig's kubelet drop-in and adds no reservation of its own, while nodeadm sizes the
    memory from the instance's ENI-default max pods: without it an m5.large running 110 pods
    would reserve 574 MiB instead of 1465. Only memory is set, so each node keeps nodeadm's
    cpu for its own vCPUs (drop-in maps merge key by key). Bottlerocket derives the memory
    from `settings.kubernetes.max-pods`, which Karpenter sets from `maxPods`."""
    settings: dict[str, Any] = {"maxPods": planned.max_pods}
    if planned.source.ami_family == "al2023":
        settings["kubeReserved"] = {"memory": f"{kubereserved.memory_mib(planned.max_pods)}Mi"}
    return settings


def ec2nodeclass_manifest(
    planned: PlannedPool, cluster_name: str, node_role: str, tags: Mapping[str, str],
    kms_key_id: str | None = None,
) -> dict[str, Any]:
    """The karpenter.k8s.aws/v1 EC2NodeClass: AMI alias, discovery selectors, IMDSv2 only,
    encrypted gp3 volumes (with the cluster's node-volume key, if it has one; else the account's
    `aws/ebs` key, as for the managed groups) and the kubelet max pods of this class."""
    pool = planned.source

    def discovery() -> list[dict[str, Any]]:
        return [{"tags": {DISCOVERY_TAG: cluster_name}}]

    return {
        "apiVersion": NODECLASS_API,
        "kind": "EC2NodeClass",
        "metadata": {"name": planned.name},
        "spec": {
            "role": node_role,
            "amiSelectorTerms": [{"alias": AMI_ALIAS[pool.ami_family]}],
            "subnetSelectorTerms": discovery(),
            "securityGroupSelectorTerms": discovery(),
            "metadataOptions": {
                "httpEndpoint": "enabled",
                "httpProtocolIPv6": "disabled",
                "httpPutResponseHopLimit": pool.imds_hop_limit,
                "httpTokens": "required",
            },
            "blockDeviceMappings": block_devices(pool, kms_key_id),
            "kubelet": kubelet(planned),
            "tags": {**allowed_tags(tags), "eks-platform/node-pool": pool.name},
        },
    }


def allowed_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The stack's tags without those Karpenter owns (the CRD rejects a class that sets them)."""
    return {key: value for key, value in tags.items()
            if key and key not in RESTRICTED_TAGS and not key.startswith(RESTRICTED_TAG_PREFIX)}


def block_devices(pool: NodePoolSettings, kms_key_id: str | None = None) -> list[dict[str, Any]]:
    key = {"kmsKeyID": kms_key_id} if kms_key_id else {}

    def volume(device: str, gib: int) -> dict[str, Any]:
        return {"deviceName": device, "ebs": {"volumeSize": f"{gib}Gi", "volumeType": "gp3",
                                              "encrypted": True, "deleteOnTermination": True,
                                              **key}}

    data = volume(DATA_DEVICE[pool.ami_family], pool.disk_size_gib)
    if pool.ami_family == "bottlerocket":
        return [volume("/dev/xvda", BOTTLEROCKET_OS_VOLUME_GIB), data]
    return [data]
