"""Zones, endpoint reachability, encrypted values and the preflight, as the program runs them.

Zone facts come from moto's bundled DescribeAvailabilityZones data and the EKS user guide's
list of zone IDs that cannot host a cluster (network-reqs.html): use1-az3, usw1-az2, cac1-az3.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

from eks_platform.facts.zones import Zone
from eks_platform.network.vpc import Vpc, VpcArgs, ZoneChoiceError
from eks_platform.platform import EksPlatform, EksPlatformArgs
from eks_platform.stack import SettingsError, parse, preflight, read_stack_file
from eks_platform.tools.plan import render_text, to_json
from eks_platform.tools.synth import Graph, synthesize, synthesize_program
from eks_platform.tools.synth import run as synth_run
from eks_platform.tools.synth.mocks import RecordingMocks
from tests.clusters import demo_cluster
from tests.conftest import ROOT, stack_graph, stack_settings

ZONES = "aws:index/getAvailabilityZones:getAvailabilityZones"
#: EKS user guide, "VPC and subnet requirements": zones that cannot host cluster subnets.
REFUSED_BY_EKS = {"use1-az3", "usw1-az2", "cac1-az3"}


def moto_zone_ids(region: str) -> dict[str, str]:
    return {z.name: z.zone_id for z in RegionsAndZonesBackend.zones[region]}


# --- zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1"])
def test_the_mock_answers_zones_as_ec2_does_for_that_region(region: str) -> None:
    answer = RecordingMocks(region)._answer(ZONES, {"state": "available"})
    expected = sorted(moto_zone_ids(region).items())
    assert list(zip(answer["names"], answer["zoneIds"], strict=True)) == expected
    assert answer["region"] == region


def test_the_mock_narrows_by_zone_type_like_ec2() -> None:
    local = Zone("us-west-2-lax-1a", "usw2-lax1-az1", "local-zone")
    mocks = RecordingMocks("us-west-2", extra_zones=[local])
    everything = mocks._answer(ZONES, {})
    standard = mocks._answer(ZONES, {"filters": [{"name": "zone-type",
                                                  "values": ["availability-zone"]}]})
    assert "us-west-2-lax-1a" in everything["names"]
    assert standard["names"] == ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]


def subnet_zones(graph: Graph) -> list[str]:
    return [r.inputs["availabilityZone"] for r in graph.resources
            if r.type == "aws:ec2/subnet:Subnet"]


def test_no_stack_places_a_subnet_in_a_zone_eks_refuses_or_a_local_zone(stack: str) -> None:
    settings = stack_settings(stack)
    zones = subnet_zones(stack_graph(stack))
    if settings.subnet_ids is not None:
        assert zones == []
        return
    standard = moto_zone_ids(settings.region)
    assert zones and all(zone in standard for zone in zones)  # no Local/Wavelength Zone
    assert not {standard[zone] for zone in zones} & REFUSED_BY_EKS
    asked = settings.vpc.availability_zones if settings.vpc else 3
    assert len(set(zones)) == asked


def test_prod_in_us_east_1_uses_the_lowest_zone_ids_but_use1_az3() -> None:
    # moto: us-east-1b = use1-az1, 1c = use1-az2, 1d = use1-az4 (1e = use1-az3 is refused).
    assert sorted(set(subnet_zones(stack_graph("prod")))) == [
        "us-east-1b", "us-east-1c", "us-east-1d"]


def small_vpc(region: str, zones: int) -> None:
    Vpc("net", VpcArgs(cluster_name="demo", region=region, cidr=IPv4Network("10.0.0.0/16"),
                       availability_zones=zones))


def test_an_opted_in_local_zone_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    local = Zone("us-west-2-lax-1a", "usw2-lax1-az1", "local-zone")

    class WithLocalZone(RecordingMocks):
        def __init__(self, region: str, *args: Any) -> None:
            super().__init__(region, *args)
            self.extra_zones = (local,)

    monkeypatch.setattr(synth_run, "RecordingMocks", WithLocalZone)
    graph = synthesize(lambda: small_vpc("us-west-2", 4), {"aws:region": "us-west-2"})
    assert sorted(set(subnet_zones(graph))) == [
        "us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]
    _, asked = next(i for i in graph.invokes if i[0] == ZONES)
    assert asked["filters"] == [{"name": "zone-type", "values": ["availability-zone"]}]


def test_more_zones_than_the_account_sees_is_one_clear_error_at_deploy() -> None:
    with pytest.raises(ZoneChoiceError) as info:
        synthesize(lambda: small_vpc("us-west-1", 3), {"aws:region": "us-west-1"})
    assert str(info.value) == (
        "vpc.availabilityZones = 3: region us-west-1 has 2 availability zones EKS can use, "
        "fewer than the 3 asked for: us-west-1b (usw1-az1), us-west-1a (usw1-az3)")


def test_more_zones_than_the_region_has_is_a_settings_error_offline() -> None:
    config = {"aws:region": "us-west-1", "eks-platform:vpc": {"availabilityZones": 3},
              "eks-platform:nodeGroups": [{"name": "g", "instanceTypes": ["m5.large"]}]}
    with pytest.raises(SettingsError) as info:
        parse(config, "stacks/Pulumi.x.yaml")
    assert str(info.value).endswith(
        "  eks-platform:vpc.availabilityZones = 3: region us-west-1 has 2 availability zones "
        "EKS can use, fewer than the 3 asked for: us-west-1b (usw1-az1), us-west-1a (usw1-az3)")


# --- how `pulumi up` reaches the Kubernetes API -----------------------------------------------

HELM_NO_ENDPOINT = {"aws:region": "eu-west-1", "eks-platform:cni": {"mode": "helm"},
                    "eks-platform:nodeGroups": [{"name": "g", "instanceTypes": ["m5.large"]}]}


def test_a_helm_cni_without_a_way_to_the_api_says_what_to_add() -> None:
    with pytest.raises(SettingsError) as info:
        parse(HELM_NO_ENDPOINT, "stacks/Pulumi.x.yaml")
    assert str(info.value) == (
        "invalid stack settings in stacks/Pulumi.x.yaml:\n"
        '  eks-platform:endpoint = {...}: cni.mode \'helm\' installs the CNI through the '
        "Kubernetes API, so the machine running `pulumi up` must reach the cluster endpoint: "
        "set publicAccess: true with publicAccessCidrs (the deployer's public egress range), or "
        "privateAccessCidrs (the deployer's range inside the VPC or a network connected to it; "
        "it gets port 443 on the cluster security group)")


def test_a_private_path_opens_443_on_the_cluster_security_group_before_any_api_call() -> None:
    from eks_platform import CniSettings, SelfManagedVpcCni, SelfManagedVpcCniArgs
    from eks_platform.addons.cni import HelmCniSettings

    def program() -> None:
        cluster = demo_cluster(cni=CniSettings(mode="helm", helm=HelmCniSettings()),
                               endpoint={"privateAccessCidrs": ["10.99.0.0/16"]})
        SelfManagedVpcCni("cni", SelfManagedVpcCniArgs(cluster=cluster))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    [rule] = [r for r in graph.resources
              if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]
    assert {k: rule.inputs[k] for k in ("securityGroupId", "ipProtocol", "fromPort", "toPort",
                                        "cidrIpv4")} == {
        "securityGroupId": "sg-0cluster", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
        "cidrIpv4": "10.99.0.0/16"}
    [provider] = [r for r in graph.resources if r.type == "pulumi:providers:kubernetes"]
    assert rule.urn in provider.dependencies


def test_every_stack_talking_to_the_api_lets_the_deployer_reach_it(stack: str) -> None:
    graph = stack_graph(stack)
    talks = [r for r in graph.resources if r.type.startswith("kubernetes:")]
    if not talks:
        return
    [cluster] = [r for r in graph.resources if r.type == "aws:eks/cluster:Cluster"]
    vpc_config = cluster.inputs["vpcConfig"]
    public = vpc_config.get("endpointPublicAccess") and vpc_config.get("publicAccessCidrs")
    private = [r for r in graph.resources if r.type.endswith("SecurityGroupIngressRule")
               and r.inputs.get("fromPort") == 443]
    assert public or private, stack


def test_staging_is_reached_privately_from_its_ci_runners_network() -> None:
    graph = stack_graph("staging")
    [cluster] = [r for r in graph.resources if r.type == "aws:eks/cluster:Cluster"]
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    [rule] = [r for r in graph.resources if r.type.endswith("SecurityGroupIngressRule")
              and r.inputs.get("fromPort") == 443]
    assert (rule.inputs["cidrIpv4"], rule.inputs["toPort"]) == ("10.100.0.0/24", 443)


# --- {secure: ...} values ------------------------------------------------------------------------


def secret_stack(tmp_path: Path) -> Path:
    document = yaml.safe_load((ROOT / "stacks" / "Pulumi.dev.yaml").read_text())
    config = document["config"]
    config["eks-platform:admins"] = [{"principalArn": {"secure": "v1:AAAAbase64=="},
                                      "accessPolicy": "Admin"}]
    config["eks-platform:tags"]["cost-center"] = {"secure": "v1:BBBBbase64=="}
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def no_aws(*args: Any) -> Any:
    raise AssertionError("preflight asked AWS under mocks")


def test_encrypted_values_are_secrets_in_the_offline_plan_which_skips_preflight(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "default_clients", no_aws)
    monkeypatch.setattr(preflight, "run_preflight", no_aws)
    graph = synthesize_program(ROOT / "__main__.py", secret_stack(tmp_path))
    assert graph.secret_config == ["eks-platform:admins[0].principalArn",
                                   "eks-platform:tags.cost-center"]
    text = render_text(graph, "dev")
    assert ("Secret config (encrypted in the stack file: placeholders offline, decrypted and "
            "checked by `pulumi preview`)\n  eks-platform:admins[0].principalArn [secret]\n"
            "  eks-platform:tags.cost-center [secret]\n") in text
    assert to_json(graph, "dev")["secretConfig"] == {
        "eks-platform:admins[0].principalArn": "[secret]",
        "eks-platform:tags.cost-center": "[secret]"}
    principals = [r.inputs["principalArn"] for r in graph.resources
                  if r.type == "aws:eks/accessEntry:AccessEntry"]
    assert "arn:aws:iam::000000000000:role/secret" in principals


def test_only_the_offline_plan_substitutes_encrypted_values(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        parse(read_stack_file(secret_stack(tmp_path)), "x")
    assert str(info.value) == (
        "invalid stack settings in x:\n"
        "  eks-platform:admins[0].principalArn: an encrypted value ({secure: ...}) that only "
        "the Pulumi CLI decrypts: run `pulumi preview`, or the offline plan, which shows it as "
        "a secret\n"
        "  eks-platform:tags.cost-center: an encrypted value ({secure: ...}) that only the "
        "Pulumi CLI decrypts: run `pulumi preview`, or the offline plan, which shows it as a "
        "secret")


# --- preflight ---------------------------------------------------------------------------------


def test_the_program_asks_preflight_about_exactly_what_the_stack_needs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(preflight, "under_mocks", lambda: False)
    monkeypatch.setattr(preflight, "default_clients",
                        lambda region, profile: ("clients", region, profile))
    monkeypatch.setattr(preflight, "check", lambda request, clients: calls.append(
        (request, clients)))
    synthesize_program(ROOT / "__main__.py", ROOT / "stacks" / "Pulumi.prod.yaml")
    assert calls == [(preflight.PreflightRequest(
        region="us-east-1", kubernetes_version="1.35",
        addon_versions={"vpc-cni": "v1.19.2-eksbuild.1"},
        instance_types=["m5.2xlarge", "m5.large", "m6a.2xlarge", "m6i.2xlarge", "m6i.large"],
        zone_ids=("use1-az1", "use1-az2", "use1-az4"),
        key_admins=("arn:aws:iam::444455556666:role/break-glass",),
        needs_autoscaling_role=True), ("clients", "us-east-1", None))]


def test_a_failed_preflight_is_one_message_and_creates_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "under_mocks", lambda: False)
    monkeypatch.setattr(preflight, "default_clients", lambda region, profile: object())
    monkeypatch.setattr(preflight, "run_preflight", lambda request, clients: [
        "Kubernetes 1.34 is not offered by EKS in us-west-2 (offered: 1.35)"])
    seen: dict[str, Any] = {}

    def program() -> None:
        try:
            EksPlatform("eks", EksPlatformArgs(settings=stack_settings("dev"), stack="dev"))
        except pulumi.RunError as error:
            seen["error"] = str(error)

    graph = synthesize(program, {"aws:region": "us-west-2"})
    assert seen["error"] == (
        "preflight: AWS would refuse this stack (1 problem):\n"
        "  - Kubernetes 1.34 is not offered by EKS in us-west-2 (offered: 1.35)")
    assert [r.type for r in graph.resources] == ["eks-platform:platform:EksPlatform"]


@pytest.mark.parametrize(("stack", "pinned"), [
    ("dev", {}), ("staging", {}), ("prod", {"vpc-cni": "v1.19.2-eksbuild.1"})])
def test_preflight_checks_only_pinned_addons_that_are_installed(
        stack: str, pinned: dict[str, str]) -> None:
    # default/latest are resolved by EKS; staging's vpc-cni is the Helm chart, not an add-on.
    assert dict(preflight.request_for(stack_settings(stack)).addon_versions) == pinned


def test_preflight_asks_ec2_for_the_zones_of_existing_subnets() -> None:
    config = {"aws:region": "us-east-1",
              "eks-platform:subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
              "eks-platform:nodeGroups": [{"name": "g", "instanceTypes": ["m5.large"]}],
              "eks-platform:addons": {"coredns": {"version": "v1.11.4-eksbuild.2"}}}
    request = preflight.request_for(parse(config, "x"))
    assert request.subnet_ids == ("subnet-0123456789abcdef0", "subnet-0123456789abcdef1")
    assert request.zone_ids == ()
    assert dict(request.addon_versions) == {"coredns": "v1.11.4-eksbuild.2"}


def test_karpenter_also_needs_a_way_to_the_api() -> None:
    # dev runs Karpenter (its chart and NodePools go through the API); without its endpoint:
    config = read_stack_file(ROOT / "stacks" / "Pulumi.dev.yaml")
    assert config.pop("eks-platform:endpoint")
    with pytest.raises(SettingsError) as info:
        parse(config, "x")
    assert str(info.value) == (
        "invalid stack settings in x:\n"
        "  eks-platform:endpoint = {...}: karpenter.enabled installs Karpenter through the "
        "Kubernetes API, so the machine running `pulumi up` must reach the cluster endpoint: "
        "set publicAccess: true with publicAccessCidrs (the deployer's public egress range), or "
        "privateAccessCidrs (the deployer's range inside the VPC or a network connected to it; "
        "it gets port 443 on the cluster security group)")


def test_staging_routes_its_deployer_through_the_transit_gateway_before_any_helm_call() -> None:
    """A private-only stack that talks to the Kubernetes API reaches it from the deployer's
    network: VPC attached to the transit gateway, a route per private route table, port 443,
    and the Kubernetes provider waits for all of them."""
    settings = stack_settings("staging")
    graph = stack_graph("staging")
    (deployer,) = settings.endpoint.private_access_cidrs
    attachment = graph.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
    assert attachment.inputs["transitGatewayId"] == settings.vpc.transit_gateway_id  # type: ignore[union-attr]
    private_subnets = [s for s in graph.of_type("aws:ec2/subnet:Subnet") if "-private-" in s.name]
    assert len(attachment.inputs["subnetIds"]) == len(private_subnets) == 3
    routes = [r for r in graph.of_type("aws:ec2/route:Route") if "transitGatewayId" in r.inputs]
    tables = {t.urn for t in graph.of_type("aws:ec2/routeTable:RouteTable")
              if "-private-" in t.name}
    assert len(routes) == len(tables) == 3
    for route in routes:
        assert route.inputs["destinationCidrBlock"] == str(deployer)
        assert route.inputs["transitGatewayId"] == settings.vpc.transit_gateway_id  # type: ignore[union-attr]
        assert graph.depends_on(route, attachment)
    provider = graph.one("pulumi:providers:kubernetes")
    rule = graph.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert (rule.inputs["cidrIpv4"], rule.inputs["fromPort"]) == (str(deployer), 443)
    for needed in (rule, *routes):
        assert graph.depends_on(provider, needed)
    assert graph.depends_on(graph.one("kubernetes:helm.sh/v3:Release"), provider)


def test_a_deployer_outside_a_created_vpc_needs_a_transit_gateway() -> None:
    from tests.stack.test_settings import error_for, with_

    config = with_("eks-platform:endpoint.privateAccessCidrs", ["10.100.0.0/24"])
    config["eks-platform:cni"] = {"mode": "helm"}
    assert error_for(config).splitlines()[1] == (
        '  eks-platform:endpoint.privateAccessCidrs = ["10.100.0.0/24"]: outside the VPC '
        "10.0.0.0/16 this stack creates, so nothing routes the API's answers back: set "
        "vpc.transitGatewayId (the transit gateway the deployer's network is attached to; the "
        "stack attaches the VPC and adds the routes)")
    config["eks-platform:endpoint"] = {"privateAccessCidrs": ["10.0.200.0/24"]}
    parse(config, "Pulumi.test.yaml")  # a range inside the VPC needs no route
