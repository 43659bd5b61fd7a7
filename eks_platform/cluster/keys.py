"""The customer managed KMS keys the package creates, and the identity that administers them.

The key policies (`kms_policy`) deny ScheduleKeyDeletion and DisableKey to everyone but the key
administrators, so the identity running `pulumi up` must be one: otherwise `pulumi destroy`
could not schedule the key's deletion. That identity is read from STS at deploy time; an
assumed-role session (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is turned into
its role's ARN by IAM's session context, because key policies name roles, not sessions.
It is read once per program run, as the program starts registering resources (blocking
invokes, answered by the recording mocks offline), so it can also be compared with the
cluster's admins (`EksCluster.deployer_access`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from eks_platform.cluster import kms_policy

#: Days a deleted key stays recoverable (the maximum KMS allows).
DELETION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Deployer:
    """Who runs the program: its account and its IAM ARN (a role's, not a session's)."""

    account_id: str
    arn: str


#: The deployer of this program run (each run, and each offline synthesis, is its own context).
_DEPLOYER: ContextVar[Deployer | None] = ContextVar("eks_platform_deployer", default=None)


def deployer(parent: pulumi.Resource) -> Deployer:
    """The identity running `pulumi up`, asked of STS and IAM once per run."""
    known = _DEPLOYER.get()
    if known is None:
        invoke = pulumi.InvokeOptions(parent=parent)
        caller = aws.get_caller_identity(opts=invoke)
        session = aws.iam.get_session_context(arn=caller.arn, opts=invoke)
        known = Deployer(account_id=caller.account_id, arn=session.issuer_arn)
        _DEPLOYER.set(known)
    return known


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


@dataclass(frozen=True)
class KeyContext:
    """What every key of one component shares: administrators, Region, tags, options."""

    deployer: Deployer
    region: str
    extra_admins: Sequence[str]
    tags: Mapping[str, str]
    opts: pulumi.ResourceOptions


def secrets_key(name: str, context: KeyContext, *, cluster_role_arn: pulumi.Input[str],
                description: str) -> aws.kms.Key:
    """The key for Kubernetes secrets: the cluster role uses it through EKS, and the deployer
    (which calls CreateCluster) may grant it to EKS."""
    deployer, region = context.deployer, context.region
    policy = pulumi.Output.all(deployer.account_id, deployer.arn, cluster_role_arn).apply(
        lambda v: kms_policy.secrets_key_policy(
            v[0], region, admins=key_admins(v[1], context.extra_admins), users=[v[2]],
            cluster_creators=[v[1]]))
    return customer_key(name, description=description, policy=policy, tags=context.tags,
                        opts=context.opts)


def logs_key(name: str, context: KeyContext, *, log_group_name: str,
             description: str) -> aws.kms.Key:
    """A key CloudWatch Logs may use for one log group only (named before it exists)."""
    deployer, region = context.deployer, context.region
    policy = pulumi.Output.all(deployer.account_id, deployer.arn).apply(
        lambda v: kms_policy.logs_key_policy(
            v[0], region, admins=key_admins(v[1], context.extra_admins),
            log_groups=[kms_policy.log_group_arn(v[0], region, log_group_name)]))
    return customer_key(name, description=description, policy=policy, tags=context.tags,
                        opts=context.opts)


def node_volume_key(name: str, context: KeyContext, *, description: str) -> aws.kms.Key:
    """A key for node volumes, which EC2 Auto Scaling's service-linked role uses through EC2."""
    deployer, region = context.deployer, context.region
    policy = pulumi.Output.all(deployer.account_id, deployer.arn).apply(
        lambda v: kms_policy.ebs_key_policy(
            v[0], region, admins=key_admins(v[1], context.extra_admins)))
    return customer_key(name, description=description, policy=policy, tags=context.tags,
                        opts=context.opts)
