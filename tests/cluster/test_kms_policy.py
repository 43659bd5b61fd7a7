"""KMS key policies, asked questions through a policy evaluator and checked as parsed JSON."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from eks_platform.cluster import kms_policy
from tests.aws_models import service_model
from tests.policy_eval import Request, allowed_by_statement, decision

ACCOUNT = "111122223333"
REGION = "eu-west-1"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/platform-admin"
DEPLOYER = f"arn:aws:iam::{ACCOUNT}:role/deployer"
CLUSTER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/prod-cluster"
OTHER = f"arn:aws:iam::{ACCOUNT}:role/developer"
ASG_ROLE = (f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/"
            "AWSServiceRoleForAutoScaling")
LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/eks/prod/cluster"
VIA_EKS = {"kms:ViaService": f"eks.{REGION}.amazonaws.com", "kms:CallerAccount": ACCOUNT}
VIA_EC2 = {"kms:ViaService": f"ec2.{REGION}.amazonaws.com", "kms:CallerAccount": ACCOUNT}
#: KMS developer guide, "Cryptographic operations" (plus the grant that lends them).
CRYPTO = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair",
          "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo",
          "kms:CreateGrant", "kms:RetireGrant")

KMS_OPERATIONS = set(service_model("kms").operation_names)


def secrets() -> str:
    return kms_policy.secrets_key_policy(
        ACCOUNT, REGION, admins=[ADMIN, DEPLOYER], users=[CLUSTER_ROLE],
        cluster_creators=[DEPLOYER])


def logs() -> str:
    return kms_policy.logs_key_policy(ACCOUNT, REGION, admins=[ADMIN], log_groups=[LOG_GROUP])


def ebs() -> str:
    return kms_policy.ebs_key_policy(ACCOUNT, REGION, admins=[ADMIN])


ALL = pytest.mark.parametrize("policy", [secrets, logs, ebs], ids=["secrets", "logs", "ebs"])


@ALL
def test_policy_is_valid_iam_grammar_and_names_real_kms_actions(policy: object) -> None:
    document = policy()  # type: ignore[operator]
    IAMPolicyDocumentValidator(document).validate()
    for statement in json.loads(document)["Statement"]:
        for pattern in statement["Action"] if isinstance(statement["Action"], list) \
                else [statement["Action"]]:
            service, name = pattern.split(":")
            assert service == "kms"
            # ReEncrypt* stands for the IAM-only ReEncryptFrom/To, which have no API operation.
            candidates = KMS_OPERATIONS | {"ReEncryptFrom", "ReEncryptTo"}
            assert any(fnmatchcase(op, name) for op in candidates), pattern


@ALL
def test_account_keeps_the_key_manageable(policy: object) -> None:
    document = policy()  # type: ignore[operator]
    assert decision(document, Request("kms:PutKeyPolicy", ROOT)) == "Allow"
    # Other IAM principals reach the key through the account statement (IAM policies decide),
    # but can never disable or delete it.
    assert decision(document, Request("kms:ScheduleKeyDeletion", OTHER)) == "Deny"
    assert decision(document, Request("kms:DisableKey", OTHER)) == "Deny"
    assert decision(document, Request("kms:ScheduleKeyDeletion", ROOT)) == "Deny"


@ALL
def test_administrators_manage_but_cannot_use_the_key(policy: object) -> None:
    document = policy()  # type: ignore[operator]
    for action in ("kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CancelKeyDeletion",
                   "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:TagResource"):
        assert decision(document, Request(action, ADMIN)) == "Allow", action
    for action in CRYPTO:
        assert allowed_by_statement(document, Request(action, ADMIN, context=VIA_EKS)) \
            <= {"AccountKeepsKeyManageable"}, action


def test_secrets_key_is_used_by_the_cluster_role_only_through_eks() -> None:
    document = secrets()
    for action in ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"):
        assert "KeyUsersThroughService" in allowed_by_statement(
            document, Request(action, CLUSTER_ROLE, context=VIA_EKS)), action
        assert allowed_by_statement(document, Request(action, CLUSTER_ROLE)) == set()
        assert allowed_by_statement(
            document, Request(action, CLUSTER_ROLE, context=VIA_EC2)) == set()
    grant = Request("kms:CreateGrant", CLUSTER_ROLE,
                    context={**VIA_EKS, "kms:GrantIsForAWSResource": "true"})
    assert decision(document, grant) == "Allow"
    no_resource = Request("kms:CreateGrant", CLUSTER_ROLE, context=VIA_EKS)
    assert decision(document, no_resource) == "NotAllowed"
    assert decision(document, Request("kms:ScheduleKeyDeletion", CLUSTER_ROLE)) == "Deny"


def test_secrets_key_lets_eks_check_its_health_as_the_cluster_role() -> None:
    """EKS's key health check and upgrade check call DescribeKey and ListGrants as the cluster
    role directly, without kms:ViaService: read-only, and nothing else without it."""
    document = secrets()
    for action in ("kms:DescribeKey", "kms:ListGrants"):
        assert decision(document, Request(action, CLUSTER_ROLE)) == "Allow", action
    for action in ("kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:ReEncryptFrom"):
        assert decision(document, Request(action, CLUSTER_ROLE)) == "NotAllowed", action


def test_secrets_key_lets_the_cluster_creator_grant_to_eks_only_through_eks() -> None:
    # EKS user guide: CreateCluster needs kms:DescribeKey and kms:CreateGrant, and
    # kms:GrantIsForAWSResource is not supported for that call: the grant is conditioned on
    # kms:ViaService EKS, so the deployer cannot grant itself Decrypt directly.
    document = secrets()
    assert allowed_by_statement(document, Request("kms:DescribeKey", DEPLOYER)) == {
        "ClusterCreatorsDescribeKey", "KeyAdministrators"}
    assert allowed_by_statement(document, Request("kms:CreateGrant", DEPLOYER,
                                                  context=VIA_EKS)) == {
        "ClusterCreatorsGrantThroughEks"}
    assert decision(document, Request("kms:CreateGrant", DEPLOYER)) == "NotAllowed"
    assert decision(document, Request("kms:CreateGrant", DEPLOYER, context=VIA_EC2)) == \
        "NotAllowed"
    assert allowed_by_statement(document, Request("kms:Decrypt", DEPLOYER)) \
        <= {"AccountKeepsKeyManageable"}


def test_logs_key_serves_cloudwatch_logs_only_for_its_log_groups() -> None:
    document = logs()
    logs_service = f"logs.{REGION}.amazonaws.com"
    context = {"kms:EncryptionContext:aws:logs:arn": LOG_GROUP}
    for action in ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom",
                   "kms:DescribeKey"):
        assert decision(document, Request(action, service=logs_service, context=context)) \
            == "Allow", action
    other_group = {"kms:EncryptionContext:aws:logs:arn": LOG_GROUP.replace("prod", "dev")}
    assert decision(document, Request("kms:Decrypt", service=logs_service,
                                      context=other_group)) == "NotAllowed"
    assert decision(document, Request("kms:Decrypt", service="logs.us-east-1.amazonaws.com",
                                      context=context)) == "NotAllowed"


def test_logs_key_uses_the_china_partition_suffix() -> None:
    document = kms_policy.logs_key_policy(
        ACCOUNT, "cn-north-1", admins=[f"arn:aws-cn:iam::{ACCOUNT}:role/admin"],
        log_groups=[kms_policy.log_group_arn(ACCOUNT, "cn-north-1", "/aws/eks/c/cluster")])
    statements = {s["Sid"]: s for s in json.loads(document)["Statement"]}
    assert statements["AccountKeepsKeyManageable"]["Principal"] == {
        "AWS": f"arn:aws-cn:iam::{ACCOUNT}:root"}
    service = statements["CloudWatchLogsForTheseLogGroups"]
    assert service["Principal"] == {"Service": "logs.cn-north-1.amazonaws.com.cn"}
    assert service["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": [
        f"arn:aws-cn:logs:cn-north-1:{ACCOUNT}:log-group:/aws/eks/c/cluster"]}}


def test_ebs_key_lets_the_autoscaling_service_role_encrypt_volumes_through_ec2() -> None:
    # EC2 Auto Scaling user guide, "Required AWS KMS key policy for use with encrypted volumes".
    document = ebs()
    for action in ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptTo", "kms:GenerateDataKey",
                   "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"):
        assert decision(document, Request(action, ASG_ROLE, context=VIA_EC2)) == "Allow", action
        assert decision(document, Request(action, ASG_ROLE, context=VIA_EKS)) == "NotAllowed"
    grant = {**VIA_EC2, "kms:GrantIsForAWSResource": "true"}
    assert decision(document, Request("kms:CreateGrant", ASG_ROLE, context=grant)) == "Allow"
    assert decision(document, Request("kms:CreateGrant", ASG_ROLE, context=VIA_EC2)) \
        == "NotAllowed"


def test_ebs_key_takes_other_launchers_instead_of_the_default() -> None:
    karpenter = f"arn:aws:iam::{ACCOUNT}:role/karpenter"
    document = kms_policy.ebs_key_policy(ACCOUNT, REGION, admins=[ADMIN],
                                         users=[karpenter, ASG_ROLE])
    for who in (karpenter, ASG_ROLE):
        assert decision(document, Request("kms:Decrypt", who, context=VIA_EC2)) == "Allow"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"admins": [], "users": [CLUSTER_ROLE], "cluster_creators": [DEPLOYER]},
     "at least one administrator ARN"),
    ({"admins": [ADMIN], "users": [], "cluster_creators": [DEPLOYER]},
     "at least one key user ARN"),
    ({"admins": [ADMIN], "users": [CLUSTER_ROLE], "cluster_creators": []},
     "at least one cluster creator ARN"),
])
def test_a_key_policy_without_principals_is_refused(
    kwargs: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        kms_policy.secrets_key_policy(ACCOUNT, REGION, **kwargs)
