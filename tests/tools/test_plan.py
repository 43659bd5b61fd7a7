"""`python -m eks_platform plan`: text, JSON, Mermaid and Graphviz renderings of every stack's
recorded graph, the estimated critical path, and the command's error handling."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from eks_platform.addons.cni import HELM_CHART as CNI_CHART
from eks_platform.tools import plan
from eks_platform.tools.cli import main
from eks_platform.tools.synth import Graph, RecordedResource
from tests.conftest import ROOT, STACKS, stack_graph

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
RELEASE = "kubernetes:helm.sh/v3:Release"
NODEPOOL = "kubernetes:karpenter.sh/v1:NodePool"
CLUSTER = "aws:eks/cluster:Cluster"


def stack_config(stack: str) -> dict[str, Any]:
    document = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())
    config: dict[str, Any] = document["config"]
    return config


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "eks_platform", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False)
    return result


# --- text ----------------------------------------------------------------------------------

@pytest.mark.parametrize("stack", STACKS)
def test_text_has_tree_node_groups_addons_and_estimated_path(stack: str) -> None:
    graph = stack_graph(stack)
    text = plan.render_text(graph, stack)

    def indent(resource: RecordedResource) -> int:
        pattern = rf"^( +){re.escape(resource.type)} +{re.escape(resource.name)}\b"
        match = re.search(pattern, text, re.MULTILINE)
        assert match, resource.urn
        return len(match[1])

    for resource in graph:
        if resource.parent in graph.by_urn:
            assert indent(resource) == indent(graph.by_urn[resource.parent]) + 2

    groups = graph.outputs["nodeGroups"]
    for name, group in groups.items():
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{name}:"))
        assert f"max pods {group['maxPods']}" in line
        assert ", ".join(group["instanceTypes"]) in line
    for addon in graph.of_type(ADDON):
        version = addon.inputs["addonVersion"]
        assert re.search(rf"^ +{re.escape(addon.inputs['addonName'])} +{re.escape(version)}",
                         text, re.MULTILINE)
    for release in graph.of_type(RELEASE):
        assert f"{release.inputs['chart']} (Helm chart)" in text
        assert release.inputs["version"] in text

    assert "Estimated deploy critical path (an estimate" in text
    assert "not a measurement" in text
    assert "Estimated total: ~" in text
    assert "AWS documentation" in text and "not measurements" in text


def test_text_marks_pinned_and_resolved_versions() -> None:
    prod = plan.render_text(stack_graph("prod"), "prod")
    assert re.search(r"^ +vpc-cni +v1\.19\.2-eksbuild\.1 \(pinned\)$", prod, re.MULTILINE)
    assert re.search(r"^ +coredns +resolved at deploy \(default\)$", prod, re.MULTILINE)
    staging = plan.render_text(stack_graph("staging"), "staging")
    assert re.search(r"^ +kube-proxy +resolved at deploy \(latest\)$", staging, re.MULTILINE)
    assert re.search(r"^ +aws-vpc-cni \(Helm chart\) +1\.22\.4 \(pinned\)$", staging,
                     re.MULTILINE)


def test_text_shows_scaling_protection_and_secret_outputs() -> None:
    graph = stack_graph("prod")
    text = plan.render_text(graph, "prod")
    for group in graph.of_type(NODE_GROUP):
        scaling = group.inputs["scalingConfig"]
        sizes = "/".join(str(int(scaling[k])) for k in ("minSize", "desiredSize", "maxSize"))
        assert f"min/desired/max {sizes}" in text
    assert re.search(r"aws:eks/cluster:Cluster +\S+ +\[protect[;\]]", text)
    assert "kubeconfig [secret]" in text


# --- critical path -------------------------------------------------------------------------

@pytest.mark.parametrize("stack", [s for s in STACKS
                                   if "eks-platform:vpc" in stack_config(s)
                                   and stack_config(s).get("eks-platform:nodeGroups")])
def test_critical_path_runs_through_cluster_and_nodes(stack: str) -> None:
    graph = stack_graph(stack)
    steps = plan.critical_path(graph)
    types = [s.resource.type for s in steps]
    assert CLUSTER in types and NODE_GROUP in types
    # The chain ends at the node groups or at what waits for them: coredns, or (prod) another
    # add-on that needs nodes, with the same typical time as coredns.
    last = steps[-1].resource
    # With Karpenter it may end at a NodePool, which waits for the controller's node group.
    groups = graph.of_type(NODE_GROUP)
    assert last.type == NODE_GROUP or (
        last.type == ADDON and all(graph.depends_on(last, g) for g in groups)) or (
        last.type == NODEPOOL and any(graph.depends_on(last, g) for g in groups)), last.urn
    if last.type == ADDON and len(graph.of_type(ADDON)) == 3:  # only the default add-ons
        assert last.inputs["addonName"] == "coredns"
    # Two chains of the same typical length lead to the cluster: VPC -> subnet, and cluster
    # role -> secrets key (whose policy names the role).
    assert types[0] in ("aws:ec2/vpc:Vpc", "aws:iam/role:Role")
    deps = plan.effective_dependencies(graph)
    for before, after in itertools.pairwise(steps):
        assert before.resource.urn in deps[after.resource.urn]
        assert after.done_at == before.done_at + after.seconds
    assert steps[-1].done_at >= 600 + 240


def fake(urn: str, type_: str, parent: str = "", *, custom: bool = True,
         deps: tuple[str, ...] = (), provider: str = "",
         inputs: dict[str, Any] | None = None) -> RecordedResource:
    return RecordedResource(urn=urn, type=type_, name=urn, parent=parent, custom=custom,
                            inputs=inputs or {}, dependencies=list(deps), protect=False,
                            ignore_changes=[], provider=provider)


def test_component_dependencies_expand_to_descendants_registered_before() -> None:
    graph = Graph([
        fake("cluster", CLUSTER),
        fake("k8s", "pulumi:providers:kubernetes", deps=("cluster",)),
        fake("group", "eks-platform:nodegroup:ManagedNodeGroup", custom=False),
        fake("ng", NODE_GROUP, "group"),
        # EksAddon passes its depends_on to the Addon: the engine gives children nothing.
        fake("addons", "eks-platform:addons:EksAddon", custom=False, deps=("group",)),
        fake("coredns", ADDON, "addons", deps=("group",)),
        fake("sibling", "aws:iam/role:Role", "addons"),
        fake("release", RELEASE, provider="k8s::k8s-id"),
        fake("late", "aws:iam/role:Role", "group"),  # registered after its group's dependents
    ])
    deps = plan.effective_dependencies(graph)
    assert deps["coredns"] == ["ng"]
    assert deps["sibling"] == []  # a component's own depends_on does not reach its children
    assert deps["release"] == ["k8s"]
    assert deps["k8s"] == ["cluster"]
    path = [(s.resource.urn, s.seconds) for s in plan.critical_path(graph)]
    assert path == [("cluster", 600), ("k8s", 0), ("release", 60)]
    assert plan.critical_path(graph)[-1].done_at == 660


def test_typical_figures_are_ordered_like_aws_says() -> None:
    figures = plan.TYPICAL_CREATE_SECONDS
    assert figures[CLUSTER] >= 600 > figures[NODE_GROUP] >= 180
    assert figures[NODE_GROUP] > figures["aws:ec2/natGateway:NatGateway"] >= 60
    assert figures["aws:iam/role:Role"] < 60
    assert plan.create_seconds(fake("p", "pulumi:providers:kubernetes")) == 0
    assert plan.create_seconds(fake("c", "x:y:Z", custom=False)) == 0


# --- JSON ----------------------------------------------------------------------------------

def expanded(resources: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """What each resource waits for, read from the JSON alone (components expanded)."""
    children: dict[str, list[str]] = {}
    for urn, resource in resources.items():
        children.setdefault(resource["parent"] or "", []).append(urn)

    def below(urn: str) -> set[str]:
        out = set(children.get(urn, []))
        for child in children.get(urn, []):
            out |= below(child)
        return out

    waits: dict[str, set[str]] = {}
    for urn, resource in resources.items():
        direct = list(resource["dependencies"])
        if resource["provider"]:
            direct.append(resource["provider"])
        parent = resource["parent"]
        while parent:
            direct += resources[parent]["dependencies"]
            parent = resources[parent]["parent"]
        waits[urn] = set()
        for dep in direct:
            waits[urn] |= {dep} | below(dep)
    return waits


def waits_for(waits: dict[str, set[str]], urn: str, target: str) -> bool:
    seen, todo = set(), [urn]
    while todo:
        for dep in waits[todo.pop()]:
            if dep == target:
                return True
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return False


@pytest.mark.parametrize("stack", STACKS)
def test_json_dependencies_follow_deploy_order(stack: str) -> None:
    document = json.loads(json.dumps(plan.to_json(stack_graph(stack)), sort_keys=True))
    assert document["stack"] == stack
    resources = {r["urn"]: r for r in document["resources"]}
    assert len(resources) == len(document["resources"])
    for resource in resources.values():
        assert set(resource) >= {"urn", "type", "name", "parent", "custom", "dependencies",
                                 "protect", "inputs"}
        assert resource["parent"] is None or resource["parent"] in resources
        for dep in resource["dependencies"]:
            assert dep in resources, f"{resource['urn']} -> missing {dep}"

    waits = expanded(resources)

    def addon(name: str) -> str:
        urn: str = next(u for u, r in resources.items()
                        if r["type"] == ADDON and r["inputs"]["addonName"] == name)
        return urn

    groups = [u for u, r in resources.items() if r["type"] == NODE_GROUP]
    for group in groups:
        cni = [u for u, r in resources.items() if r["type"] == RELEASE
               and r["inputs"]["chart"] == CNI_CHART] or [addon("vpc-cni")]
        assert waits_for(waits, group, cni[0]), f"{group} before the CNI"
        assert waits_for(waits, group, addon("kube-proxy")), f"{group} before kube-proxy"
        assert not waits_for(waits, group, addon("coredns"))
    for group in groups:
        assert waits_for(waits, addon("coredns"), group), f"coredns before {group}"


@pytest.mark.parametrize("stack", STACKS)
def test_json_masks_secrets_everywhere(stack: str) -> None:
    graph = stack_graph(stack)
    document = plan.to_json(graph)
    dumped = json.dumps(document, sort_keys=True)
    assert "certificate-authority-data" not in dumped
    assert "get-token" not in dumped
    for key in graph.secret_outputs:
        assert document["outputs"][key] == "[secret]"
    # A stack that sends nothing through the Kubernetes API (prod) has no Kubernetes provider.
    for provider in (r for r in document["resources"]
                     if r["type"] == "pulumi:providers:kubernetes"):
        assert provider["inputs"]["kubeconfig"] == "[secret]"
    assert document["outputs"]["clusterName"] == graph.outputs["clusterName"]
    assert json.dumps(plan.to_json(stack_graph(stack)), sort_keys=True) == dumped


def test_json_masks_secret_looking_keys_and_unknowns() -> None:
    class Unknown:  # stands for pulumi.output.Unknown
        pass

    graph = Graph([fake("r", "x:y:Z", inputs={
        "spec": {"apiToken": "t0k3n", "adminPassword": "p", "name": "n", "when": Unknown()},
        "clientSecretArn": "arn", "count": 2.0,
        "data": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                 "value": "hidden"}})], {"token": "abc", "name": "x"}, set())
    inputs = plan.to_json(graph)["resources"][0]["inputs"]
    assert inputs == {"spec": {"apiToken": "[secret]", "adminPassword": "[secret]",
                               "name": "n", "when": "[unknown]"},
                      "clientSecretArn": "[secret]", "count": 2, "data": "[secret]"}
    assert plan.to_json(graph)["outputs"] == {"token": "[secret]", "name": "x"}


# --- diagrams ------------------------------------------------------------------------------

MERMAID_NODE = re.compile(r'^\s*([A-Za-z0-9_]+)\["([^"]*)"\]$')
MERMAID_SUBGRAPH = re.compile(r'^\s*subgraph ([A-Za-z0-9_]+)\["([^"]*)"\]$')
MERMAID_EDGE = re.compile(r"^\s*([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$")


@pytest.mark.parametrize("stack", STACKS)
def test_mermaid_declares_every_edge_endpoint(stack: str) -> None:
    graph = stack_graph(stack)
    text = plan.render_mermaid(graph)
    lines = text.splitlines()
    assert lines[0] in ("flowchart TD", "flowchart LR")
    nodes, subgraphs, edges, ends = set(), set(), [], 0
    for line in lines[1:]:
        if match := MERMAID_NODE.match(line):
            nodes.add(match[1])
        elif match := MERMAID_SUBGRAPH.match(line):
            subgraphs.add(match[1])
        elif match := MERMAID_EDGE.match(line):
            edges.append((match[1], match[2]))
        elif line.strip() == "end":
            ends += 1
        else:
            assert line.strip().startswith("%%"), line
    assert len(nodes) == sum(r.custom for r in graph)
    assert ends == len(subgraphs) and not nodes & subgraphs
    assert edges and len(edges) == len(set(edges))
    for a, b in edges:
        assert a in nodes and b in nodes
    assert len(edges) == sum(len(d) for d in plan.effective_dependencies(graph).values())
    assert plan.render_mermaid(stack_graph(stack)) == text


DOT_ID = r'"(?:[^"\\]|\\.)*"'


@pytest.mark.parametrize("stack", STACKS)
def test_dot_is_structurally_valid(stack: str) -> None:
    graph = stack_graph(stack)
    text = plan.render_dot(graph, stack)
    assert text.startswith(f'digraph "{stack}" {{')
    unquoted = re.sub(DOT_ID, '""', text)
    depth = 0
    for char in unquoted:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    nodes = set(re.findall(rf"^\s*({DOT_ID}) \[label=", text, re.MULTILINE))
    edges = re.findall(rf"^\s*({DOT_ID}) -> ({DOT_ID});$", text, re.MULTILINE)
    clusters = re.findall(rf"^\s*subgraph ({DOT_ID}) \{{$", text, re.MULTILINE)
    assert len(nodes) == sum(r.custom for r in graph)
    assert clusters and all(c.startswith('"cluster_') for c in clusters)
    assert edges
    for a, b in edges:
        assert a in nodes and b in nodes


# --- the command ---------------------------------------------------------------------------

CONFIG_FILE_STACK = """\
config:
  aws:region: eu-north-1
  eks-platform:subnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
  eks-platform:nodeGroups:
    - name: batch
      instanceTypes: [c6i.xlarge]
      minSize: {min_size}
      maxSize: 3
  eks-platform:fargateProfiles:
    - name: jobs
      selectors:
        - namespace: jobs
