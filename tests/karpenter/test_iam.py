"""Karpenter's controller policies: real actions, valid documents, scoped to the cluster."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from eks_platform.cluster.iam import policy_arn
from eks_platform.karpenter.iam import controller_policies, node_role_policies
from tests.aws_models import service_model

CLUSTER = "dev"
ACCOUNT = "123456789012"
#: IAM quota: a customer managed policy holds at most 6,144 characters, whitespace excluded.
MANAGED_POLICY_MAX_CHARS = 6144
#: IAM action prefixes -> botocore service names.
SERVICES = {"ec2": "ec2", "iam": "iam", "eks": "eks", "sqs": "sqs", "ssm": "ssm",
            "pricing": "pricing", "arc-zonal-shift": "arc-zonal-shift"}
#: Permissions with no API operation of their own (IAM user guide: "iam:PassRole is a
#: permission, not an API action").
PERMISSION_ONLY = {"iam:PassRole"}


def policies(region: str = "us-west-2") -> dict[str, dict[str, Any]]:
    documents = controller_policies(
        cluster_name=CLUSTER, region=region, account_id=ACCOUNT,
        node_role_arn=f"arn:aws:iam::{ACCOUNT}:role/dev-karpenter-node",
        queue_arn=f"arn:aws:sqs:{region}:{ACCOUNT}:dev")
    return {name: json.loads(text) for name, text in documents.items()}


def statements() -> list[dict[str, Any]]:
    return [s for document in policies().values() for s in document["Statement"]]


def actions_of(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


@cache
def operations(service: str) -> frozenset[str]:
    model = service_model(service)
    return frozenset(model.operation_names)


def test_every_action_is_an_operation_of_its_service() -> None:
    for statement in statements():
        for action in set(actions_of(statement)) - PERMISSION_ONLY:
            prefix, operation = action.split(":")
            assert operation in operations(SERVICES[prefix]), action


def test_documents_are_valid_and_fit_a_managed_policy() -> None:
    documents = controller_policies(
        cluster_name=CLUSTER, region="us-west-2", account_id=ACCOUNT,
        node_role_arn="arn:aws:iam::123456789012:role/n", queue_arn="arn:aws:sqs:us-west-2:1:q")
    assert len(documents) == 6
    for text in documents.values():
        IAMPolicyDocumentValidator(text).validate()
        assert len("".join(text.split())) <= MANAGED_POLICY_MAX_CHARS


def test_sids_are_unique() -> None:
    sids = [s["Sid"] for s in statements()]
    assert len(sids) == len(set(sids))


@pytest.mark.parametrize("action", [
    "ec2:TerminateInstances", "ec2:DeleteLaunchTemplate", "ec2:CreateTags",
    "ec2:CreateLaunchTemplate", "iam:CreateInstanceProfile", "iam:TagInstanceProfile",
    "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
    "iam:DeleteInstanceProfile",
])
def test_writes_are_scoped_to_the_clusters_tag(action: str) -> None:
    granting = [s for s in statements() if action in actions_of(s)]
    assert granting
    for statement in granting:
        equals = statement["Condition"]["StringEquals"]
        assert any(key.endswith(f"/kubernetes.io/cluster/{CLUSTER}") and value == "owned"
                   for key, value in equals.items()), statement["Sid"]


def test_run_instances_is_free_only_on_shared_inputs() -> None:
    """RunInstances without a tag condition only reaches images, snapshots, subnets, security
    groups, capacity reservations and placement groups; what it creates must be tagged."""
    for statement in statements():
        if "ec2:RunInstances" in actions_of(statement) and "Condition" not in statement:
            kinds = {arn.split(":")[-1].split("/")[0] for arn in statement["Resource"]}
            assert kinds == {"image", "snapshot", "security-group", "subnet",
                             "capacity-reservation", "placement-group"}


def test_node_role_can_only_be_passed_to_ec2() -> None:
    [passing] = [s for s in statements() if actions_of(s) == ["iam:PassRole"]]
    assert passing["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/dev-karpenter-node"
    assert passing["Condition"]["StringEquals"]["iam:PassedToService"][0] == "ec2.amazonaws.com"


def test_interruption_and_reads_are_limited() -> None:
    documents = policies()
    [queue] = documents["interruption"]["Statement"]
    assert queue["Resource"] == f"arn:aws:sqs:us-west-2:{ACCOUNT}:dev"
    reads = documents["resource-discovery"]["Statement"][0]
    assert reads["Condition"] == {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}


def test_arns_follow_the_partition() -> None:
    text = json.dumps(policies("cn-north-1"))
    assert "arn:aws-cn:ec2:cn-north-1:" in text
    assert "arn:aws:ec2" not in text


@pytest.mark.parametrize("attach_cni", [False, True])
def test_node_role_policies_are_aws_managed(attach_cni: bool) -> None:
    known = {f"arn:aws:iam::aws:policy{p['Path']}{name}"
             for name, p in json.loads(aws_managed_policies_data).items()}
    names = node_role_policies(attach_cni)
    assert {policy_arn(n, "us-west-2") for n in names} <= known
    assert ("AmazonEKS_CNI_Policy" in names) is attach_cni
    assert "AmazonEKSWorkerNodePolicy" in names
