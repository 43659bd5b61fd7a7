"""Mermaid and Graphviz renderings of the dependency graph."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph, RecordedResource

from eks_platform.tools.plan.document import stack_of
from eks_platform.tools.plan.timing import effective_dependencies, stable_order

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
    name = stack if stack is not None else stack_of(graph) or "stack"
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
