"""The plan as a JSON document: every resource with its parent, dependencies and inputs,
secrets masked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pulumi.runtime import rpc

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

from eks_platform.cluster.judgment_day import judgment_day
from eks_platform.tools.plan.cluster_features import auto_mode_pools
from eks_platform.tools.plan.kubernetes import version_document
from eks_platform.tools.plan.sections import (
    addon_versions,
    critical_path_document,
    karpenter_pools,
)
from eks_platform.tools.plan.text import number
from eks_platform.tools.plan.timing import SECRET, SECRET_KEY, UNKNOWN, stable_order

# --- JSON ----------------------------------------------------------------------------------

def _plain(value: Any, key: str = "") -> Any:
    """JSON-ready copy of a recorded value, with secrets masked."""
    if SECRET_KEY.search(key):
        return SECRET
    if isinstance(value, Mapping):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return SECRET
        return {str(k): _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return number(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    if type(value).__name__ == "Unknown":  # pulumi.output.Unknown: computed at deploy
        return UNKNOWN
    return str(value)


def to_json(graph: Graph, stack: str | None = None, *, day: date | None = None,
            from_version: str | None = None) -> dict[str, Any]:
    """The graph as a JSON-ready document; secret outputs and secret-looking inputs masked,
    with the Kubernetes version judged on `day` (default the judgment day) and the upgrade
    from `from_version`. Dump it with `sort_keys=True` for a deterministic file."""
    by_urn = graph.by_urn
    resources = []
    for resource in stable_order(graph):
        inputs = _plain(resource.inputs)
        if resource.type == "pulumi:providers:kubernetes" and "kubeconfig" in inputs:
            inputs["kubeconfig"] = SECRET
        resources.append({
            "urn": resource.urn,
            "type": resource.type,
            "name": resource.name,
            "parent": resource.parent if resource.parent in by_urn else None,
            "custom": resource.custom,
            "dependencies": sorted(set(resource.dependencies)),
            "provider": resource.provider_urn,
            "protect": resource.protect,
            "ignoreChanges": list(resource.ignore_changes),
            **({"replaceOnChanges": list(resource.replace_on_changes)}
               if resource.replace_on_changes else {}),
            "inputs": inputs,
        })
        if resource.aliases:  # earlier URNs: `plan --diff` matches them
            resources[-1]["aliases"] = list(resource.aliases)
        if resource.retain_on_delete:
            resources[-1]["retainOnDelete"] = True
    outputs = {key: SECRET if key in graph.secret_outputs else _plain(value, key)
               for key, value in graph.outputs.items()}
    document = {"stack": stack if stack is not None else stack_of(graph),
                "resources": resources, "outputs": outputs,
                "kubernetes": version_document(graph, day or judgment_day(), from_version),
                "addons": addon_versions(graph),
                "karpenterPools": _plain(karpenter_pools(graph)),
                "autoModePools": _plain(auto_mode_pools(graph)),
                "criticalPath": critical_path_document(graph)}
    if graph.secret_config:
        document["secretConfig"] = dict.fromkeys(graph.secret_config, SECRET)
    return document


def stack_of(graph: Graph) -> str | None:
    # urn:pulumi:<stack>::<project>::<type>::<name>
    for resource in graph:
        head = resource.urn.split("::", 1)[0]
        if head.startswith("urn:pulumi:"):
            return head.removeprefix("urn:pulumi:")
    return None

