"""One access entry per principal across the creator's bootstrap entry, the deployer's entry
and the admins, in every combination and every transition between them (EKS: an IAM principal
has at most one access entry; a second CreateAccessEntry fails with ResourceInUseException)."""

from __future__ import annotations

import itertools

import pytest

from eks_platform.cluster.access import access_grant, plan_entries
from eks_platform.cluster.security_settings import AdminSettings
from eks_platform.tools.synth import LiveState, synthesize
from eks_platform.tools.synth.mocks import DEPLOYER_ROLE
from tests.clusters import demo_cluster

ADMIN = "arn:aws:iam::123456789012:role/platform-admins"
DEPLOYER = "arn:aws:iam::123456789012:role/ci-deployer"
CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"


@pytest.mark.parametrize(("creator_entry", "deployer_is_admin", "other_admin"),
                         list(itertools.product([False, True], repeat=3)))
def test_at_most_one_entry_per_principal(creator_entry: bool, deployer_is_admin: bool,
                                         other_admin: bool) -> None:
    admins = ([(ADMIN, access_grant("View", "us-east-1"))] if other_admin else []) + (
        [(DEPLOYER, access_grant("Admin", "us-east-1"))] if deployer_is_admin else [])
    plans = plan_entries(admins, DEPLOYER, creator_entry, "us-east-1")
    created = [p.principal_arn for p in plans if p.create_entry]
    existing = [DEPLOYER] if creator_entry else []
    assert sorted(created + existing) == sorted(set(created + existing))
    # The deployer can always act in the cluster: by EKS's entry, its admin entry or its own.
    assert creator_entry or DEPLOYER in created
    deployer = [p for p in plans if p.principal_arn == DEPLOYER]
    if deployer_is_admin:
        assert [(p.create_entry, p.grant and p.grant.policy_arn) for p in deployer] == [
            (not creator_entry, ADMIN_POLICY)]
    elif creator_entry:
        assert deployer == []
    else:
        assert [(p.role, p.grant and p.grant.policy_arn) for p in deployer] == [
            ("deployer", CLUSTER_ADMIN)]


def test_admins_added_to_a_cluster_whose_creator_is_admin_reuse_its_entry() -> None:
    """The running cluster was created with the creator as admin (the package's default
    without admins); admins are added, one of them the deployer: EKS's entry gets the
    deployer's policy and no second entry is made for it, nor a `-deployer` one."""
    def program() -> None:
        cluster = demo_cluster(admins=[
            AdminSettings(principal_arn=ADMIN, access_policy="View"),
            AdminSettings(principal_arn=DEPLOYER_ROLE, access_policy="Admin")])
        assert cluster.provider is not None

    graph = synthesize(program, {"aws:region": "us-east-1"}, live_clusters={"demo": "1.34"},
                       live=LiveState(creator_admin_clusters=frozenset({"demo"})))
    entries = graph.of_type("aws:eks/accessEntry:AccessEntry")
    associations = graph.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert [e.inputs["principalArn"] for e in entries] == [ADMIN]
    assert sorted((a.inputs["principalArn"], a.inputs["policyArn"]) for a in associations) == [
        (DEPLOYER_ROLE, ADMIN_POLICY), (ADMIN,
                                        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")]
    deployer = next(a for a in associations if a.inputs["principalArn"] == DEPLOYER_ROLE)
    provider = graph.one("pulumi:providers:kubernetes")
    assert deployer.urn in provider.dependencies
