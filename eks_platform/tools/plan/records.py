"""The records `plan --diff` compares: an earlier plan JSON or `pulumi stack export`, and the
new plan (pure). URNs of plans made before the engine's whole parent chain was recorded are
rebuilt from their parents; secrets of an export are masked as the plan masks them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eks_platform.tools.plan.document import to_json
from eks_platform.tools.plan.timing import SECRET, UNKNOWN

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

#: Pulumi's marker of a secret value in a stack export.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"


class DiffInputError(ValueError):
    """The earlier record is not a plan JSON or a stack export of this stack."""


@dataclass(frozen=True)
class Recorded:
    """One resource of a record: what the diff compares."""

    urn: str
    type: str
    inputs: Mapping[str, Any]
    custom: bool = True
    ignore_changes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    retain_on_delete: bool = False
    replace_on_changes: tuple[str, ...] = ()


def _unsecret(value: Any) -> Any:
    if isinstance(value, Mapping):
        if _SECRET_SIG in value:
            return SECRET
        return {str(k): _unsecret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsecret(v) for v in value]
    return value


def read_record(document: Mapping[str, Any], stack: str) -> list[Recorded]:
    """The resources of a plan JSON or of a stack export of `stack`."""
    if "deployment" in document:
        resources = (document.get("deployment") or {}).get("resources") or []
        found = [Recorded(r["urn"], r["type"], _unsecret(r.get("inputs") or {}),
                          bool(r.get("custom", False)),
                          retain_on_delete=bool(r.get("retainOnDelete", False)))
                 for r in resources if r.get("type") != "pulumi:pulumi:Stack"
                 and not r.get("delete", False)]
        kind = "stack export"
    elif isinstance(document.get("resources"), list):
        recorded = document.get("stack")
        if recorded not in (None, stack):
            raise DiffInputError(f"the earlier plan is of stack {recorded!r}, not {stack!r}")
        urns = _engine_urns(document["resources"])
        found = [Recorded(urns[r["urn"]], r["type"], r.get("inputs") or {},
                          bool(r.get("custom")), tuple(r.get("ignoreChanges") or ()),
                          retain_on_delete=bool(r.get("retainOnDelete", False)))
                 for r in document["resources"]]
        kind = "plan"
    else:
        raise DiffInputError("not a `plan --format json` document or a `pulumi stack export` "
                             "file (no resources, no deployment.resources)")
    others = {r.urn.split("::")[0].removeprefix("urn:pulumi:") for r in found}
    if others and others != {stack}:
        raise DiffInputError(f"the {kind} holds stack(s) {', '.join(sorted(others))}, "
                             f"not {stack!r}")
    return found


def _engine_urns(resources: list[Mapping[str, Any]]) -> dict[str, str]:
    """Recorded URN -> the engine's, rebuilt from each resource's type, name and parent: plans
    made before the synthesis qualified types with the whole parent chain keep only the
    immediate parent's type, and would otherwise match nothing."""
    from eks_platform.tools.synth.mocks import engine_urn

    by_urn = {r["urn"]: r for r in resources}
    out: dict[str, str] = {}

    def rebuilt(urn: str) -> str:
        if urn not in out:
            resource = by_urn[urn]
            head = urn.split("::")
            parent = resource.get("parent")
            parent_urn = rebuilt(parent) if isinstance(parent, str) and parent in by_urn else ""
            out[urn] = engine_urn(head[0].removeprefix("urn:pulumi:"), head[1], parent_urn,
                                  resource["type"], resource.get("name") or head[-1])
        return out[urn]

    for resource in resources:
        rebuilt(resource["urn"])
    return out


def planned(graph: Graph, stack: str) -> list[Recorded]:
    """The new plan's resources, as `plan --format json` records them, with their aliases."""
    document = to_json(graph, stack)
    by_urn = graph.by_urn
    return [Recorded(r["urn"], r["type"], r["inputs"], bool(r["custom"]),
                     tuple(r["ignoreChanges"]), tuple(graph.alias_urns[r["urn"]]),
                     by_urn[r["urn"]].retain_on_delete, tuple(r.get("replaceOnChanges") or ()))
            for r in document["resources"]]


def invented_values(graph: Graph) -> frozenset[str]:
    """What the offline plan made up for resources' outputs: their IDs and computed outputs
    (unknown before a real deployment, so never compared with a stack export's values)."""
    from eks_platform.tools.synth.mocks import fake_state

    out: set[str] = set()
    for resource in graph:
        out.add(f"{resource.name}-id")
        state = fake_state(resource.type, resource.name, resource.inputs, "")
        out.update(str(v) for k, v in state.items()
                   if k not in resource.inputs and isinstance(v, str) and v)
    return frozenset(v for v in out if len(v) > 6)


def blank_invented(value: Any, invented: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: blank_invented(v, invented) for k, v in value.items()}
    if isinstance(value, list):
        return [blank_invented(v, invented) for v in value]
    if isinstance(value, str) and any(i in value for i in invented):
        return UNKNOWN
    return value


