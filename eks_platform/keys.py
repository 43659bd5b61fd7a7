"""The customer managed KMS keys the package creates, and the identity that administers them.

The key policies (`kms_policy`) deny ScheduleKeyDeletion and DisableKey to everyone but the key
administrators, so the identity running `pulumi up` must be one: otherwise `pulumi destroy`
could not schedule the key's deletion. That identity is read from STS at deploy time; an
assumed-role session (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is turned into
its role's ARN by IAM's session context, because key policies name roles, not sessions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

#: Days a deleted key stays recoverable (the maximum KMS allows).
DELETION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Deployer:
    """Who runs the program: its account and its IAM ARN (a role's, not a session's)."""

    account_id: pulumi.Output[str]
    arn: pulumi.Output[str]


def deployer(parent: pulumi.Resource) -> Deployer:
    """The identity running `pulumi up` (data sources, answered by the recording mocks)."""
    invoke = pulumi.InvokeOptions(parent=parent)
    caller = aws.get_caller_identity_output(opts=invoke)
    session = aws.iam.get_session_context_output(arn=caller.arn, opts=invoke)
    return Deployer(account_id=caller.account_id, arn=session.issuer_arn)


def key_admins(deployer_arn: str, extra: Sequence[str]) -> list[str]:
    """The deployer plus the configured `kmsKeyAdmins`, each once, sorted."""
    return sorted({deployer_arn, *extra})


def customer_key(
    name: str,
    *,
    description: str,
    policy: pulumi.Input[str],
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.kms.Key:
    """A symmetric key with yearly rotation and an explicit policy."""
    return aws.kms.Key(
        name, description=description, policy=policy, enable_key_rotation=True,
        deletion_window_in_days=DELETION_WINDOW_DAYS, tags=dict(tags), opts=opts)
