"""Who may use the cluster and its keys, and how long logs are kept: the security settings the
control plane and the stack's VPC share."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import field_validator, model_validator

from eks_platform.cluster import access
from eks_platform.model import SettingsModel

IAM_PRINCIPAL = r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)/[\w+=,.@/-]+$"
AccessPolicyName = Literal["ClusterAdmin", "Admin", "AdminView", "Edit", "View"]
NodeVolumeKey = Literal["customer", "awsManaged"]

#: The retention periods CloudWatch Logs accepts (botocore's `logs` model, shape `Days`: "Possible
#: values are: 1, 3, 5, ..."); the tests parse that documentation and compare.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)
DEFAULT_LOG_RETENTION_DAYS = 365


def check_retention(days: int) -> int:
    """A retention period CloudWatch Logs accepts (it rejects any other number)."""
    if days not in LOG_RETENTION_DAYS:
        raise ValueError("CloudWatch Logs retention must be one of "
                         + ", ".join(str(d) for d in LOG_RETENTION_DAYS))
    return days


class AdminSettings(SettingsModel):
    """One IAM principal with Kubernetes access: an access entry and one access policy, for the
    whole cluster (no `namespaces`) or for the namespaces listed."""

    principal_arn: str
    """IAM role or user ARN (`arn:aws:iam::<account>:role/<name>`) given the access entry."""
    access_policy: AccessPolicyName
    """The EKS access policy: `ClusterAdmin` (cluster-admin; keep it for break-glass), `Admin`,
    `AdminView`, `Edit` or `View`."""
    namespaces: list[str] | None = None
    """Namespaces the policy applies to (EKS accepts a trailing `*` wildcard); unset: the whole
    cluster. `ClusterAdmin` is always cluster-wide."""

    @field_validator("principal_arn")
    @classmethod
    def _principal(cls, arn: str) -> str:
        return check_principals([arn])[0]

    @model_validator(mode="after")
    def _scope(self) -> AdminSettings:
        # The region only picks the partition of the ARN; the rules do not depend on it.
        access.access_grant(self.access_policy, "us-east-1", self.namespaces)
        return self

    def grant(self, region: str) -> access.AccessGrant:
        """The access policy association for this principal in the region's partition."""
        return access.access_grant(self.access_policy, region, self.namespaces)


def admin_entries(admins: Any) -> Any:
    """A plain ARN stays accepted, as cluster-wide ClusterAdmin (the setting's older form)."""
    if not isinstance(admins, list):
        return admins
    return [{"principalArn": item, "accessPolicy": "ClusterAdmin"} if isinstance(item, str)
            else item for item in admins]


def check_principals(arns: list[str]) -> list[str]:
    """IAM role or user ARNs (what key policies and access entries accept)."""
    for arn in arns:
        if not re.match(IAM_PRINCIPAL, arn):
            raise ValueError(f"{arn!r} is not an IAM role or user ARN")
    return arns


def check_unique_principals(admins: list[AdminSettings]) -> list[AdminSettings]:
    """EKS has one access entry per principal."""
    arns = [admin.principal_arn for admin in admins]
    repeated = sorted({arn for arn in arns if arns.count(arn) > 1})
    if repeated:
        raise ValueError(f"each principal has one access entry; repeated: {', '.join(repeated)}")
    return admins
