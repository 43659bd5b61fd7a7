"""Defects the audits found, on the varied test stacks (issue #18): each test fails on the
code before its fix."""

from __future__ import annotations

import json

from eks_platform.tools.synth.graph import RecordedResource
from tests.conformance.graphs import varied_graph

RELEASE = "kubernetes:helm.sh/v3:Release"
ROLE = "aws:iam/role:Role"


def trust_services(role: RecordedResource) -> list[str]:
    document = json.loads(role.inputs["assumeRolePolicy"])
    return [s for statement in document["Statement"]
            for s in ([statement["Principal"]["Service"]]
                      if isinstance(statement["Principal"].get("Service"), str)
                      else statement["Principal"].get("Service", []))]


def test_china_node_roles_trust_ec2_in_the_china_partition() -> None:
    """Karpenter's CloudFormation: `ec2.${AWS::URLSuffix}`, i.e. ec2.amazonaws.com.cn in
    aws-cn; the cluster role keeps eks.amazonaws.com."""
    graph = varied_graph("china")
    roles = {r.name: trust_services(r) for r in graph.of_type(ROLE)}
    assert roles["eks-system-node"] == ["ec2.amazonaws.com.cn"]
    assert roles["eks-spot-node"] == ["ec2.amazonaws.com.cn"]
    assert roles["eks-cluster"] == ["eks.amazonaws.com"]
    assert trust_services(varied_graph("govcloud").one(ROLE, "eks-workers-node")) == [
        "ec2.amazonaws.com"]


def test_karpenter_in_its_own_namespace_creates_it_and_crds_upgrade_with_the_chart() -> None:
    graph = varied_graph("karpenter-bottlerocket")
    crd = graph.one(RELEASE, "eks-karpenter-crd").inputs
    controller = graph.one(RELEASE, "eks-karpenter")
    # Helm fails with `namespaces "karpenter" not found` without it.
    assert crd["namespace"] == "karpenter"
    assert crd["createNamespace"] is True
    assert controller.inputs["namespace"] == "karpenter"
    # The karpenter-crd chart at the controller's version, before it; the controller's own
    # crds/ copy (installed once, never upgraded) skipped.
    assert crd["chart"] == "oci://public.ecr.aws/karpenter/karpenter-crd"
    assert crd["version"] == controller.inputs["version"] == "1.14.1"
    assert controller.inputs["skipCrds"] is True
    assert graph.one(RELEASE, "eks-karpenter-crd").urn in controller.waits_for
