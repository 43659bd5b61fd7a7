"""`plan --diff`: what `pulumi up` would do to a stack, from an earlier record of it (pure).

The earlier record is a `plan --format json` of the same stack, or a `pulumi stack export`
(its `deployment.resources[]`: urn, type, inputs). Resources are matched by URN, or by an alias
the new program gives (`opts.aliases`: a renamed or re-parented resource is the same one).
Each matched resource's inputs are compared, and what each changed input does comes from the
bridged providers' rules (`facts.replacements`: terraform-provider-aws ForceNew and its
CustomizeDiff rules, the Kubernetes provider's): `update`, or `replace` when one forces it.
Inputs listed in the resource's `ignoreChanges` are left out, as Pulumi leaves them.

Values known only at deploy are `[unknown]`: two unknowns compare equal, and an unknown facing a
known value is reported under `unknown`, never as a change. With a stack export, values the
offline plan invented for other resources' outputs (IDs, ARNs of the mocks) are unknown too.

Node groups get `rollsNodes: true` when their nodes would be replaced: the group itself
replaced, or updated in its version, release version or launch template version (a changed
launch template makes a new version, which the group then rolls to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from eks_platform.facts import replacements
from eks_platform.tools.plan.document import to_json
from eks_platform.tools.plan.timing import SECRET, UNKNOWN

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

Op = Literal["create", "update", "replace", "delete"]
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
#: NodeGroup inputs whose in-place update rolls every node (UpdateNodegroupVersion).
ROLLING_UPDATES = ("version", "releaseVersion", "launchTemplate.version")
#: Launch template inputs that do not make a new template version (terraform-provider-aws
#: ec2/launch_template.go: the update creates a version unless only these changed).
NO_NEW_VERSION = frozenset({"defaultVersion", "description", "tags", "tagsAll",
                            "updateDefaultVersion"})
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


@dataclass(frozen=True)
class Change:
    """What `pulumi up` does to one resource."""

    urn: str
    type: str
    op: Op
    fields: tuple[str, ...] = ()
    rolls_nodes: bool = False
    unknown: tuple[str, ...] = ()
    retained: bool = False

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"urn": self.urn, "type": self.type, "op": self.op,
                               "fields": list(self.fields), "rollsNodes": self.rolls_nodes}
        if self.unknown:
            out["unknown"] = list(self.unknown)
        if self.retained:
            out["retained"] = True
        return out


@dataclass(frozen=True)
class Diff:
    """Every resource `pulumi up` would touch, in the new plan's order, deletes last."""

    changes: tuple[Change, ...]

    def by_op(self, op: Op) -> set[str]:
        """Names (URN tails) of the resources with that operation."""
        return {c.name for c in self.changes if c.op == op}

    def stateful_losses(self) -> list[Change]:
        """Replaces and deletes of stateful resources (cluster, keys, log groups, VPC)."""
        return [c for c in self.changes if c.op in ("replace", "delete") and not c.retained
                and c.type in replacements.STATEFUL_TYPES]

    def to_json(self) -> dict[str, Any]:
        return {"diff": [c.to_json() for c in self.changes]}


# --- reading the records -------------------------------------------------------------------

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
                     by_urn[r["urn"]].retain_on_delete)
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


def _blank_invented(value: Any, invented: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: _blank_invented(v, invented) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_invented(v, invented) for v in value]
    if isinstance(value, str) and any(i in value for i in invented):
        return UNKNOWN
    return value


# --- comparing -----------------------------------------------------------------------------

def _settle(old: Any, new: Any, path: str, unknown: list[str]) -> tuple[Any, Any]:
    """Both sides with every spot where one is unknown made equal (and its path noted)."""
    if old == UNKNOWN or new == UNKNOWN:
        if old != new:
            unknown.append(path)
        return UNKNOWN, UNKNOWN
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        pairs = {k: _settle(old.get(k), new.get(k), f"{path}.{k}" if path else str(k), unknown)
                 for k in dict.fromkeys([*old, *new])}
        return ({k: a for k, (a, _) in pairs.items() if k in old},
                {k: b for k, (_, b) in pairs.items() if k in new})
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        settled = [_settle(a, b, path, unknown) for a, b in zip(old, new, strict=True)]
        return [a for a, _ in settled], [b for _, b in settled]
    return old, new


def _ignored(path: str, ignore: Iterable[str]) -> bool:
    return any(path == i or path.startswith(i + ".") for i in ignore)


