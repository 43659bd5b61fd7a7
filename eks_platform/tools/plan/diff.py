"""`plan --diff`: what `pulumi up` would do to a stack, from an earlier record of it (pure).

The earlier record is a `plan --format json` of the same stack, or a `pulumi stack export`
(its `deployment.resources[]`: urn, type, inputs). Resources are matched by URN, or by an alias
the new program gives (`opts.aliases`: a renamed or re-parented resource is the same one).
Each matched resource's inputs are compared, and what each changed input does comes from the
bridged providers' rules (`facts.replacements`: terraform-provider-aws ForceNew and its
CustomizeDiff rules, the Kubernetes provider's): `update`, or `replace` when one forces it.
Inputs listed in the resource's `ignoreChanges` are left out, as Pulumi leaves them, and
those under its `replaceOnChanges` replace it, as Pulumi does.

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
from eks_platform.tools.plan.records import (
    DiffInputError,
    Recorded,
    blank_invented,
    invented_values,
    planned,
    read_record,
)
from eks_platform.tools.plan.timing import UNKNOWN

__all__ = ["Change", "Diff", "DiffInputError", "Recorded", "diff", "diff_graph", "planned",
           "read_record", "render_diff"]

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
    verdicts = {p: "replace" if _ignored(p, after.replace_on_changes) else v
                for p, v in verdicts.items()
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
        after = [Recorded(r.urn, r.type, blank_invented(r.inputs, invented), r.custom,
                          r.ignore_changes, r.aliases, r.retain_on_delete,
                          r.replace_on_changes) for r in after]
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
