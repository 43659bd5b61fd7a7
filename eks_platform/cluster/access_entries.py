"""The resources of one planned access entry (`access.plan_entries`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws

from eks_platform.cluster.access import EntryPlan


def grant_access(name: str, plan: EntryPlan, cluster_name: pulumi.Input[str],
                 tags: dict[str, str],
                 opts: Callable[..., pulumi.ResourceOptions]) -> pulumi.Resource:
    """The principal's STANDARD access entry (unless EKS made it: the creator's bootstrap
    entry) and its access policy association; returns what grants the access last."""
    waits: list[pulumi.Resource] = []
    if plan.create_entry:
        waits.append(aws.eks.AccessEntry(
            name, cluster_name=cluster_name, principal_arn=plan.principal_arn,
            type="STANDARD", tags=tags, opts=opts()))
    if plan.grant is None:
        return waits[0]
    extra: dict[str, Any] = {"depends_on": waits} if waits else {}
    return aws.eks.AccessPolicyAssociation(
        name, cluster_name=cluster_name, principal_arn=plan.principal_arn,
        policy_arn=plan.grant.policy_arn,
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(
            type=plan.grant.scope_type, namespaces=list(plan.grant.namespaces) or None),
        opts=opts(**extra))
