"""IAM trust and permission documents, checked as parsed JSON against AWS's documented rules.

Grammar is checked by moto's IAM policy validators (the rules IAM applies to CreateRole and
CreatePolicy); action names by botocore's service models.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator, IAMTrustPolicyDocumentValidator

from eks_platform.cluster import iam
from tests.aws_models import service_model

ACCOUNT = "111122223333"
CLUSTER_ARN = f"arn:aws:eks:eu-west-1:{ACCOUNT}:cluster/prod"


def statements(document: str) -> list[dict[str, Any]]:
    parsed = json.loads(document)
    assert parsed["Version"] == "2012-10-17"
    result: list[dict[str, Any]] = parsed["Statement"]
    return result


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def operations(service: str) -> set[str]:
    model = service_model(service)
    return set(model.operation_names)


def test_pod_identity_trust_is_scoped_to_one_service_account_of_one_cluster() -> None:
    document = iam.pod_identity_trust_policy(
        account_id=ACCOUNT, cluster_arn=CLUSTER_ARN, namespace="kube-system",
        service_account="aws-node")
    IAMTrustPolicyDocumentValidator(document).validate()
    [statement] = statements(document)
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert sorted(as_list(statement["Action"])) == ["sts:AssumeRole", "sts:TagSession"]
    # The session tag keys EKS Pod Identity sets (EKS user guide, pod-id-role / pod-id-abac).
    assert statement["Condition"] == {"StringEquals": {
        "aws:SourceAccount": ACCOUNT,
        "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN,
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "aws-node",
    }}


def test_account_of_reads_the_account_of_an_arn() -> None:
    assert iam.account_of(CLUSTER_ARN) == ACCOUNT
    assert iam.account_of("arn:aws-cn:eks:cn-north-1:000011112222:cluster/a:b") == "000011112222"
    with pytest.raises(ValueError, match="is not an ARN with a 12-digit account ID"):
        iam.account_of("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy")


def test_pod_identity_trust_without_scope_keeps_its_old_shape() -> None:
    [statement] = statements(iam.pod_identity_trust_policy())
    assert "Condition" not in statement
    assert sorted(as_list(statement["Action"])) == ["sts:AssumeRole", "sts:TagSession"]


def test_pod_identity_trust_refuses_a_partial_scope() -> None:
    with pytest.raises(ValueError, match="together"):
        iam.pod_identity_trust_policy(account_id=ACCOUNT, cluster_arn=CLUSTER_ARN)


@pytest.mark.parametrize(("tag_session", "actions"), [
    (False, ["sts:AssumeRole"]),
    (True, ["sts:AssumeRole", "sts:TagSession"]),
])
def test_service_trust_tags_sessions_only_when_asked(
    tag_session: bool, actions: list[str]
) -> None:
    document = iam.service_trust_policy("eks.amazonaws.com", tag_session=tag_session)
    IAMTrustPolicyDocumentValidator(document).validate()
    [statement] = statements(document)
    assert statement["Principal"] == {"Service": "eks.amazonaws.com"}
    assert sorted(as_list(statement["Action"])) == actions
    assert "Condition" not in statement


@pytest.mark.parametrize(("region", "partition"), [
    ("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
])
def test_flow_logs_trust_is_limited_to_flow_logs_of_this_account_and_region(
    region: str, partition: str
) -> None:
    document = iam.flow_logs_trust_policy(ACCOUNT, region)
    IAMTrustPolicyDocumentValidator(document).validate()
    [statement] = statements(document)
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert as_list(statement["Action"]) == ["sts:AssumeRole"]
    # Amazon VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs".
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:{partition}:ec2:{region}:{ACCOUNT}:vpc-flow-log/*"},
    }


def test_flow_logs_publish_policy_writes_only_into_its_log_group() -> None:
    group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/vpc/prod/flow-logs"
    document = iam.flow_logs_publish_policy(group + ":*")
    IAMPolicyDocumentValidator(document).validate()
    granted: dict[str, list[str]] = {}
    for statement in statements(document):
        assert statement["Effect"] == "Allow"
        assert "Principal" not in statement
        for action in as_list(statement["Action"]):
            granted[action] = as_list(statement["Resource"])
    assert set(granted) == {"logs:CreateLogStream", "logs:DescribeLogStreams",
                            "logs:PutLogEvents", "logs:DescribeLogGroups"}
    assert "logs:CreateLogGroup" not in granted
    for action in ("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"):
        assert granted[action] == [group, f"{group}:log-stream:*"]
    # Every action is a CloudWatch Logs API operation.
    assert {action.split(":")[1] for action in granted} <= operations("logs")


def test_ec2_service_principal_follows_the_partition() -> None:
    """Karpenter's CloudFormation trusts `ec2.${AWS::URLSuffix}`: amazonaws.com.cn in aws-cn."""
    from eks_platform.cluster.iam import ec2_service

    assert ec2_service("cn-north-1") == "ec2.amazonaws.com.cn"
    assert ec2_service("cn-northwest-1") == "ec2.amazonaws.com.cn"
    assert ec2_service("us-gov-west-1") == "ec2.amazonaws.com"
    assert ec2_service("eu-west-1") == "ec2.amazonaws.com"
