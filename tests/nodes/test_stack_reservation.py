"""Every node group of every shipped stack reserves memory for the pods its kubelet runs.

Decodes each group's launch-template user data and replays what the node does with it:
nodeadm (AL2023) writes its own kubelet config, reserving for the ENI default's max pods,
then the kubelet merges the user's drop-in key by key; Bottlerocket's kubelet template derives
the memory from `settings.kubernetes.max-pods` unless `kube-reserved.memory` is set.
"""

from __future__ import annotations

import base64
import email
import tomllib
from typing import Any

import yaml

from eks_platform.nodes import maxpods
from tests.conftest import CALCULATOR_MAX_PODS, stack_graph, stack_settings

NODEGROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def nodeadm_cpu_millicores(vcpus: int) -> int:
    """EKS's documented rule: 6% of the first core, 1% of the second, 0.5% of the next two,
    0.25% of every core above four (in millicores, rounded down per range)."""
    millicores = vcpus * 1000
    reserved = 0
    for low, high, percent_x100 in ((0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50),
                                    (4000, millicores, 25)):
        if millicores > low:
            reserved += (min(millicores, high) - low) * percent_x100 // 10000
    return reserved


def nodeadm_written(instance_type: str) -> dict[str, str]:
    """nodeadm's own kubeReserved: memory from the instance's ENI default max pods."""
    limits = maxpods.lookup(instance_type)
    eni_default = limits.default_card_enis * (limits.ipv4_per_eni - 1) + 2
    return {"cpu": f"{nodeadm_cpu_millicores(limits.vcpus)}m", "ephemeral-storage": "1Gi",
            "memory": f"{11 * eni_default + 255}Mi"}


def node_config(user_data: str) -> dict[str, Any]:
    message = email.message_from_string(user_data)
    [part] = [p for p in message.walk() if p.get_content_type() == "application/node.eks.aws"]
    document: dict[str, Any] = yaml.safe_load(str(part.get_payload()))
    return document


def test_every_group_reserves_for_its_own_max_pods(stack: str) -> None:
    """On a group whose pods differ from the ENI default (prefix delegation), reverting to
    nodeadm's own reservation fails here; `test_some_group_differs_from_the_eni_default`
    keeps such a group in the shipped stacks."""
    graph, settings = stack_graph(stack), stack_settings(stack)
    groups = graph.of_type(NODEGROUP)
    for spec in settings.node_groups:
        group = next(g for g in groups if g.inputs["nodeGroupNamePrefix"] == f"{spec.name}-")
        template = next(r for r in graph.children(graph.by_urn[group.parent])
                        if r.type == LAUNCH_TEMPLATE)
        text = base64.b64decode(template.inputs["userData"]).decode()
        if spec.is_bottlerocket:
            kubernetes = tomllib.loads(text)["settings"]["kubernetes"]
            assert "memory" not in kubernetes.get("kube-reserved", {})
            assert kubernetes["max-pods"] >= 1  # the template reserves 11 * max-pods + 255
            continue
        kubelet = node_config(text)["spec"]["kubelet"]["config"]
        pods = kubelet["maxPods"]
        for instance_type in spec.instance_types:
            # What the kubelet ends up with on a node of this type.
            reserved = {**nodeadm_written(instance_type), **kubelet["kubeReserved"]}
            assert reserved["memory"] == f"{11 * pods + 255}Mi", (spec.name, instance_type)
            vcpus = maxpods.lookup(instance_type).vcpus
            assert reserved["cpu"] == f"{nodeadm_cpu_millicores(vcpus)}m"
            assert reserved["ephemeral-storage"] == "1Gi"


def test_some_group_differs_from_the_eni_default() -> None:
    """Otherwise the test above could not tell our reservation from nodeadm's."""
    differing = []
    for stack in ("dev", "prod"):
        settings = stack_settings(stack)
        for spec in settings.node_groups:
            if not spec.is_bottlerocket:
                pods = CALCULATOR_MAX_PODS[stack][spec.name]
                if any(nodeadm_written(t)["memory"] != f"{11 * pods + 255}Mi"
                       for t in spec.instance_types):
                    differing.append((stack, spec.name))
    assert differing
