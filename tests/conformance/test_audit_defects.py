"""Defects the audits found, on the varied test stacks (issue #18): each test fails on the
code before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from eks_platform.tools.synth import Graph, synthesize_program
from eks_platform.tools.synth.graph import RecordedResource
from eks_platform.tools.synth.mocks import DEPLOYER_ROLE
from tests.conformance.graphs import ROOT, varied_graph

RELEASE = "kubernetes:helm.sh/v3:Release"
ROLE = "aws:iam/role:Role"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"


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


def synthesize_config(tmp_path: Path, name: str, config: dict[str, Any]) -> Graph:
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return synthesize_program(ROOT / "__main__.py", path)


def dev_config(**changes: Any) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "stacks" / "Pulumi.dev.yaml").read_text())["config"]
    config.update({f"eks-platform:{k}": v for k, v in changes.items()})
    return dict(config)


def test_a_deployer_among_admins_with_admin_policy_still_gets_cluster_admin(
    tmp_path: Path,
) -> None:
    """AmazonEKSAdminPolicy grants no CRDs, ClusterRoles or cluster-scoped objects: the
    Karpenter chart would get Forbidden. The deployer's entry gets cluster-admin as well,
    and the Kubernetes provider waits for that association."""
    graph = synthesize_config(tmp_path, "admins", dev_config(
        clusterCreatorAdmin=False,
        admins=[{"principalArn": DEPLOYER_ROLE, "accessPolicy": "Admin"}]))
    associations = [a.inputs for a in graph.of_type(ASSOCIATION)
                    if a.inputs["principalArn"] == DEPLOYER_ROLE]
    assert sorted((a["policyArn"].rsplit("/", 1)[1], a["accessScope"]["type"])
                  for a in associations) == [("AmazonEKSAdminPolicy", "cluster"),
                                             ("AmazonEKSClusterAdminPolicy", "cluster")]
    [entry] = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
               if e.inputs["principalArn"] == DEPLOYER_ROLE]  # one entry, two policies
    provider = graph.one("pulumi:providers:kubernetes")
    admin = next(a for a in graph.of_type(ASSOCIATION)
                 if a.inputs["principalArn"] == DEPLOYER_ROLE
                 and a.inputs["policyArn"].endswith("AmazonEKSClusterAdminPolicy"))
    assert graph.depends_on(provider, admin)
    assert graph.depends_on(admin, entry)


def test_fargate_only_needs_a_profile_that_selects_coredns() -> None:
    from eks_platform.errors import SettingsError
    from eks_platform.stack import PlatformSettings

    def fargate(selector: dict[str, Any]) -> PlatformSettings:
        return PlatformSettings(region="eu-central-1", fargate_profiles=[
            {"name": "system", "selectors": [selector]}])

    # The EKS guide's CoreDNS profile: kube-system with k8s-app: kube-dns.
    assert fargate({"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}).fargate_only
    assert fargate({"namespace": "kube-system"}).fargate_only
    for selector in ({"namespace": "kube-system", "labels": {"app": "other"}},
                     {"namespace": "apps"}):
        try:
            fargate(selector)
        except SettingsError as error:
            assert len(error.problems) == 1
            assert error.problems[0].startswith('PlatformSettings.fargate_profiles = ["system"]:')
        else:
            raise AssertionError(f"accepted {selector}")


def test_fargate_pod_role_is_trusted_only_for_this_clusters_profiles() -> None:
    """EKS user guide, "Amazon EKS Pod execution IAM role": the trust's aws:SourceArn is the
    cluster's fargateprofile ARNs (arn:aws:eks:<region>:<account>:fargateprofile/<cluster>/*)."""
    role = varied_graph("fargate").one(ROLE, "eks-fargate-pods")
    [statement] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "eks-fargate-pods.amazonaws.com"}
    assert statement["Condition"] == {"ArnLike": {"aws:SourceArn": (
        "arn:aws:eks:eu-central-1:123456789012:fargateprofile/eks-platform-fargate/*")}}


def test_the_created_vpcs_default_security_group_has_no_rules() -> None:
    """CIS AWS Foundations 5.4 / Security Hub EC2.2: the default security group of a VPC
    restricts all traffic. Adopted as aws.ec2.DefaultSecurityGroup with empty rule lists (the
    provider removes every rule on adoption); stacks with existing subnets leave it alone."""
    for stack in ("govcloud", "karpenter-bottlerocket"):
        graph = varied_graph(stack)
        [group] = graph.of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
        assert group.inputs["vpcId"] == graph.one("aws:ec2/vpc:Vpc").urn.rsplit("::", 1)[1] + \
            "-id"
        assert group.inputs.get("ingress", []) == [] and group.inputs.get("egress", []) == []
    assert varied_graph("existing-vpc").of_type(
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup") == []


def test_protected_stacks_log_groups_have_cloudwatch_deletion_protection() -> None:
    """CloudWatch Logs' own deletion protection (CreateLogGroup deletionProtectionEnabled;
    pulumi-aws `deletion_protection_enabled`) beside Pulumi's protect, on prod's two groups."""
    from tests.conftest import stack_graph

    groups = stack_graph("prod").of_type("aws:cloudwatch/logGroup:LogGroup")
    assert sorted(g.inputs["name"] for g in groups) == [
        "/aws/eks/platform-prod/cluster", "/aws/vpc/platform-prod/flow-logs"]
    assert all(g.inputs["deletionProtectionEnabled"] is True and g.protect for g in groups)
    assert all("deletionProtectionEnabled" not in g.inputs
               for g in stack_graph("staging").of_type("aws:cloudwatch/logGroup:LogGroup"))
