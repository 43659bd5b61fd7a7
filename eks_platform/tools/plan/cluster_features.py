"""Plan lines for Auto Mode, the control-plane tier, hybrid nodes and add-on namespaces: what
the recorded cluster and add-on inputs ask EKS for, what a tier buys and what each Auto Mode
pool's nodes hold, with the sources of the figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eks_platform.cluster.auto_mode import PODS_RULE_SOURCE, pods_per_node, tier_summary
from eks_platform.cluster.auto_mode_nodeclass import NODE_CLASS_REF_GROUP
from eks_platform.nodes import maxpods
from eks_platform.tools.plan.sections import INSTANCE_TYPE_LABEL, NODEPOOL
from eks_platform.tools.plan.sections import as_mapping as _m

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

CLUSTER = "aws:eks/cluster:Cluster"
ADDON = "aws:eks/addon:Addon"


def is_auto_mode_pool(spec: Mapping[str, Any]) -> bool:
    template = _m(_m(spec.get("template")).get("spec"))
    return _m(template.get("nodeClassRef")).get("group") == NODE_CLASS_REF_GROUP


def auto_mode_pools(graph: Graph) -> list[dict[str, Any]]:
    """Each Auto Mode NodePool with its instance types and pods per node (None: types the
    table does not know), by Auto Mode's rule (PODS_RULE_SOURCE)."""
    pools = []
    for pool in graph.of_type(NODEPOOL):
        spec = _m(pool.inputs.get("spec"))
        if not is_auto_mode_pool(spec):
            continue
        template = _m(_m(spec.get("template")).get("spec"))
        types = sorted(str(v) for r in template.get("requirements") or []
                       if _m(r).get("key") == INSTANCE_TYPE_LABEL
                       for v in _m(r).get("values") or [])
        pods = sorted({pods_per_node(t) for t in types if maxpods.is_known(t)})
        pools.append({"name": str(_m(pool.inputs.get("metadata")).get("name", pool.name)),
                      "instanceTypes": types, "podsPerNode": pods or None,
                      "source": PODS_RULE_SOURCE})
    return sorted(pools, key=lambda p: p["name"])


def _pool_line(pool: Mapping[str, Any]) -> str:
    pods = pool["podsPerNode"]
    if not pods:
        return f"    {pool['name']}: pods per node ? (instance types unknown offline)"
    figure = str(pods[0]) if len(pods) == 1 else f"{pods[0]}-{pods[-1]}"
    return f"    {pool['name']}: {figure} pods per node ({', '.join(pool['instanceTypes'])})"


def feature_lines(graph: Graph) -> list[str]:
    """Lines for each cluster that asks for Auto Mode, a tier or hybrid nodes, and for add-ons
    placed in a namespace of their own; empty when none does."""
    lines: list[str] = []
    for cluster in graph.of_type(CLUSTER):
        inputs, label = cluster.inputs, cluster.inputs.get("name", cluster.name)
        compute = _m(inputs.get("computeConfig"))
        if compute:
            on = bool(compute.get("enabled"))
            lines.append(f"  {label}: Auto Mode {'on' if on else 'off'}: computeConfig.enabled "
                         f"{on}, storageConfig.blockStorage.enabled "
                         f"{_m(_m(inputs.get('storageConfig')).get('blockStorage')).get('enabled')}"
                         ", kubernetesNetworkConfig.elasticLoadBalancing.enabled "
                         f"{_m(_m(inputs.get('kubernetesNetworkConfig')).get('elasticLoadBalancing')).get('enabled')}")
            pools = compute.get("nodePools") or []
            lines.append(f"    built-in node pools: {', '.join(pools) or 'none'}; every "
                         "built-in pool node holds up to 110 pods")
        tier = _m(inputs.get("controlPlaneScalingConfig")).get("tier")
        if tier:
            lines.append(f"  {label}: control plane tier "
                         f"{tier_summary(str(tier), str(inputs.get('version')))}")
        remote = _m(inputs.get("remoteNetworkConfig"))
        if remote:
            nodes = _m(remote.get("remoteNodeNetworks")).get("cidrs") or []
            pods = _m(remote.get("remotePodNetworks")).get("cidrs") or []
            lines.append(f"  {label}: hybrid nodes from {', '.join(nodes)}"
                         + (f", pods {', '.join(pods)}" if pods else "")
                         + " (HYBRID_LINUX access entry; Cilium as their CNI)")
    pools = auto_mode_pools(graph)
    if pools:
        lines.append(f"  Auto Mode custom NodePools, pods per node by {PODS_RULE_SOURCE}:")
        lines += [_pool_line(p) for p in pools]
    for addon in graph.of_type(ADDON):
        namespace = _m(addon.inputs.get("namespaceConfig")).get("namespace")
        if namespace:
            lines.append(f"  add-on {addon.inputs.get('addonName')}: namespace {namespace}; "
                         "changing it deletes and re-creates the add-on (replace: EKS "
                         "UpdateAddon has no namespaceConfig)")
    return lines
