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

from eks_platform.tools.plan.diagrams import render_dot, render_mermaid
from eks_platform.tools.plan.document import to_json
from eks_platform.tools.plan.kubernetes import (
    ClusterVersion,
    clusters,
    upgrade_lines,
    version_lines,
)
from eks_platform.tools.plan.text import render_text
from eks_platform.tools.plan.timing import (
    TYPICAL_CREATE_SECONDS,
    Step,
    create_seconds,
    critical_path,
    effective_dependencies,
    stable_order,
)

__all__ = [
    "TYPICAL_CREATE_SECONDS",
    "ClusterVersion",
    "Step",
    "clusters",
    "create_seconds",
    "critical_path",
    "effective_dependencies",
    "render_dot",
    "render_mermaid",
    "render_text",
    "stable_order",
    "to_json",
    "upgrade_lines",
    "version_lines",
]
