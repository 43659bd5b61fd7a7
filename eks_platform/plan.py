"""The offline plan: what `pulumi up` would create, read from a recorded `Graph`.

Pure functions over the graph `synth.synthesize_program` records: a text report (resource
tree, node groups, add-on versions, estimated deploy critical path), a JSON document with
secrets masked, and Mermaid / Graphviz diagrams of the dependency graph. Nothing here talks to
Pulumi or AWS.

Dependency edges: a resource waits for what `RecordedResource.waits_for` says, the rule the
tests check the deploy order with: its recorded `dependencies` (the SDK records Output-based
input dependencies there, next to `depends_on`) and its explicit provider, but not its
parent's dependencies. A dependency on a component means waiting for that component's
custom-resource descendants. The SDK expands a component dependency when
the dependent registers, so only descendants registered before the dependent count; the
recorded order is therefore a topological order and the graph is acyclic by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi.runtime import rpc

from .synth import RESOLVED_AT_DEPLOY

if TYPE_CHECKING:
    from .synth import Graph, RecordedResource

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
MANAGED_NODE_GROUP = "eks-platform:nodegroup:ManagedNodeGroup"
FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile"
ADDON = "aws:eks/addon:Addon"
HELM_RELEASE = "kubernetes:helm.sh/v3:Release"
PROVIDER_PREFIX = "pulumi:providers:"

SECRET = "[secret]"
UNKNOWN = "[unknown]"

# Typical creation times in seconds per resource type: conservative round figures from AWS
# documentation and field experience, not measurements of any stack.
# - EKS cluster: the EKS user guide says cluster creation takes about 10 minutes (often 8-12).
# - Managed node group: 3-5 minutes until the nodes join and the group is ACTIVE.
# - NAT gateway: the VPC user guide notes creation can take a few minutes (typically ~2).
# - Fargate profile: 2-3 minutes; EKS creates profiles one at a time per cluster.
# - EKS managed add-on, Helm release: about a minute until the workload is ready.
# - IAM, KMS, VPC plumbing (subnets, route tables, gateways), launch templates, access
#   entries: a few seconds each (API calls with no provisioning behind them).
# - Components and providers create nothing in AWS: 0.
TYPICAL_CREATE_SECONDS: dict[str, int] = {
    CLUSTER: 600,
    NODE_GROUP: 240,
    FARGATE_PROFILE: 150,
    "aws:ec2/natGateway:NatGateway": 120,
    ADDON: 60,
    HELM_RELEASE: 60,
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": 5,
    "aws:eks/accessEntry:AccessEntry": 5,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 5,
    "aws:ec2/vpc:Vpc": 5,
    "aws:ec2/subnet:Subnet": 5,
    "aws:ec2/eip:Eip": 5,
    "aws:ec2/internetGateway:InternetGateway": 5,
    "aws:ec2/routeTable:RouteTable": 5,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": 2,
    "aws:ec2/securityGroup:SecurityGroup": 5,
    "aws:ec2/launchTemplate:LaunchTemplate": 5,
    "aws:kms/key:Key": 5,
    "aws:kms/alias:Alias": 2,
    "aws:iam/role:Role": 5,
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 5,
    "aws:cloudwatch/logGroup:LogGroup": 2,
}
#: A custom resource type missing from the table: a short API call.
DEFAULT_CREATE_SECONDS = 10

FIGURES_SOURCE = (
    "Figures are typical creation times per resource type from AWS documentation (EKS cluster "
    "about 10 min, NAT gateway a few min) and field experience (node group 3-5 min, add-on or "
    "Helm release about 1 min, IAM/KMS/VPC plumbing seconds), not measurements of this stack; "
    "see plan.TYPICAL_CREATE_SECONDS."
)

_SECRET_KEY = re.compile(r"kubeconfig|token|password|secret", re.IGNORECASE)


# --- graph helpers -------------------------------------------------------------------------

def create_seconds(resource: RecordedResource) -> int:
    """Typical creation time of one resource (0 for components and providers)."""
    if not resource.custom or resource.type.startswith(PROVIDER_PREFIX):
        return 0
    return TYPICAL_CREATE_SECONDS.get(resource.type, DEFAULT_CREATE_SECONDS)


def effective_dependencies(graph: Graph) -> dict[str, list[str]]:
    """For each custom resource, the custom resources it waits for (`waits_for`, with a
    component expanded to its custom descendants registered before it), sorted."""
    index = {r.urn: i for i, r in enumerate(graph.resources)}
    by_urn, descendants = graph.by_urn, graph.descendant_urns
    result: dict[str, list[str]] = {}
    for position, resource in enumerate(graph.resources):
        if not resource.custom:
            continue
        waits: set[str] = set()
        for urn in resource.waits_for:
            target = by_urn.get(urn)
            if target is None:
                continue
            expanded = [urn] if target.custom else [
                d for d in descendants[urn] if by_urn[d].custom]
            waits.update(d for d in expanded if index[d] < position)
        result[resource.urn] = sorted(waits)
    return result


def stable_order(graph: Graph) -> list[RecordedResource]:
    """The resources in a run-independent order that is also a deploy order: by dependency
    depth (a custom resource comes after everything it waits for; a component sits at its
    earliest descendant), then by URN. The recorded order differs between runs because the
    SDK registers resources concurrently."""
    deps = effective_dependencies(graph)
    depth: dict[str, int] = {}
    for resource in graph:  # registration order is a topological order
        if resource.custom:
            depth[resource.urn] = 1 + max((depth[d] for d in deps[resource.urn]), default=-1)
    descendants = graph.descendant_urns
    for resource in graph:
        if not resource.custom:
            depth[resource.urn] = min((depth[d] for d in descendants[resource.urn]
                                       if d in depth), default=0)
    return sorted(graph, key=lambda r: (depth[r.urn], r.urn))


@dataclass(frozen=True)
class Step:
    resource: RecordedResource
    seconds: int
    done_at: int
    """Estimated seconds from the start of the deploy until this step is created."""


def critical_path(graph: Graph) -> list[Step]:
    """The longest dependency chain, weighted by `create_seconds`, first step first."""
    deps = effective_dependencies(graph)
    by_urn = graph.by_urn
    finish: dict[str, int] = {}
    previous: dict[str, str | None] = {}
    for resource in graph:  # registration order is a topological order
        if not resource.custom:
            continue
        # Dependencies are sorted by URN: ties go to the first, the same in every run.
        before = max(deps[resource.urn], key=lambda d: finish[d], default=None)
        previous[resource.urn] = before
        finish[resource.urn] = create_seconds(resource) + (finish[before] if before else 0)
    if not finish:
        return []
    last: str | None = max(sorted(finish), key=finish.__getitem__)
    chain: list[Step] = []
    while last is not None:
        chain.append(Step(by_urn[last], create_seconds(by_urn[last]), finish[last]))
        last = previous[last]
    # Zero-cost steps (providers) at the start tell nothing; keep them inside the chain.
    while chain and chain[-1].seconds == 0:
        chain.pop()
    return chain[::-1]


# --- text ----------------------------------------------------------------------------------

def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def _tree(graph: Graph) -> list[str]:
    by_parent: dict[str, list[RecordedResource]] = {}
    ordered = stable_order(graph)
    for resource in ordered:
        by_parent.setdefault(resource.parent, []).append(resource)
    known = graph.by_urn
    rows: list[tuple[str, RecordedResource]] = []

    def walk(resource: RecordedResource, depth: int) -> None:
        rows.append(("  " * depth + resource.type, resource))
        for child in by_parent.get(resource.urn, []):
            walk(child, depth + 1)

    for resource in ordered:
        if resource.parent not in known:
            walk(resource, 0)
    width = max((len(label) for label, _ in rows), default=0)
    lines = []
    for label, resource in rows:
        flags = []
        if resource.protect:
            flags.append("protect")
        if resource.ignore_changes:
            flags.append("ignoreChanges: " + ", ".join(resource.ignore_changes))
        suffix = f"  [{'; '.join(flags)}]" if flags else ""
        lines.append(f"  {label.ljust(width)}  {resource.name}{suffix}")
    return lines


_USER_DATA_MAX_PODS = re.compile(
    r"max-pods\s*=\s*(\d+)"  # Bottlerocket TOML
    r"|maxPods:\s*(\d+)"  # AL2023 nodeadm NodeConfig
    r"|--max-pods[= ](\d+)"  # AL2 bootstrap.sh kubelet args
)


def _user_data_max_pods(graph: Graph, group: RecordedResource) -> str | None:
    """Max pods from the kubelet settings in a sibling launch template's user data: what
    the nodes will actually get, for programs that do not export `nodeGroups`."""
    import base64
    import binascii

    for sibling in graph.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        data = sibling.inputs.get("userData")
        if sibling.parent != group.parent or not isinstance(data, str):
            continue
        try:
            text = base64.b64decode(data).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            continue
        if match := _USER_DATA_MAX_PODS.search(text):
            return next(g for g in match.groups() if g)
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _node_group_lines(graph: Graph) -> list[str]:
    exported = _mapping(graph.outputs.get("nodeGroups"))
    lines = []
    for group in sorted(graph.of_type(NODE_GROUP), key=lambda r: r.urn):
        inputs = group.inputs
        tags = _mapping(inputs.get("tags"))
        name = str(tags.get("eks-platform/node-group")
                   or str(inputs.get("nodeGroupNamePrefix", "")).rstrip("-") or group.name)
        output = _mapping(exported.get(name))
        scaling = _mapping(inputs.get("scalingConfig"))
        sizes = "/".join(str(_number(scaling.get(k, "?")))
                         for k in ("minSize", "desiredSize", "maxSize"))
        types = ", ".join(str(t) for t in inputs.get("instanceTypes") or []) or "?"
        max_pods = output.get("maxPods")
        if max_pods is None:
            found = _user_data_max_pods(graph, group)
            max_pods = f"{found} (kubelet setting in user data)" if found else "?"
        details = [f"instance types {types}", f"max pods {_number(max_pods)}",
                   f"min/desired/max {sizes}"]
        details += [str(inputs[k]) for k in ("capacityType", "amiType") if inputs.get(k)]
        lines.append(f"  {name}: " + "; ".join(details))
    for profile in sorted(graph.of_type(FARGATE_PROFILE), key=lambda r: r.urn):
        name = profile.inputs.get("fargateProfileName", profile.name)
        lines.append(f"  {name} (Fargate profile): one pod per node")
    return lines or ["  (none)"]


def _version(value: Any) -> str:
    text = str(value) if value is not None else f"{RESOLVED_AT_DEPLOY} (default)"
    return text if text.startswith(RESOLVED_AT_DEPLOY) else f"{text} (pinned)"


def _addon_lines(graph: Graph) -> list[str]:
    rows: list[tuple[str, str]] = []
    for resource in stable_order(graph):  # deploy order
        inputs = resource.inputs
        if resource.type == ADDON:
            rows.append((str(inputs.get("addonName", resource.name)),
                         _version(inputs.get("addonVersion"))))
        elif resource.type == HELM_RELEASE:
            rows.append((f"{inputs.get('chart', resource.name)} (Helm chart)",
                         f"{inputs['version']} (pinned)" if inputs.get("version")
                         else "latest chart at deploy"))
    width = max((len(name) for name, _ in rows), default=0)
    return [f"  {name.ljust(width)}  {version}" for name, version in rows] or ["  (none)"]


def _path_lines(graph: Graph) -> list[str]:
    steps = critical_path(graph)
    if not steps:
        return ["  (no custom resources)"]
    width = max(len(s.resource.type) for s in steps)
    lines = [f"  {'step':>4}  {'typical':>8}  {'done at':>8}  resource"]
    for number, step in enumerate(steps, 1):
        lines.append(f"  {number:>4}  {_duration(step.seconds):>8}  "
                     f"{'~' + _duration(step.done_at):>8}  "
                     f"{step.resource.type.ljust(width)}  {step.resource.name}")
    total = steps[-1].done_at
    lines += [
        f"  Estimated total: ~{_duration(total)} (about {round(total / 60)} min) along the "
        "longest dependency chain; everything else deploys in parallel alongside it.",
        f"  {FIGURES_SOURCE}",
    ]
    return lines


def render_text(graph: Graph, stack: str) -> str:
    """The plan as a human reads it: tree, node groups, add-ons, critical path."""
    custom = sum(r.custom for r in graph)
    sections = [
        f"Plan for stack {stack!r}: {len(graph.resources)} resources "
        f"({len(graph.resources) - custom} components, {custom} custom resources), "
        "recorded offline under mocks - nothing was deployed.",
        "",
        "Resources (type, name; children indented under their component)",
        *_tree(graph),
        "",
        "Node groups (name: instance types; max pods; min/desired/max)",
        *_node_group_lines(graph),
        "",
        "Add-ons (version: pinned, or resolved by EKS at deploy)",
        *_addon_lines(graph),
        "",
        "Estimated deploy critical path (an estimate from typical figures, not a measurement)",
        *_path_lines(graph),
    ]
    if graph.outputs:
        names = [f"{k} {SECRET}" if k in graph.secret_outputs else k
                 for k in sorted(graph.outputs)]
        sections += ["", "Stack outputs", *(f"  {n}" for n in names)]
    return "\n".join(sections) + "\n"


# --- JSON ----------------------------------------------------------------------------------

def _plain(value: Any, key: str = "") -> Any:
    """JSON-ready copy of a recorded value, with secrets masked."""
    if _SECRET_KEY.search(key):
        return SECRET
    if isinstance(value, Mapping):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return SECRET
        return {str(k): _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return _number(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    if type(value).__name__ == "Unknown":  # pulumi.output.Unknown: computed at deploy
        return UNKNOWN
    return str(value)


def to_json(graph: Graph, stack: str | None = None) -> dict[str, Any]:
    """The graph as a JSON-ready document; secret outputs and secret-looking inputs masked.
    Dump it with `sort_keys=True` for a deterministic file."""
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
            "inputs": inputs,
        })
    outputs = {key: SECRET if key in graph.secret_outputs else _plain(value, key)
               for key, value in graph.outputs.items()}
    return {"stack": stack if stack is not None else _stack_of(graph),
            "resources": resources, "outputs": outputs}


def _stack_of(graph: Graph) -> str | None:
    # urn:pulumi:<stack>::<project>::<type>::<name>
    for resource in graph:
        head = resource.urn.split("::", 1)[0]
        if head.startswith("urn:pulumi:"):
            return head.removeprefix("urn:pulumi:")
    return None


# --- diagrams ------------------------------------------------------------------------------

def _ids(resources: Iterable[RecordedResource], prefix: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for resource in resources:
        base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", f"{resource.short_type}_{resource.name}")
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        ids[resource.urn] = candidate
    return ids


def _layout(graph: Graph) -> tuple[dict[str, list[RecordedResource]], list[RecordedResource]]:
    """Components that contain custom resources (by parent URN) and the top-level items."""
    by_urn = graph.by_urn
    descendants = graph.descendant_urns
    shown = {r.urn for r in graph
             if r.custom or any(by_urn[d].custom for d in descendants[r.urn])}
    members: dict[str, list[RecordedResource]] = {}
    top: list[RecordedResource] = []
    for resource in stable_order(graph):
        if resource.urn not in shown:
            continue
        if resource.parent in by_urn and resource.parent in shown:
            members.setdefault(resource.parent, []).append(resource)
        else:
            top.append(resource)
    return members, top


def _edges(graph: Graph) -> list[tuple[str, str]]:
    """(dependency, dependent) pairs between custom resources, deduplicated, in a stable
    order."""
    deps = effective_dependencies(graph)
    order = stable_order(graph)
    position = {r.urn: i for i, r in enumerate(order)}
    return [(dep, r.urn) for r in order if r.custom
            for dep in sorted(deps[r.urn], key=position.__getitem__)]


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(
        ">", "#gt;")


def _nesting(graph: Graph) -> Iterator[tuple[str, RecordedResource, int]]:
    """The diagram's nesting, as events: ("node", r, depth) for a custom resource, ("open",
    c, depth) / ("close", c, depth) around a component's members. Custom resources created
    inside another custom resource (rare) are drawn beside it, at its depth."""
    members, top = _layout(graph)

    def walk(resource: RecordedResource, depth: int) -> Iterator[tuple[str, RecordedResource,
                                                                        int]]:
        if resource.custom:
            yield "node", resource, depth
            for child in members.get(resource.urn, []):
                yield from walk(child, depth)
            return
        yield "open", resource, depth
        for child in members.get(resource.urn, []):
            yield from walk(child, depth + 1)
        yield "close", resource, depth

    for resource in top:
        yield from walk(resource, 1)


def render_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart: one node per custom resource, a subgraph per component, an
    arrow from each dependency to the resource that waits for it."""
    ids = _ids(graph, "n_")
    lines = ["flowchart TD",
             "  %% arrows point from a dependency to the resource that waits for it"]
    for event, resource, depth in _nesting(graph):
        pad = "  " * depth
        label = f"{_mermaid_text(resource.type)}<br/>{_mermaid_text(resource.name)}"
        if event == "node":
            lines.append(f'{pad}{ids[resource.urn]}["{label}"]')
        elif event == "open":
            lines.append(f'{pad}subgraph {ids[resource.urn]}["{label}"]')
        else:
            lines.append(f"{pad}end")
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in _edges(graph)]
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(graph: Graph, stack: str | None = None) -> str:
    """A Graphviz digraph: a cluster per component, an edge from each dependency to the
    resource that waits for it."""
    ids = _ids(graph, "")
    name = stack if stack is not None else _stack_of(graph) or "stack"
    lines = [f"digraph {_dot_quote(name)} {{", "  rankdir=LR;", "  compound=true;",
             '  node [shape=box, fontname="Helvetica", fontsize=10];',
             '  graph [fontname="Helvetica", fontsize=11, style=rounded];']
    for event, resource, depth in _nesting(graph):
        pad = "  " * depth
        label = _dot_quote(f"{resource.type}\n{resource.name}")
        if event == "node":
            lines.append(f"{pad}{_dot_quote(ids[resource.urn])} [label={label}];")
        elif event == "open":
            lines.append(f"{pad}subgraph {_dot_quote('cluster_' + ids[resource.urn])} {{")
            lines.append(f"{pad}  label={label};")
        else:
            lines.append(f"{pad}}}")
    lines += [f"  {_dot_quote(ids[a])} -> {_dot_quote(ids[b])};" for a, b in _edges(graph)]
    lines.append("}")
    return "\n".join(lines) + "\n"
