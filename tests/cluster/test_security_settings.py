"""The security settings: their rules and messages, and the library behaviour behind them
(OIDC provider on demand, scoped Pod Identity trust, volumes per AMI family, the deployer)."""

from __future__ import annotations

import json
import re
from ipaddress import IPv4Network
from typing import Any

import pytest

from eks_platform import ServiceAccountRole
from eks_platform.cluster.security_settings import LOG_RETENTION_DAYS
from eks_platform.cluster.service_account_role import ServiceAccountRoleArgs
from eks_platform.network.settings import FlowLogsSettings
from eks_platform.network.vpc import Vpc, VpcArgs
from eks_platform.nodes.volumes import NodeVolume, node_volumes
from eks_platform.stack import SettingsError, parse
from eks_platform.tools.synth import synthesize
from eks_platform.tools.synth.mocks import RecordingMocks
from tests.aws_models import service_model
from tests.clusters import demo_cluster
from tests.stack.test_settings import BASE, SOURCE, error_for, with_

ADMIN = "arn:aws:iam::111122223333:role/platform-admins"
OTHER = "arn:aws:iam::111122223333:role/team-a"
OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"


def test_retention_days_are_what_cloudwatch_logs_accepts() -> None:
    days = service_model("logs").shape_for("Days")
    listed = re.search(r"Possible values are: ([\d, and]+)\.", days.documentation)
    assert listed is not None
    documented = tuple(int(d) for d in re.findall(r"\d+", listed.group(1)))
    assert documented == LOG_RETENTION_DAYS


@pytest.mark.parametrize(("path", "value", "key", "words"), [
    ("eks-platform:logRetentionDays", 100, "eks-platform:logRetentionDays",
     "CloudWatch Logs retention must be one of 1, 3, 5"),
    ("eks-platform:vpc", {"flowLogs": {"retentionDays": 400000}},
     "eks-platform:vpc.flowLogs.retentionDays", "retention must be one of"),
    ("eks-platform:kmsKeyAdmins", ["bob"], "eks-platform:kmsKeyAdmins",
     "'bob' is not an IAM role or user ARN"),
    ("eks-platform:admins", [{"principalArn": ADMIN, "accessPolicy": "Root"}],
     "eks-platform:admins[0].accessPolicy", "'ClusterAdmin', 'Admin', 'AdminView', 'Edit'"),
    ("eks-platform:admins", [{"principalArn": ADMIN, "accessPolicy": "ClusterAdmin",
                              "namespaces": ["apps"]}],
     "eks-platform:admins[0]", "ClusterAdmin is cluster-wide only"),
    ("eks-platform:admins", [{"principalArn": ADMIN, "accessPolicy": "Edit",
                              "namespaces": ["Apps"]}],
     "eks-platform:admins[0]", "namespace 'Apps' is not a Kubernetes namespace name"),
    ("eks-platform:admins", [ADMIN, {"principalArn": ADMIN, "accessPolicy": "View"}],
     "eks-platform:admins", f"each principal has one access entry; repeated: {ADMIN}"),
    ("eks-platform:nodeVolumeKmsKey", "mine", "eks-platform:nodeVolumeKmsKey",
     "'customer' or 'awsManaged'"),
])
def test_bad_security_settings_name_key_and_rule(path: str, value: Any, key: str,
                                                 words: str) -> None:
    message = error_for(with_(path, value))
    assert f"  {key}" in message and words in message, message


def test_admins_plain_arns_are_cluster_admins_and_entries_carry_their_scope() -> None:
    settings = parse({**BASE, "eks-platform:admins": [
        ADMIN, {"principalArn": OTHER, "accessPolicy": "Edit", "namespaces": ["b", "a-*"]}]},
        SOURCE)
    first, second = settings.admins
    assert (first.access_policy, first.namespaces) == ("ClusterAdmin", None)
    grant = second.grant("cn-north-1")
    assert grant.policy_arn == "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
    assert (grant.scope_type, grant.namespaces) == ("namespace", ("a-*", "b"))


