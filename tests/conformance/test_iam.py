"""The IAM harness refuses what IAM refuses (moto's port of its checks) and names every
broken statement."""

from __future__ import annotations

import json
from typing import Any

from tests.conformance.iam import validate_policy

ACCOUNT = "123456789012"


def identity_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Describe",
                "Effect": "Allow",
                "Action": ["eks:DescribeCluster", "ec2:Describe*"],
                "Resource": "*",
            },
            {
                "Sid": "PassNodeRole",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": f"arn:aws:iam::{ACCOUNT}:role/dev-karpenter-node",
                "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
            },
        ],
    }


def trust_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
            }
        ],
    }


def key_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Id": "dev-secrets",
        "Statement": [
            {
                "Sid": "Account",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "Cluster",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/dev-cluster"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
            },
        ],
    }


def test_valid_policies_pass() -> None:
    assert validate_policy(identity_policy()) == []
    assert validate_policy(json.dumps(identity_policy())) == []
    assert validate_policy(trust_policy(), "trust") == []
    assert validate_policy(key_policy(), "resource") == []


def test_a_bad_action_format_is_refused_and_its_statement_named() -> None:
    policy = identity_policy()
    policy["Statement"][0]["Action"] = ["eks DescribeCluster"]
    policy["Statement"][1]["Action"] = "iam:Pass:Role"
    assert validate_policy(policy) == [
        "Statement[0] (Describe): Actions/Conditions must be prefaced by a vendor, "
        "e.g., iam, sdb, ec2, etc.",
        "Statement[1] (PassNodeRole): Actions/Condition can contain only one colon.",
    ]


def test_document_level_problems() -> None:
    policy = identity_policy()
    policy["Statement"][1]["Sid"] = "Describe"
    assert validate_policy(policy) == ["Statement IDs (SID) in a single policy must be unique."]
    assert validate_policy({**identity_policy(), "Version": "2008-10-17"}) == [
        "Policy document must be version 2012-10-17 or greater."
    ]
    assert validate_policy("{not json") == [
        "not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    ]


def test_statement_grammar() -> None:
    policy = identity_policy()
    policy["Statement"][0]["Effect"] = "Permit"
    policy["Statement"][1]["Condition"] = {"StringEqualz": {"aws:RequestedRegion": "eu-west-1"}}
    problems = validate_policy(policy)
    assert problems == [
        "Statement[0] (Describe): Syntax errors in policy.",
        "Statement[1] (PassNodeRole): Syntax errors in policy.",
    ]
    del policy["Statement"][0]["Effect"]
    policy["Statement"][1] = {"Effect": "Allow", "Action": "s3:GetObject"}
    assert validate_policy(policy) == [
        "Statement[0] (Describe): Syntax errors in policy.",
        "Statement[1]: Policy statement must contain resources.",
    ]


def test_resource_arns_are_checked() -> None:
    policy = identity_policy()
    policy["Statement"][1]["Resource"] = f"arn:aws:iam:eu-west-1:{ACCOUNT}:role/x"
    assert validate_policy(policy) == [
        "Statement[1] (PassNodeRole): IAM resource arn:aws:iam:eu-west-1:123456789012:role/x "
        "cannot contain region information."
    ]


def test_principal_rules_by_kind() -> None:
    with_principal = identity_policy()
    with_principal["Statement"][0]["Principal"] = {"AWS": "*"}
    assert validate_policy(with_principal) == [
        "Statement[0] (Describe): Policy document should not specify a principal."
    ]
    no_principal = key_policy()
    del no_principal["Statement"][1]["Principal"]
    no_principal["Statement"][0]["Principal"] = {"IAM": f"arn:aws:iam::{ACCOUNT}:root"}
    assert validate_policy(no_principal, "resource") == [
        "Statement[0] (Account): Principal: unknown principal type 'IAM'",
        "Statement[1] (Cluster): a trust or resource policy statement needs a Principal",
    ]


def test_trust_policies_allow_only_sts_actions_and_no_resource() -> None:
    policy = trust_policy()
    policy["Statement"][0]["Action"] = "iam:PassRole"
    policy["Statement"][0]["Resource"] = "*"
    assert validate_policy(policy, "trust") == [
        "Statement[0]: Trust Policy statement actions can only be sts:AssumeRole, "
        "sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
    ]


def test_the_size_quota_counts_without_whitespace() -> None:
    compact = len(json.dumps(identity_policy(), separators=(",", ":")))
    assert validate_policy(json.dumps(identity_policy(), indent=4), max_chars=compact) == []
    assert validate_policy(identity_policy(), max_chars=compact - 1) == [
        f"{compact} characters without whitespace, over the {compact - 1} quota"
    ]
