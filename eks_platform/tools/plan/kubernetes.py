"""The Kubernetes version in the plan: each cluster's version judged on a day, the program's
warnings, and, with a version the cluster runs today, the upgrade's steps in order.

Read from the recorded graph (the cluster's `version` and `upgradePolicy`, the add-ons'
version requests, the node groups' `updateConfig`), judged by `facts.versions` and ordered by
`upgrade.upgrade_steps`, so the plan says what the program and the guard would do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from eks_platform.cluster.upgrade import AddonVersion, NodeGroupRollout, UpgradeStep, upgrade_steps
from eks_platform.facts.versions import Calendar, Support, load
from eks_platform.tools.plan.sections import as_mapping
from eks_platform.tools.plan.timing import ADDON, CLUSTER, FARGATE_PROFILE, NODE_GROUP, stable_order
from eks_platform.tools.synth.mocks import RESOLVED_AT_DEPLOY

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph, RecordedResource

#: Backed by a test that plans a stack at two versions and compares every input: only the
#: resources `upgrade_steps` names change.
UNCHANGED_NOTE = ("Every other resource keeps its inputs: none depends on the Kubernetes "
                  "version.")


@dataclass(frozen=True)
class ClusterVersion:
    name: str
    version: str
    support_type: str


def clusters(graph: Graph) -> list[ClusterVersion]:
    """Every EKS cluster of the graph with the version and support type it asks for."""
    found = []
    for resource in graph.of_type(CLUSTER):
        inputs = resource.inputs
        policy = as_mapping(inputs.get("upgradePolicy"))
        found.append(ClusterVersion(str(inputs.get("name", resource.name)),
                                    str(inputs.get("version", "?")),
                                    str(policy.get("supportType", "not set (EKS: EXTENDED)"))))
    return found


def node_group_name(group: RecordedResource) -> str:
    """The node group's name in the settings (its tag), else its name prefix."""
    inputs = group.inputs
    tags = as_mapping(inputs.get("tags"))
    return str(tags.get("eks-platform/node-group")
               or str(inputs.get("nodeGroupNamePrefix", "")).rstrip("-") or group.name)


def _support_line(cluster: ClusterVersion, day: date, calendar: Calendar) -> str:
    head = f"  {cluster.name}: Kubernetes {cluster.version}, supportType {cluster.support_type}"
    dates = calendar.versions.get(cluster.version)
    if dates is None:
        return f"{head}: not in the EKS version calendar"
    status = calendar.support(cluster.version, day)
    ends = (f"standard support ends {dates.end_of_standard}, extended support ends "
            f"{dates.end_of_extended}")
    if status is Support.STANDARD:
        return f"{head}: in standard support; {ends}"
    return f"{head}: {status.value} on {day}; {ends}"


def version_lines(graph: Graph, day: date, calendar: Calendar | None = None) -> list[str]:
    """Each cluster's version judged on `day`, then what the program warned."""
    cal = calendar or load()
    lines = [_support_line(cluster, day, cal) for cluster in clusters(graph)]
    lines += [f"  warning: {warning}" for warning in graph.warnings]
    return lines or ["  (no EKS cluster)"]


def version_header(day: date, calendar: Calendar | None = None) -> str:
    taken = (calendar or load()).taken_on
    age = f", {(day - taken).days} days old" if day > taken else ""
    return (f"Kubernetes version (judged on {day}; EKS version calendar taken {taken}{age}, "
            "refresh: python -m eks_platform.facts.versions --from-aws)")


# --- an upgrade ---------------------------------------------------------------------------------


def _request(addon: RecordedResource) -> AddonVersion:
    """The add-on's version request: the mocks answer `default`/`latest` with a marker."""
    name = str(addon.inputs.get("addonName", addon.name))
    version = addon.inputs.get("addonVersion")
    if not isinstance(version, str) or version.startswith(RESOLVED_AT_DEPLOY):
        return AddonVersion(name, "latest" if isinstance(version, str)
                            and version.endswith("(latest)") else "default")
    return AddonVersion(name, version)


