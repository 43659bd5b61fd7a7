"""Preflight: AWS's answers (stubbed with botocore's Stubber, no network) against the stack."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from eks_platform.stack import preflight
from eks_platform.stack.preflight import (
    AwsAnswers,
    Clients,
    PreflightRequest,
    problems,
    run_preflight,
)
from tests.aws_models import botocore_session

REQUEST = PreflightRequest(
    region="us-east-1",
    kubernetes_version="1.33",
    addon_versions={"vpc-cni": "v1.19.2-eksbuild.1", "coredns": "v1.11.4-eksbuild.2"},
    instance_types=["m5.large", "m7g.large"],
    zone_ids=["use1-az1", "use1-az2"],
)


@cache
def client(service: str) -> Any:
    """One client per service for the module: loading EC2's service model takes a second;
    each test stubs it afresh."""
    session = boto3.Session(botocore_session=botocore_session(), region_name="us-east-1",
                            aws_access_key_id="testing",
                            aws_secret_access_key="testing")
    return session.client(service)  # type: ignore[call-overload]


@pytest.fixture
def stubbed() -> Iterator[tuple[Clients, Stubber, Stubber]]:
    clients = Clients(eks=client("eks"), ec2=client("ec2"))
    with Stubber(clients.eks) as eks, Stubber(clients.ec2) as ec2:
        yield clients, eks, ec2
        eks.assert_no_pending_responses()
        ec2.assert_no_pending_responses()


def versions(*entries: tuple[str, str]) -> dict[str, Any]:
    return {"clusterVersions": [{"clusterVersion": v, "versionStatus": s} for v, s in entries]}


def addon(name: str, *addon_versions: str) -> dict[str, Any]:
    return {"addons": [{"addonName": name, "addonVersions": [
        {"addonVersion": v, "compatibilities": [{"clusterVersion": "1.33"}]}
        for v in addon_versions]}]}


def offerings(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"InstanceTypeOfferings": [
        {"InstanceType": t, "LocationType": "availability-zone-id", "Location": z}
        for t, z in pairs]}


def expect_all(eks: Stubber, ec2: Stubber, *, cluster: dict[str, Any], cni: dict[str, Any],
               coredns: dict[str, Any], offers: dict[str, Any]) -> None:
    eks.add_response("describe_cluster_versions", cluster, {})
    eks.add_response("describe_addon_versions", coredns,
                     {"addonName": "coredns", "kubernetesVersion": "1.33"})
    eks.add_response("describe_addon_versions", cni,
                     {"addonName": "vpc-cni", "kubernetesVersion": "1.33"})
    ec2.add_response("describe_instance_type_offerings", offers, {
        "LocationType": "availability-zone-id",
        "Filters": [{"Name": "instance-type", "Values": ["m5.large", "m7g.large"]},
                    {"Name": "location", "Values": ["use1-az1", "use1-az2"]}]})


def test_everything_offered_means_no_problems(
        stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, ec2 = stubbed
    expect_all(eks, ec2,
               cluster=versions(("1.34", "STANDARD_SUPPORT"), ("1.33", "STANDARD_SUPPORT")),
               cni=addon("vpc-cni", "v1.20.0-eksbuild.1", "v1.19.2-eksbuild.1"),
               coredns=addon("coredns", "v1.11.4-eksbuild.2"),
               offers=offerings(("m5.large", "use1-az1"), ("m5.large", "use1-az2"),
                                ("m7g.large", "use1-az1"), ("m7g.large", "use1-az2")))
    assert run_preflight(REQUEST, clients) == []


def test_every_problem_is_listed(stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, ec2 = stubbed
    expect_all(eks, ec2,
               cluster=versions(("1.34", "STANDARD_SUPPORT"), ("1.32", "EXTENDED_SUPPORT"),
                                ("1.33", "UNSUPPORTED")),
               cni=addon("vpc-cni", "v1.20.0-eksbuild.1", "v1.19.3-eksbuild.1"),
               coredns={"addons": []},
               offers=offerings(("m5.large", "use1-az1"), ("m5.large", "use1-az2"),
                                ("m7g.large", "use1-az2")))
    found = run_preflight(REQUEST, clients)
    assert found == [
        "Kubernetes 1.33 is not offered by EKS in us-east-1 (offered: 1.32, 1.34)",
        "add-on coredns has no version for Kubernetes 1.33 in us-east-1",
        "add-on vpc-cni v1.19.2-eksbuild.1 is not available for Kubernetes 1.33 in us-east-1 "
        "(newest: v1.20.0-eksbuild.1, v1.19.3-eksbuild.1)",
        "instance type m7g.large is not offered in zone use1-az1 of us-east-1",
    ]
    assert preflight.message(found) == (
        "preflight: AWS would refuse this stack (4 problems):\n"
        "  - Kubernetes 1.33 is not offered by EKS in us-east-1 (offered: 1.32, 1.34)\n"
        "  - add-on coredns has no version for Kubernetes 1.33 in us-east-1\n"
        "  - add-on vpc-cni v1.19.2-eksbuild.1 is not available for Kubernetes 1.33 in us-east-1"
        " (newest: v1.20.0-eksbuild.1, v1.19.3-eksbuild.1)\n"
        "  - instance type m7g.large is not offered in zone use1-az1 of us-east-1")


def test_pages_are_followed(stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, _ = stubbed
    request = PreflightRequest(region="us-east-1", kubernetes_version="1.33",
                               addon_versions={"vpc-cni": "v1.18.0-eksbuild.1"})
    eks.add_response("describe_cluster_versions",
                     {**versions(("1.34", "STANDARD_SUPPORT")), "nextToken": "t"}, {})
    eks.add_response("describe_cluster_versions", versions(("1.33", "STANDARD_SUPPORT")),
                     {"nextToken": "t"})
    eks.add_response("describe_addon_versions",
                     {**addon("vpc-cni", "v1.19.0-eksbuild.1"), "nextToken": "n"},
                     {"addonName": "vpc-cni", "kubernetesVersion": "1.33"})
    eks.add_response("describe_addon_versions", addon("vpc-cni", "v1.18.0-eksbuild.1"),
                     {"addonName": "vpc-cni", "kubernetesVersion": "1.33", "nextToken": "n"})
    assert run_preflight(request, clients) == []


def test_an_api_error_is_one_problem_not_a_traceback(
        stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, _ = stubbed
    eks.add_client_error("describe_cluster_versions", service_error_code="AccessDeniedException",
                         service_message="not authorized to perform eks:DescribeClusterVersions",
                         http_status_code=403)
    [problem] = run_preflight(REQUEST, clients)
    assert problem.startswith("preflight could not ask AWS in us-east-1: An error occurred "
                              "(AccessDeniedException)")


def test_check_raises_with_every_problem(stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, _ = stubbed
    request = PreflightRequest(region="us-east-1", kubernetes_version="1.29")
    eks.add_response("describe_cluster_versions", versions(("1.33", "STANDARD_SUPPORT")), {})
    with pytest.raises(preflight.PreflightError) as error:
        preflight.check(request, clients)
    assert str(error.value) == (
        "preflight: AWS would refuse this stack (1 problem):\n"
        "  - Kubernetes 1.29 is not offered by EKS in us-east-1 (offered: 1.33)")


def test_pure_core_without_clients() -> None:
    answers = AwsAnswers(cluster_versions={"1.33"}, addon_versions={},
                         offerings={"m5.large": {"use1-az1"}})
    request = PreflightRequest(region="us-east-1", kubernetes_version="1.33",
                               instance_types=["m5.large"], zone_ids=["use1-az1", "use1-az6"])
    assert problems(request, answers) == [
        "instance type m5.large is not offered in zone use1-az6 of us-east-1"]


def test_no_calls_under_the_plans_mocks() -> None:
    from eks_platform.tools.synth import synthesize

    seen: list[bool] = []

    def program() -> None:
        seen.append(preflight.under_mocks())
        # No clients and mocks on: nothing is asked (there are no credentials here).
        preflight.check(PreflightRequest(region="us-east-1", kubernetes_version="0.1"))

    synthesize(program, {})
    assert seen == [True]


def test_a_real_engine_is_not_mocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi.runtime import settings

    monkeypatch.setattr(settings, "get_monitor", lambda: object())  # a gRPC stub in `pulumi up`
    assert not preflight.under_mocks()


def test_existing_subnets_are_checked_in_their_zones(
        stubbed: tuple[Clients, Stubber, Stubber]) -> None:
    clients, eks, ec2 = stubbed
    request = PreflightRequest(region="us-east-1", kubernetes_version="1.33",
                               instance_types=["m5.large"],
                               subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])
    eks.add_response("describe_cluster_versions", versions(("1.33", "STANDARD_SUPPORT")))
    ec2.add_response("describe_subnets", {"Subnets": [
        {"SubnetId": "subnet-0123456789abcdef0", "AvailabilityZoneId": "use1-az3"},
        {"SubnetId": "subnet-0123456789abcdef1", "AvailabilityZoneId": "use1-az1"}]},
        {"SubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]})
    ec2.add_response("describe_instance_type_offerings", offerings(("m5.large", "use1-az1")), {
        "LocationType": "availability-zone-id",
        "Filters": [{"Name": "instance-type", "Values": ["m5.large"]},
                    {"Name": "location", "Values": ["use1-az1", "use1-az3"]}]})
    assert run_preflight(request, clients) == [
        "instance type m5.large is not offered in zone use1-az3 of us-east-1"]


def test_key_admins_of_another_account_and_a_missing_autoscaling_role() -> None:
    """KMS ignores key management granted to another account's principals (KMS developer
    guide, cross-account access), and refuses a key policy naming a role that does not exist
    (the node-volume key names EC2 Auto Scaling's service-linked role)."""
    request = PreflightRequest(
        region="us-east-1", kubernetes_version="1.35",
        key_admins=["arn:aws:iam::123456789012:role/ok", "arn:aws:iam::444455556666:role/far"],
        needs_autoscaling_role=True)
    clients = Clients(eks=client("eks"), ec2=client("ec2"), sts=client("sts"),
                      iam=client("iam"))
    with Stubber(clients.eks) as eks, Stubber(clients.sts) as sts, \
            Stubber(clients.iam) as iam:
        eks.add_response("describe_cluster_versions", versions(("1.35", "STANDARD_SUPPORT")))
        sts.add_response("get_caller_identity", {"Account": "123456789012",
                                                 "Arn": "arn:aws:iam::123456789012:user/ci",
                                                 "UserId": "AIDACI"})
        iam.add_client_error("get_role", service_error_code="NoSuchEntity",
                             expected_params={"RoleName": "AWSServiceRoleForAutoScaling"})
        found = run_preflight(request, clients)
    assert found == [
        "kmsKeyAdmins arn:aws:iam::444455556666:role/far are not in account 123456789012: KMS "
        "ignores key-management permissions given to another account's principals; name a "
        "role of this account",
        "the node-volume key's policy names AWSServiceRoleForAutoScaling, which this account "
        "does not have yet: run `aws iam create-service-linked-role --aws-service-name "
        "autoscaling.amazonaws.com` once (or set nodeVolumeKmsKey: awsManaged)"]


def test_karpenter_spot_pools_need_the_ec2_spot_service_linked_role() -> None:
    """CreateFleet for spot fails with AuthFailure.ServiceLinkedRoleCreationNotPermitted when
    the account lacks AWSServiceRoleForEC2Spot (Karpenter's troubleshooting guide)."""
    from tests.conftest import stack_settings

    request = preflight.request_for(stack_settings("dev"))
    assert request.spot_pools == ("general", "arm")  # dev's pools allow spot
    clients = Clients(eks=client("eks"), ec2=client("ec2"), iam=client("iam"))
    request = PreflightRequest(region="us-east-1", kubernetes_version="1.35",
                               spot_pools=("general",))
    with Stubber(clients.eks) as eks, Stubber(clients.iam) as iam:
        eks.add_response("describe_cluster_versions", versions(("1.35", "STANDARD_SUPPORT")))
        iam.add_client_error("get_role", service_error_code="NoSuchEntity",
                             expected_params={"RoleName": "AWSServiceRoleForEC2Spot"})
        found = run_preflight(request, clients)
    assert found == [
        "Karpenter pool(s) general launch spot instances, which needs the service-linked role "
        "AWSServiceRoleForEC2Spot that this account does not have yet (CreateFleet fails with "
        "AuthFailure.ServiceLinkedRoleCreationNotPermitted): run `aws iam "
        "create-service-linked-role --aws-service-name spot.amazonaws.com` once"]
    with Stubber(clients.eks) as eks, Stubber(clients.iam) as iam:
        eks.add_response("describe_cluster_versions", versions(("1.35", "STANDARD_SUPPORT")))
        iam.add_response("get_role", {"Role": {
            "Path": "/aws-service-role/spot.amazonaws.com/",
            "RoleName": "AWSServiceRoleForEC2Spot", "RoleId": "AROAEXAMPLEEXAMPLE01",
            "Arn": "arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/"
                   "AWSServiceRoleForEC2Spot", "CreateDate": "2024-01-01T00:00:00Z"}},
            expected_params={"RoleName": "AWSServiceRoleForEC2Spot"})
        assert run_preflight(request, clients) == []
