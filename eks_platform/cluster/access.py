"""EKS access policies for access entries, by short name, with their access scope (pure).

An access entry gives an IAM principal Kubernetes permissions through one or more EKS access
policies, each associated with a scope: the whole cluster, or a list of namespaces. The
catalogue below is the one the EKS user guide lists ("Review access policy permissions",
`latest/ug/manage-access/k8s-access/access-policy-reference.adoc` in awsdocs/amazon-eks-user-guide)
for people; the EKS-internal policies (Auto Mode, hybrid nodes, storage/network/compute
controllers) are left out because no person should be given them. Scope types are botocore's
`AccessScopeType` enum (`cluster`, `namespace`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from eks_platform.addons.registry import partition_of

ScopeType = Literal["cluster", "namespace"]

#: Short name -> EKS access policy name. The guide: ClusterAdmin is "typically" the cluster,
#: Admin "typically" namespaces; Edit and View work at either scope.
ACCESS_POLICIES: Final[dict[str, str]] = {
    "ClusterAdmin": "AmazonEKSClusterAdminPolicy",
    "Admin": "AmazonEKSAdminPolicy",
    "AdminView": "AmazonEKSAdminViewPolicy",
    "Edit": "AmazonEKSEditPolicy",
    "View": "AmazonEKSViewPolicy",
}
#: Package rule, stricter than the API: cluster-admin scoped to namespaces is a contradiction
#: (its cluster-scoped rules would be dropped), so the break-glass policy is cluster-wide only.
CLUSTER_ONLY: Final = frozenset({"ClusterAdmin"})

#: A Kubernetes namespace name (RFC 1123 label), or a prefix ending in `*`, which EKS accepts
#: as a wildcard (EKS user guide, "Associate access policies with access entries": `dev-*`).
_NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_NAMESPACE_PREFIX = re.compile(r"^[a-z0-9][-a-z0-9]{0,61}\*$")


@dataclass(frozen=True)
class AccessGrant:
    """One access policy association: what `aws.eks.AccessPolicyAssociation` takes."""

    policy_arn: str
    scope_type: ScopeType
    namespaces: tuple[str, ...] = ()


def access_policy_arn(short_name: str, region: str) -> str:
    """ARN of an EKS access policy by short name (`View`) in the Region's partition."""
    if short_name not in ACCESS_POLICIES:
        allowed = ", ".join(ACCESS_POLICIES)
        raise ValueError(f"access policy {short_name!r} is not one of: {allowed}")
    name = ACCESS_POLICIES[short_name]
    return f"arn:{partition_of(region)}:eks::aws:cluster-access-policy/{name}"


def _namespace_error(namespace: str) -> str | None:
    if _NAMESPACE.match(namespace) or _NAMESPACE_PREFIX.match(namespace):
        return None
    return (f"namespace {namespace!r} is not a Kubernetes namespace name (lowercase letters, "
            "digits and '-', at most 63) or such a prefix ending in '*'")


def access_grant(
    short_name: str, region: str, namespaces: Sequence[str] | None = None
) -> AccessGrant:
    """The association for an access policy: cluster scope without namespaces, else namespaces.

    Raises ValueError with one message naming the policy and what is allowed.
    """
    arn = access_policy_arn(short_name, region)
    if not namespaces:
        if namespaces is not None:
            raise ValueError(f"access policy {short_name}: namespaces is empty; leave it out for "
                             "cluster scope or name at least one namespace")
        return AccessGrant(arn, "cluster")
    if short_name in CLUSTER_ONLY:
        raise ValueError(f"access policy {short_name} is cluster-wide only; use Admin, Edit or "
                         "View to grant namespaces")
    for namespace in namespaces:
        if error := _namespace_error(namespace):
            raise ValueError(f"access policy {short_name}: {error}")
    if len(set(namespaces)) != len(namespaces):
        raise ValueError(f"access policy {short_name}: namespaces repeat")
    return AccessGrant(arn, "namespace", tuple(sorted(namespaces)))


@dataclass(frozen=True)
class EntryPlan:
    """One principal's way into the cluster: at most one access entry per principal.

    `create_entry` False: EKS already made the entry (the creator's bootstrap entry), so only
    the association is created on it. `grant` None: nothing to associate (the bootstrap entry
    already carries cluster-admin). `role`: `admin` (from `admins`) or `deployer`."""

    principal_arn: str
    role: Literal["admin", "deployer"]
    create_entry: bool
    grant: AccessGrant | None


def plan_entries(admins: Sequence[tuple[str, AccessGrant]], deployer_arn: str,
                 creator_has_entry: bool, region: str) -> list[EntryPlan]:
    """Entries and associations for the admins and the deployer, one entry per principal.

    `creator_has_entry`: EKS made the deployer (the cluster's creator) an entry with
    cluster-admin at creation, as `bootstrapClusterCreatorAdminPermissions` did for a running
    cluster or will do for a new one. Then an admin that is the deployer gets its policy
    associated with that entry, and the deployer needs nothing more; otherwise the deployer,
    unless it is an admin, gets its own entry with cluster-admin (EKS allows one access entry
    per IAM principal: a second one is refused with ResourceInUseException)."""
    plans = [EntryPlan(arn, "admin", not (creator_has_entry and arn == deployer_arn), grant)
             for arn, grant in admins]
    if deployer_arn not in {arn for arn, _ in admins} and not creator_has_entry:
        plans.append(EntryPlan(deployer_arn, "deployer", True,
                               access_grant("ClusterAdmin", region)))
    return plans
