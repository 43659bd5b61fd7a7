"""KMS key policies for the keys the package creates (pure: ARNs in, JSON out).

Each policy separates three kinds of access, as the AWS KMS developer guide ("Default key
policy") lays them out:

* the account (`arn:<partition>:iam::<account>:root`) keeps `kms:*`, so IAM policies in the
  account still govern the key and it can never become unmanageable;
* key administrators manage the key but cannot use it for cryptography;
* key users (or a service principal) may only use it, and only through the service the key is
  for (`kms:ViaService`, or the service principal with its encryption context).

Deleting or disabling the key is denied to every principal that is not an administrator. The
deny is explicit because the account statement would otherwise let any IAM principal with
`kms:ScheduleKeyDeletion` in an identity policy do it. The deny leaves `kms:PutKeyPolicy` with
the account, so the policy itself can still be repaired if every administrator role is lost.
KMS refuses a new policy that would lock out the principal setting it, so the identity that
deploys the stack must be one of the administrators.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from eks_platform.addons.registry import dns_suffix, partition_of

#: Management without cryptographic use. The KMS developer guide's default policy gives
#: administrators `kms:Create*`, which includes `kms:CreateGrant` and so a way to use the key;
#: here every action is named and CreateGrant/RetireGrant are left out. Every name is a KMS API
#: operation (checked against botocore's KMS model in the tests).
ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)
#: Cryptographic use (the "Allow use of the key" statement of the default key policy).
USE_ACTIONS = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
)
#: Grants AWS services create for resources that use the key (EBS volumes, EKS clusters).
GRANT_ACTIONS = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")
#: Actions that make the key unusable: only administrators may call them.
DESTRUCTIVE_ACTIONS = (
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ScheduleKeyDeletion",
)
#: The service-linked role EC2 Auto Scaling (and so every managed node group) launches with.
AUTOSCALING_SERVICE_ROLE = (
    "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)


def _document(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def _arns(values: Sequence[str], what: str) -> list[str]:
    if not values:
        raise ValueError(f"a key policy needs at least one {what} ARN")
    return sorted(set(values))


def account_root(account_id: str, region: str) -> str:
    """The account principal, through which IAM policies in the account apply to the key."""
    return f"arn:{partition_of(region)}:iam::{account_id}:root"


def autoscaling_service_role(account_id: str, region: str) -> str:
    """ARN of AWSServiceRoleForAutoScaling, which launches managed node groups' instances."""
    return f"arn:{partition_of(region)}:iam::{account_id}:{AUTOSCALING_SERVICE_ROLE}"


def via_service(service: str, region: str) -> str:
    """The `kms:ViaService` value for a service in the Region: `ec2.us-east-1.amazonaws.com`."""
    return f"{service}.{region}.{dns_suffix(region)}"


def _management(account_id: str, region: str, admins: Sequence[str]) -> list[dict[str, Any]]:
    """The statements every key shares: account, administrators, deny of destruction."""
    administrators = _arns(admins, "administrator")
    return [
        {
            "Sid": "AccountKeepsKeyManageable",
            "Effect": "Allow",
            "Principal": {"AWS": account_root(account_id, region)},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "KeyAdministrators",
            "Effect": "Allow",
            "Principal": {"AWS": administrators},
            "Action": list(ADMIN_ACTIONS),
            "Resource": "*",
        },
        {
            "Sid": "OnlyAdministratorsDisableOrDelete",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": list(DESTRUCTIVE_ACTIONS),
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": administrators}},
        },
    ]


def _users_via(
    users: Sequence[str], service: str, account_id: str, region: str
) -> list[dict[str, Any]]:
    """Use of the key, and grants for AWS resources, only through `service` in this account."""
    principals = _arns(users, "key user")
    through = {
        "kms:ViaService": via_service(service, region),
        "kms:CallerAccount": account_id,
    }
    return [
        {
            "Sid": "KeyUsersThroughService",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": list(USE_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": through},
        },
        {
            "Sid": "KeyUsersGrantsForAwsResources",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": list(GRANT_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringEquals": through,
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        },
    ]