def _rollout(group: RecordedResource) -> NodeGroupRollout:
    update = as_mapping(group.inputs.get("updateConfig"))
    count, percentage = update.get("maxUnavailable"), update.get("maxUnavailablePercentage")
    return NodeGroupRollout(
        node_group_name(group),
        max_unavailable=int(count) if count is not None else (1 if percentage is None else None),
        max_unavailable_percentage=int(percentage) if percentage is not None else None,
        update_strategy=str(update.get("updateStrategy", "DEFAULT")))


def cluster_steps(graph: Graph, cluster: ClusterVersion, from_version: str) -> list[UpgradeStep]:
    """What moving `cluster` from `from_version` to the version it asks for changes, in order.
    Raises ValueError with the guard's message when EKS would refuse the step."""
    ordered = [r for r in stable_order(graph) if r.inputs.get("clusterName") == cluster.name]
    addons = [r for r in ordered if r.type == ADDON]
    groups = [r for r in ordered if r.type == NODE_GROUP]
    compute = [r for r in ordered if r.type in (NODE_GROUP, FARGATE_PROFILE)]
    # The order the graph gives: add-ons that wait for the nodes move after them.
    after_nodes = {_request(a).name for a in addons
                   if any(graph.depends_on(a, node) for node in compute)}
    return upgrade_steps(from_version, cluster.version, [_request(a) for a in addons],
                         [_rollout(g) for g in groups], after_nodes)


def upgrade_lines(graph: Graph, from_version: str) -> list[str]:
    """The steps of every cluster's upgrade from `from_version`, numbered in order."""
    lines: list[str] = []
    for cluster in clusters(graph):
        try:
            steps = cluster_steps(graph, cluster, from_version)
        except ValueError as refusal:
            lines.append(f"  {cluster.name}: refused: {refusal}")
            continue
        if not steps:
            lines.append(f"  {cluster.name}: already on {from_version}, nothing to upgrade")
            continue
        lines.append(f"  {cluster.name}: {from_version} -> {cluster.version}, in this order:")
        width = max(len(step.resource) for step in steps)
        for number, step in enumerate(steps, 1):
            lines.append(f"  {number:>4}. {step.resource.ljust(width)}  [{step.action}] "
                         f"{step.change}")
            lines.append(f"        {' ' * width}  {step.why}")
        lines.append(f"  {UNCHANGED_NOTE}")
    return lines or ["  (no EKS cluster)"]


def version_document(graph: Graph, day: date, from_version: str | None = None,
                     calendar: Calendar | None = None) -> dict[str, Any]:
    """The version section as JSON-ready data."""
    cal = calendar or load()
    document: dict[str, Any] = {
        "judgedOn": day.isoformat(), "calendarTakenOn": cal.taken_on.isoformat(),
        "calendarAgeDays": max((day - cal.taken_on).days, 0),
        "clusters": [{"name": c.name, "version": c.version, "supportType": c.support_type,
                      "support": cal.support(c.version, day).value}
                     for c in clusters(graph)],
        "warnings": list(graph.warnings),
    }
    if from_version is not None:
        document["upgrade"] = upgrade_document(graph, from_version)
    return document


def upgrade_document(graph: Graph, from_version: str) -> list[dict[str, Any]]:
    """The upgrade's steps as JSON-ready data, one entry per cluster."""
    document: list[dict[str, Any]] = []
    for cluster in clusters(graph):
        entry: dict[str, Any] = {"cluster": cluster.name, "from": from_version,
                                 "to": cluster.version}
        try:
            entry["steps"] = [
                {"resource": s.resource, "type": s.type_token, "change": s.change,
                 "action": s.action.value, "why": s.why}
                for s in cluster_steps(graph, cluster, from_version)]
        except ValueError as refusal:
            entry["refused"] = str(refusal)
        document.append(entry)
    return document