"""


def test_plan_with_config_file_from_elsewhere(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    stack_file = tmp_path / "Pulumi.elsewhere.yaml"
    stack_file.write_text(CONFIG_FILE_STACK.format(min_size=1))
    assert main(["plan", "--config-file", str(stack_file)]) == 0
    out = capsys.readouterr().out
    assert "Plan for stack 'elsewhere'" in out
    assert re.search(r"^  batch: instance types c6i.xlarge; max pods 58; min/desired/max 1/1/3",
                     out, re.MULTILINE)
    assert "jobs (Fargate profile): one pod per node" in out
    assert "aws:eks/fargateProfile:FargateProfile" in out
    assert "aws:ec2/vpc:Vpc" not in out


def test_settings_error_names_the_file_without_traceback(tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.broken.yaml"
    stack_file.write_text(CONFIG_FILE_STACK.format(min_size=5))
    result = run_cli("plan", "--config-file", str(stack_file))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"invalid stack settings in {stack_file}:\n")
    assert "eks-platform:nodeGroups[0].maxSize = 3: maxSize must be >= minSize (5)" \
        in result.stderr
    assert result.stdout == ""


def test_stack_is_found_from_a_subfolder(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "tests")
    assert main(["plan", "--stack", STACKS[0], "--format", "json"]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert document["stack"] == STACKS[0]
    assert out == json.dumps(document, indent=2, sort_keys=True) + "\n"
    assert "get-token" not in out


COMPOSE = ROOT / "examples" / "compose"


@pytest.mark.skipif(not (COMPOSE / "__main__.py").exists(), reason="no compose example")
def test_program_option_plans_an_example_with_its_own_stack(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # --stack is looked up in the program's project, not cwd
    program = COMPOSE / "__main__.py"
    assert main(["plan", "--program", str(program), "--stack", "dev"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Plan for stack 'dev'")
    assert "aws:eks/nodeGroup:NodeGroup" in text and "aws:ec2/vpc:Vpc" not in text
    # No `nodeGroups` output there: max pods comes from the launch template's kubelet settings.
    assert re.search(r"^  apps: .*; max pods \d+ \(kubelet setting in user data\);", text,
                     re.MULTILINE)


def test_json_plan_shows_imds_settings_and_masks_only_secrets() -> None:
    """`metadataOptions.httpTokens: required` is a setting, not a token (issue #18)."""
    document = plan.to_json(stack_graph("dev"), "dev")
    templates = [r for r in document["resources"]
                 if r["type"] == "aws:ec2/launchTemplate:LaunchTemplate"]
    assert templates
    for template in templates:
        assert template["inputs"]["metadataOptions"]["httpTokens"] == "required"
    [provider] = [r for r in document["resources"] if r["type"] == "pulumi:providers:kubernetes"]
    assert provider["inputs"]["kubeconfig"] == "[secret]"
