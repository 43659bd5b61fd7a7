"""EKS access policies by short name, with their scope, checked against the EKS API model."""

from __future__ import annotations

import botocore.model
import botocore.session
import pytest

from eks_platform.cluster import access
from tests.aws_models import service_model

EKS = service_model("eks")


def test_scope_types_are_the_eks_api_enum() -> None:
    shape = EKS.shape_for("AccessScopeType")
    assert isinstance(shape, botocore.model.StringShape)
    assert set(shape.enum) == {"cluster", "namespace"}


@pytest.mark.parametrize(("short", "region", "arn"), [
    ("ClusterAdmin", "eu-west-1",
     "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"),
    ("View", "cn-north-1", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"),
    ("Edit", "us-gov-west-1",
     "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"),
])
def test_policy_arn_is_in_the_region_partition(short: str, region: str, arn: str) -> None:
    assert access.access_policy_arn(short, region) == arn


def test_cluster_scope_without_namespaces() -> None:
    grant = access.access_grant("ClusterAdmin", "eu-west-1")
    assert grant == access.AccessGrant(
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster", ())


def test_namespace_scope_keeps_sorted_namespaces_and_wildcard_prefixes() -> None:
    grant = access.access_grant("Edit", "eu-west-1", ["team-b", "dev-*", "team-a"])
    assert grant.scope_type == "namespace"
    assert grant.namespaces == ("dev-*", "team-a", "team-b")
    assert grant.policy_arn.endswith("/AmazonEKSEditPolicy")


@pytest.mark.parametrize(("short", "namespaces", "message"), [
    ("Owner", None, "access policy 'Owner' is not one of: ClusterAdmin, Admin, AdminView, "
                    "Edit, View"),
    ("ClusterAdmin", ["prod"], "access policy ClusterAdmin is cluster-wide only; use Admin, "
                               "Edit or View to grant namespaces"),
    ("View", [], "access policy View: namespaces is empty; leave it out for cluster scope or "
                 "name at least one namespace"),
    ("Edit", ["Prod"], "access policy Edit: namespace 'Prod' is not a Kubernetes namespace "
                       "name (lowercase letters, digits and '-', at most 63) or such a prefix "
                       "ending in '*'"),
    ("Edit", ["*"], "namespace '*' is not"),
    ("Edit", ["a" * 64], "is not a Kubernetes namespace name"),
    ("Admin", ["a", "a"], "access policy Admin: namespaces repeat"),
])
def test_invalid_grants_name_the_policy_and_what_is_allowed(
    short: str, namespaces: list[str] | None, message: str
) -> None:
    with pytest.raises(ValueError) as error:
        access.access_grant(short, "eu-west-1", namespaces)
    assert message in str(error.value)
