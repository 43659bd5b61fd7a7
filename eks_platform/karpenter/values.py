"""Values of the `karpenter` Helm chart (keys of aws/karpenter-provider-aws
charts/karpenter/values.yaml).

The controller must not run on nodes it manages (it would evict itself), so it is pinned to
the system managed node group: required node affinity on that group's labels and on the
absence of `karpenter.sh/nodepool`, tolerations for that group's taints, two replicas on
different hosts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eks_platform.karpenter.settings import CONTROLLER_REPLICAS
from eks_platform.stack import TaintSettings

SERVICE_ACCOUNT = "karpenter"
REPLICAS = CONTROLLER_REPLICAS
#: EKS node group taint effects (botocore's enum) -> Kubernetes taint effects.
TAINT_EFFECT = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute",
                "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


def helm_values(
    *,
    cluster_name: str,
    interruption_queue: str,
    system_labels: Mapping[str, str],
    system_taints: Sequence[TaintSettings] = (),
    custom_networking: bool = False,
) -> dict[str, Any]:
    """Chart values; `system_labels` select the system node group's nodes."""
    if not system_labels:
        raise ValueError("the Karpenter controller needs the system node group's labels to "
                         "run on it (give that node group `labels`)")
    node_terms = [{"key": "karpenter.sh/nodepool", "operator": "DoesNotExist"}] + [
        {"key": key, "operator": "In", "values": [value]}
        for key, value in sorted(system_labels.items())
    ]
    tolerations: list[dict[str, str]] = [{"key": "CriticalAddonsOnly", "operator": "Exists"}]
    for taint in system_taints:
        toleration = {"key": taint.key, "effect": TAINT_EFFECT[taint.effect]}
        toleration.update({"operator": "Equal", "value": taint.value} if taint.value is not None
                          else {"operator": "Exists"})
        tolerations.append(toleration)
    return {
        "replicas": REPLICAS,
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT},
        "settings": {
            "clusterName": cluster_name,
            "interruptionQueue": interruption_queue,
            # With custom networking the node's primary ENI carries no pods; Karpenter's own
            # sums leave it out too (this package sets kubelet.maxPods regardless).
            "reservedENIs": "1" if custom_networking else "0",
        },
        "affinity": {
            "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": node_terms}]}},
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "kubernetes.io/hostname"}]},
        },
        "tolerations": tolerations,
    }