def _compare(before: Recorded, after: Recorded) -> Change:
    if before.type != after.type:
        return Change(after.urn, after.type, "replace", ("type",))
    unknown: list[str] = []
    old, new = _settle(dict(before.inputs), dict(after.inputs), "", unknown)
    if after.type == NODE_GROUP and new.get("capacityType") == "SPOT" and sorted(
            old.get("instanceTypes") or []) == sorted(new.get("instanceTypes") or []):
        # At deploy the group keeps its running order while the set is the same
        # (`nodes.resolver.instance_types_input`); offline that order is the earlier record's.
        new = {**new, "instanceTypes": old.get("instanceTypes")}
    try:
        verdicts = replacements.classify(after.type, old, new)
    except replacements.UnknownResourceTypeError:
        verdicts = dict.fromkeys(replacements.changed_paths(old, new), "update")
    verdicts = {p: v for p, v in verdicts.items()
                if v != "none" and not _ignored(p, after.ignore_changes)}
    replaced = tuple(sorted(p for p, v in verdicts.items() if v == "replace"))
    undecided = sorted({*unknown, *(p for p, v in verdicts.items() if v == "unknown")})
    if replaced:
        return Change(after.urn, after.type, "replace", replaced, unknown=tuple(undecided))
    if verdicts:
        return Change(after.urn, after.type, "update", tuple(sorted(verdicts)),
                      unknown=tuple(undecided))
    return Change(after.urn, after.type, "update", (), unknown=tuple(undecided))


def _rolled_templates(changes: Mapping[str, Change], after: list[Recorded]) -> set[str]:
    """IDs (as the plan records them) of launch templates that get a new version."""
    ids = set()
    for resource in after:
        change = changes.get(resource.urn)
        if resource.type == LAUNCH_TEMPLATE and change is not None and change.op != "create" \
                and any(f.split(".")[0] not in NO_NEW_VERSION for f in change.fields):
            ids.add(f"{resource.urn.rsplit('::', 1)[-1]}-id")
    return ids


def _with_rolls(change: Change, resource: Recorded, new_templates: set[str]) -> Change:
    if resource.type != NODE_GROUP or change.op == "create":
        return change
    fields = change.fields
    template = (resource.inputs.get("launchTemplate") or {}).get("id")
    if template in new_templates and "launchTemplate.version" not in fields:
        fields = tuple(sorted({*fields, "launchTemplate.version"}))
    rolls = change.op == "replace" or any(f in ROLLING_UPDATES for f in fields)
    op: Op = "update" if change.op == "update" else change.op
    return Change(change.urn, change.type, op, fields, rolls, change.unknown, change.retained)


def diff(before: list[Recorded], after: list[Recorded],
         invented: frozenset[str] = frozenset()) -> Diff:
    """Every custom resource created, updated (with changes), replaced or deleted."""
    old = {r.urn: r for r in before}
    if invented:
        after = [Recorded(r.urn, r.type, _blank_invented(r.inputs, invented), r.custom,
                          r.ignore_changes, r.aliases, r.retain_on_delete) for r in after]
    matched: set[str] = set()
    changes: dict[str, Change] = {}
    for resource in after:
        if not resource.custom:
            continue
        source = next((old[u] for u in (resource.urn, *resource.aliases) if u in old), None)
        if source is None:
            changes[resource.urn] = Change(resource.urn, resource.type, "create")
            continue
        matched.add(source.urn)
        changes[resource.urn] = _compare(source, resource)
    templates = _rolled_templates(changes, after)
    ordered: list[Change] = []
    for resource in after:
        change = changes.get(resource.urn)
        if change is None:
            continue
        change = _with_rolls(change, resource, templates)
        if change.op != "update" or change.fields or change.unknown:
            ordered.append(change)
    for resource in before:
        if resource.custom and resource.urn not in matched and "::default" not in resource.urn:
            ordered.append(Change(resource.urn, resource.type, "delete",
                                  retained=resource.retain_on_delete))
    return Diff(tuple(ordered))


def diff_graph(document: Mapping[str, Any], graph: Graph, stack: str) -> Diff:
    """The diff from an earlier record (plan JSON or stack export) to this plan."""
    before = read_record(document, stack)
    invented = invented_values(graph) if "deployment" in document else frozenset()
    return diff(before, planned(graph, stack), invented)


def render_diff(result: Diff) -> str:
    """One line per resource: op, name, type, the fields that cause it."""
    if not result.changes:
        return "No changes.\n"
    lines = []
    for change in result.changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        extra = " rollsNodes" if change.rolls_nodes else ""
        extra += " retained" if change.retained else ""
        extra += f" unknown: {', '.join(change.unknown)}" if change.unknown else ""
        lines.append(f"{change.op:<8} {change.name}  {change.type}{fields}{extra}")
    counts = {op: sum(c.op == op for c in result.changes)
              for op in ("create", "update", "replace", "delete")}
    lines.append(", ".join(f"{n} to {op}" for op, n in counts.items()))
    return "\n".join(lines) + "\n"
