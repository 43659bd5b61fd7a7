"""The plan's sections as data, shared by the text report and the JSON document: add-on
versions in deploy order, Karpenter NodePools in natural name order, the critical path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eks_platform.cluster.auto_mode_nodeclass import NODE_CLASS_REF_GROUP
from eks_platform.tools.plan.timing import (
    ADDON,
    HELM_RELEASE,
    critical_path,
    natural_key,
    stable_order,
)
from eks_platform.tools.synth import RESOLVED_AT_DEPLOY

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

NODEPOOL = "kubernetes:karpenter.sh/v1:NodePool"
EC2NODECLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"
CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type"


def as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def addon_versions(graph: Graph) -> list[dict[str, Any]]:
    """Each managed add-on and Helm chart, in deploy order, with the version it asks for:
    pinned, or resolved by EKS (or the chart repository) at deploy."""
    rows: list[dict[str, Any]] = []
    for resource in stable_order(graph):
        inputs = resource.inputs
        if resource.type == ADDON:
            value = inputs.get("addonVersion")
            text = str(value) if value is not None else f"{RESOLVED_AT_DEPLOY} (default)"
            pinned = not text.startswith(RESOLVED_AT_DEPLOY)
            rows.append({"name": str(inputs.get("addonName", resource.name)), "kind": "addon",
                         "version": text, "pinned": pinned})
        elif resource.type == HELM_RELEASE:
            version = inputs.get("version")
            rows.append({"name": str(inputs.get("chart", resource.name)), "kind": "helm",
                         "version": str(version) if version else "latest chart at deploy",
                         "pinned": bool(version)})
    return rows


def karpenter_pools(graph: Graph) -> list[dict[str, Any]]:
    """Each NodePool with the types it allows, its EC2NodeClass's kubelet max pods, its limits
    and capacity types, as the recorded manifests say; `general-29` before `general-110`."""
    max_pods = {
        str(as_mapping(c.inputs.get("metadata")).get("name")):
            as_mapping(as_mapping(c.inputs.get("spec")).get("kubelet")).get("maxPods")
        for c in graph.of_type(EC2NODECLASS)
    }
    pools = []
    for pool in graph.of_type(NODEPOOL):
        spec = as_mapping(pool.inputs.get("spec"))
        template = as_mapping(as_mapping(spec.get("template")).get("spec"))
        if as_mapping(template.get("nodeClassRef")).get("group") == NODE_CLASS_REF_GROUP:
            continue  # an Auto Mode pool: cluster_features.py shows it
        requirements = {str(as_mapping(r).get("key")): list(as_mapping(r).get("values") or [])
                        for r in template.get("requirements") or []}
        node_class = str(as_mapping(template.get("nodeClassRef")).get("name"))
        pools.append({
            "name": str(as_mapping(pool.inputs.get("metadata")).get("name", pool.name)),
            "instanceTypes": requirements.get(INSTANCE_TYPE_LABEL, []),
            "maxPods": max_pods.get(node_class),
            "limits": dict(sorted(as_mapping(spec.get("limits")).items())),
            "capacityTypes": requirements.get(CAPACITY_TYPE_LABEL, []),
        })
    return sorted(pools, key=lambda p: natural_key(p["name"]))


def critical_path_document(graph: Graph) -> dict[str, Any]:
    """The estimated critical path: each step's resource, typical seconds and finish time."""
    steps = critical_path(graph)
    return {
        "steps": [{"type": s.resource.type, "name": s.resource.name, "urn": s.resource.urn,
                   "seconds": s.seconds, "doneAt": s.done_at} for s in steps],
        "estimatedTotalSeconds": steps[-1].done_at if steps else 0,
    }