def secrets_key_policy(
    account_id: str,
    region: str,
    *,
    admins: Sequence[str],
    users: Sequence[str],
    cluster_creators: Sequence[str],
) -> str:
    """Policy of the key that envelope-encrypts the cluster's Kubernetes secrets.

    `users` (the cluster IAM role) may use the key only through EKS in this Region. The
    principals that call CreateCluster need `kms:DescribeKey` and `kms:CreateGrant`; the EKS
    user guide ("Encrypt Kubernetes secrets with KMS on existing clusters") says
    `kms:GrantIsForAWSResource` is not supported for that call, so their grant is conditioned
    on `kms:ViaService` EKS instead: EKS makes the grant with the caller's credentials, and the
    caller cannot make one for itself directly (and so give itself Decrypt).

    EKS also checks the key's health as the cluster role in a session of its own, calling
    `kms:DescribeKey` and `kms:ListGrants` directly (not through another service), and a
    version upgrade re-checks the key the same way; those two read-only calls are allowed to
    `users` without the `kms:ViaService` condition (terraform-aws-eks #1913, #2309;
    aws/containers-roadmap #1533).
    """
    creators = _arns(cluster_creators, "cluster creator")
    return _document([
        *_management(account_id, region, admins),
        *_users_via(users, "eks", account_id, region),
        {
            "Sid": "ClusterRoleKeyHealthChecks",
            "Effect": "Allow",
            "Principal": {"AWS": _arns(users, "key user")},
            "Action": ["kms:DescribeKey", "kms:ListGrants"],
            "Resource": "*",
        },
        {
            "Sid": "ClusterCreatorsDescribeKey",
            "Effect": "Allow",
            "Principal": {"AWS": creators},
            "Action": "kms:DescribeKey",
            "Resource": "*",
        },
        {
            "Sid": "ClusterCreatorsGrantThroughEks",
            "Effect": "Allow",
            "Principal": {"AWS": creators},
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": via_service("eks", region)}},
        },
    ])


def log_group_arn(account_id: str, region: str, name: str) -> str:
    """ARN of a CloudWatch Logs log group, as KMS sees it in `aws:logs:arn` (no `:*`)."""
    return f"arn:{partition_of(region)}:logs:{region}:{account_id}:log-group:{name}"


def logs_key_policy(
    account_id: str, region: str, *, admins: Sequence[str], log_groups: Sequence[str]
) -> str:
    """Policy of the key that encrypts CloudWatch Logs log groups (control plane, flow logs).

    CloudWatch Logs uses the key as its Regional service principal, and only for the named log
    groups: the `kms:EncryptionContext:aws:logs:arn` condition the CloudWatch Logs user guide
    ("Encrypt log data in CloudWatch Logs using AWS KMS") prescribes. `log_groups` are log
    group ARNs (see `log_group_arn`).
    """
    groups = _arns(log_groups, "log group")
    return _document([
        *_management(account_id, region, admins),
        {
            "Sid": "CloudWatchLogsForTheseLogGroups",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.{dns_suffix(region)}"},
            "Action": [
                "kms:Decrypt*",
                "kms:Describe*",
                "kms:Encrypt*",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
            ],
            "Resource": "*",
            "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": groups}},
        },
    ])


def ebs_key_policy(
    account_id: str,
    region: str,
    *,
    admins: Sequence[str],
    users: Sequence[str] | None = None,
) -> str:
    """Policy of the key that encrypts node volumes.

    Managed node groups launch through EC2 Auto Scaling, whose service-linked role must be able
    to use the key and create grants for the volumes (EC2 Auto Scaling user guide, "Required
    AWS KMS key policy for use with encrypted volumes"). `users` defaults to that role; add
    others (for example a Karpenter controller role) that launch instances themselves. Use is
    limited to EC2 in this Region.
    """
    principals = list(users) if users else [autoscaling_service_role(account_id, region)]
    return _document([
        *_management(account_id, region, admins),
        *_users_via(principals, "ec2", account_id, region),
    ])
