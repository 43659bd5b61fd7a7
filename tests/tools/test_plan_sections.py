"""The JSON plan carries what the text plan prints (add-on versions, Karpenter pools, the
critical path), and Karpenter pools are listed in natural order (29 before 110)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from eks_platform.tools import plan
from eks_platform.tools.cli import main
from eks_platform.tools.plan.timing import natural_key
from eks_platform.tools.synth import Graph, synthesize_program
from tests.conftest import ROOT, stack_graph

NODEPOOL = "kubernetes:karpenter.sh/v1:NodePool"


def test_natural_key() -> None:
    names = ["general-250", "general-110", "general-29", "general-234", "general-58", "arm"]
    assert sorted(names, key=natural_key) == [
        "arm", "general-29", "general-58", "general-110", "general-234", "general-250"]


@pytest.fixture(scope="module")
def split_graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """dev with secondary IPs and a pool of m5 sizes whose max pods differ: eni-max-pods.txt
    gives m5.large 29, m5.xlarge 58, m5.4xlarge 234 (16 vCPUs: the calculator caps it at 110),
    m5.8xlarge 234 (32 vCPUs, under the 250 cap) and m5.24xlarge 737 (capped at 250)."""
    config: dict[str, Any] = copy.deepcopy(yaml.safe_load(
        (ROOT / "stacks" / "Pulumi.dev.yaml").read_text(encoding="utf-8")))
    settings = config["config"]
    settings["eks-platform:cni"] = {"mode": "managed"}
    settings["eks-platform:nodeGroups"][0].pop("targetPods")
    settings["eks-platform:karpenter"]["nodePools"] = [
        {"name": "general", "instanceFamilies": ["m5"],
         "instanceSizes": ["24xlarge", "8xlarge", "4xlarge", "large", "xlarge"],
         "limits": {"cpu": 64}}]
    path = tmp_path_factory.mktemp("split") / "Pulumi.split.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return synthesize_program(ROOT / "__main__.py", path)


def test_pools_sort_numerically_everywhere(split_graph: Graph) -> None:
    expected = ["general-29", "general-58", "general-110", "general-234", "general-250"]
    text = plan.render_text(split_graph, "split")
    section = text.split("Karpenter NodePools")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split(":")[0].strip() for line in section] == expected
    document = plan.to_json(split_graph, "split")
    assert [p["name"] for p in document["karpenterPools"]] == expected
    assert [p["maxPods"] for p in document["karpenterPools"]] == [29, 58, 110, 234, 250]
    in_resources = [r["inputs"]["metadata"]["name"] for r in document["resources"]
                    if r["type"] == NODEPOOL]
    assert in_resources == expected


def test_json_has_addons_pools_and_critical_path(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["plan", "--stack", "dev", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    text = plan.render_text(stack_graph("dev"), "dev")
    # Add-ons: dev pins none of the managed add-ons (its file says `version: default`), and the
    # Karpenter chart at its pinned release.
    addons = {a["name"]: a for a in document["addons"]}
    assert {n for n, a in addons.items() if a["kind"] == "addon"} == {
        "eks-pod-identity-agent", "kube-proxy", "vpc-cni", "coredns"}
    assert all(not a["pinned"] for a in addons.values() if a["kind"] == "addon")
    (chart,) = [a for a in document["addons"] if a["kind"] == "helm"]
    assert chart["pinned"] and f"{chart['version']} (pinned)" in text
    # Pools: the text's lines, from the same data.
    pools = document["karpenterPools"]
    assert [p["name"] for p in pools] == ["arm-110", "general-110", "general-250"]
    for pool in pools:
        assert f"  {pool['name']}: instance types {', '.join(pool['instanceTypes'])}; " \
               f"max pods {pool['maxPods']};" in text
    # Critical path: starts at the VPC, runs through the cluster, ends with the total.
    path = document["criticalPath"]
    types = [s["type"] for s in path["steps"]]
    assert "aws:eks/cluster:Cluster" in types
    assert path["estimatedTotalSeconds"] == path["steps"][-1]["doneAt"] > 600
    minutes = round(path["estimatedTotalSeconds"] / 60)
    assert f"(about {minutes} min)" in text
    assert [s["doneAt"] for s in path["steps"]] == sorted(s["doneAt"] for s in path["steps"])


def test_json_of_a_stack_without_karpenter() -> None:
    document = plan.to_json(stack_graph("prod"), "prod")
    assert document["karpenterPools"] == []
    assert {a["name"] for a in document["addons"] if a["pinned"]} == {"vpc-cni"}
    assert {a["version"] for a in document["addons"] if a["name"] == "vpc-cni"} == {
        "v1.19.2-eksbuild.1"}