@pytest.mark.parametrize(("admins", "flag", "expected"), [
    ([], None, True), ([ADMIN], None, False), ([ADMIN], True, True), ([], False, False)])
def test_cluster_creator_is_admin_only_when_nobody_else_is(
        admins: list[str], flag: bool | None, expected: bool) -> None:
    config: dict[str, Any] = {**BASE, "eks-platform:admins": admins}
    if flag is not None:
        config["eks-platform:clusterCreatorAdmin"] = flag
    assert parse(config, SOURCE).creator_is_admin is expected


def test_secure_defaults() -> None:
    settings = parse(BASE, SOURCE)
    assert set(settings.logging) == {"api", "audit", "authenticator", "controllerManager",
                                     "scheduler"}
    assert settings.log_retention_days == 365
    assert settings.node_volume_kms_key == "customer"
    assert settings.oidc_provider is False
    assert settings.node_groups[0].ssm is False
    assert FlowLogsSettings().enabled is True and FlowLogsSettings().traffic_type == "ALL"


# --- volumes, deployer ------------------------------------------------------------------------

def test_every_ami_device_is_mapped() -> None:
    assert node_volumes("AL2023_ARM_64_STANDARD", 80) == (NodeVolume("/dev/xvda", 80),)
    assert node_volumes("BOTTLEROCKET_x86_64_NVIDIA", 80) == (
        NodeVolume("/dev/xvda", None), NodeVolume("/dev/xvdb", 80))


@pytest.mark.parametrize(("arn", "issuer"), [
    ("arn:aws:sts::123456789012:assumed-role/deployer/ci-42",
     "arn:aws:iam::123456789012:role/deployer"),
    ("arn:aws-cn:sts::123456789012:assumed-role/ops/alice",
     "arn:aws-cn:iam::123456789012:role/ops"),
    ("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"),
])
def test_mocks_answer_the_session_context_like_iam(arn: str, issuer: str) -> None:
    answer = RecordingMocks("us-east-1")._answer(
        "aws:iam/getSessionContext:getSessionContext", {"arn": arn})
    assert answer["issuerArn"] == issuer


# --- components -------------------------------------------------------------------------------



def test_pod_identity_role_trusts_its_service_account_on_its_cluster() -> None:
    def program() -> None:
        cluster = demo_cluster()
        ServiceAccountRole.for_cluster("app", cluster, namespace="apps",
                                       service_account="app", mode="podIdentity")

    graph = synthesize(program, {"aws:region": "us-east-1"})
    role = graph.one("aws:iam/role:Role", "app")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Condition"]["StringEquals"] == {
        "aws:SourceAccount": "123456789012",
        "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:us-east-1:123456789012:cluster/demo",
        "aws:RequestTag/kubernetes-namespace": "apps",
        "aws:RequestTag/kubernetes-service-account": "app",
    }
    assert graph.of_type(OIDC) == []


def test_pod_identity_role_needs_the_cluster_arn() -> None:
    with pytest.raises(ValueError, match="needs the cluster's ARN"):
        ServiceAccountRoleArgs(namespace="apps", service_account="app", region="us-east-1",
                               mode="podIdentity")


def test_a_library_vpc_has_flow_logs_unless_told_otherwise() -> None:
    def program() -> None:
        Vpc("net", VpcArgs(cluster_name="demo", region="us-east-1",
                           cidr=IPv4Network("10.0.0.0/16"), availability_zones=2))
        Vpc("quiet", VpcArgs(cluster_name="demo", region="us-east-1",
                             cidr=IPv4Network("10.1.0.0/16"), availability_zones=2,
                             flow_logs=FlowLogsSettings(enabled=False)))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    (flow_log,) = graph.of_type("aws:ec2/flowLog:FlowLog")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.urn in {r.urn for r in graph.descendants(graph.one(
        "eks-platform:network:Vpc", "net"))}


def test_vpc_args_need_a_known_region() -> None:
    with pytest.raises(SettingsError, match=r"VpcArgs\.region: required key is missing"):
        VpcArgs(cluster_name="demo", cidr=IPv4Network("10.0.0.0/16"))


