"""The replacements decided in provider code (CustomizeDiff, ModifyPlan, the region rule, the
Kubernetes provider's DiffConfig): each rule named in `replacements.json`'s `conditional`
entries, evaluated on the old and new inputs. Pure; used by `facts.replacements`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def value_at(inputs: Mapping[str, Any] | None, path: str) -> Any:
    """The value at a dotted input path (None when absent or under a list)."""
    current: Any = inputs
    for key in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current


@dataclass(frozen=True, slots=True)
class ConditionalRule:
    """A replacement decided by provider code from the old and new values."""

    field: str
    rule: str
    note: str
    file: str
    line: int | None = None
    function: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def fields(self) -> frozenset[str]:
        """The input paths whose change brings this rule into play."""
        if self.rule == "kubernetesProvider":
            return frozenset({"kubeconfig", "context", "cluster", "clusterIdentifier",
                              "renderYamlToDirectory"})
        return frozenset({self.field, *self.params.get("fields", ())})

    @property
    def location(self) -> str:
        """`file:line (function)`, as far as the source copy told."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} ({self.function})" if self.function else where

    def fires(
        self, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None,
        *, provider_region: str | None = None,
    ) -> bool | None:
        """Whether the rule acts on this change (None: not decidable from these inputs)."""
        before, after = value_at(old, self.field), value_at(new, self.field)
        if self.rule == "removed":
            return _present(before) and not _present(after)
        if self.rule == "regionChanged":
            if before == after:
                return False
            if _present(before) and _present(after):
                return True
            if provider_region is None:
                return None
            return bool((before or after) != provider_region)
        if self.rule == "changedExcept":
            default = self.params.get("default")
            pair = [before if _present(before) else default, after if _present(after) else default]
            return bool(pair[0] != pair[1] and pair not in self.params.get("allowed", []))
        if self.rule == "ignoredWhenSet":
            other = value_at(new, self.params["other"])
            return bool(_present(other) and other != 0)
        if self.rule == "changedWhenOldTrue":
            return bool(before != after and value_at(old, self.params["other"]))
        if self.rule == "sourceKindChanged":
            return _source_kind(old, self.params["fields"]) != _source_kind(
                new, self.params["fields"])
        if self.rule == "eksComputeNodeRole":
            return _eks_compute_node_role(old, new)
        if self.rule == "kubernetesProvider":
            return _kubernetes_provider(old, new)
        raise ValueError(f"unknown replacement rule {self.rule!r} ({self.location})")


def _source_kind(inputs: Mapping[str, Any] | None, fields: Sequence[str]) -> str | None:
    return next((f for f in fields if _present(value_at(inputs, f))), None)


def _eks_compute_node_role(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> bool:
    before, after = value_at(old, "computeConfig"), value_at(new, "computeConfig")
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return False
    old_role, new_role = before.get("nodeRoleArn") or "", after.get("nodeRoleArn") or ""
    if new_role == "" and (not after.get("enabled") or not after.get("nodePools")):
        return False
    return old_role != "" and old_role != new_role


def _kubernetes_provider(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> bool | None:
    before, after = value_at(old, "clusterIdentifier"), value_at(new, "clusterIdentifier")
    if _present(after) and before == after:
        return False
    if _present(before) and _present(after):
        return True
    if value_at(old, "renderYamlToDirectory") != value_at(new, "renderYamlToDirectory"):
        return True
    if any(value_at(old, k) != value_at(new, k) for k in ("kubeconfig", "context", "cluster")):
        return None  # replaces only if the kubeconfig's active cluster changed
    return False
