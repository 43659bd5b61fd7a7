"""Custom networking that gives pods addresses: a pod subnet and an ENIConfig per zone.

On a created VPC, `cni.customNetworking: true` alone adds a secondary CIDR block, one pod
subnet per zone routed through that zone's NAT like the node subnet, and one ENIConfig per
zone named after it; on existing subnets the stack names the pod subnets. Node groups wait
for the ENIConfigs, which wait for the CNI that installs their CRD (EKS user guide,
"Customize the secondary network interface in Amazon EKS nodes").
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from eks_platform.nodes import maxpods
from eks_platform.stack import SettingsError, parse
from eks_platform.tools.plan import render_text
from eks_platform.tools.synth import Graph, RecordedResource, synthesize_program
from eks_platform.tools.synth.mocks import RecordingMocks
from tests.conftest import ROOT, stack_graph, stack_settings

ENICONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig"
SUBNET = "aws:ec2/subnet:Subnet"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
NODEGROUP = "aws:eks/nodeGroup:NodeGroup"
ZONE_LABEL = "topology.kubernetes.io/zone"
GROUPS = [{"name": "general", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3}]


#: ENIConfigs go through the Kubernetes API: the deployer reaches it from this public range.
DEPLOYER = {"publicAccess": True, "publicAccessCidrs": ["192.0.3.0/24"]}


def config(cni: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"aws:region": "us-west-2", "eks-platform:cni": cni,
            "eks-platform:nodeGroups": GROUPS, "eks-platform:endpoint": DEPLOYER, **extra}


def plan(tmp_path: Path, settings: dict[str, Any]) -> Graph:
    stack_file = tmp_path / "Pulumi.pods.yaml"
    stack_file.write_text(yaml.safe_dump({"config": settings}))
    return synthesize_program(ROOT / "__main__.py", stack_file)


def subnet_of(graph: Graph, subnet_id: str) -> RecordedResource:
    return next(s for s in graph.of_type(SUBNET) if f"{s.name}-id" == subnet_id)


def route_table_of(graph: Graph, subnet: RecordedResource) -> str:
    [association] = [a for a in graph.of_type(ASSOCIATION)
                     if a.inputs["subnetId"] == f"{subnet.name}-id"]
    return str(association.inputs["routeTableId"])


def cni(graph: Graph, mode: str) -> RecordedResource:
    if mode == "helm":
        return graph.one("kubernetes:helm.sh/v3:Release")
    return next(a for a in graph.of_type("aws:eks/addon:Addon")
                if a.inputs["addonName"] == "vpc-cni")


CREATED_VPC: dict[str, dict[str, Any]] = {
    "managed": {"eks-platform:vpc": {"cidr": "10.40.0.0/16", "availabilityZones": 3}},
    "helm": {"eks-platform:vpc": {"cidr": "10.40.0.0/16", "availabilityZones": 3},
             "eks-platform:addons": {},
             "eks-platform:endpoint": {"privateAccessCidrs": ["10.40.0.0/16"]}},
}


@pytest.fixture(scope="module")
def created_vpc(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Graph]:
    """Custom networking alone on a created VPC of three zones, planned once per CNI mode."""
    graphs: dict[str, Graph] = {}

    def graph(mode: str) -> Graph:
        if mode not in graphs:
            graphs[mode] = plan(tmp_path_factory.mktemp(mode), config(
                {"customNetworking": True, "mode": mode}, **CREATED_VPC[mode]))
        return graphs[mode]

    return graph


@pytest.mark.parametrize("mode", ["managed", "helm"])
def test_created_vpc_gets_a_pod_subnet_and_eniconfig_per_zone(
        created_vpc: Callable[[str], Graph], mode: str) -> None:
    graph = created_vpc(mode)
    [secondary] = graph.of_type(
        "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")
    assert secondary.inputs["cidrBlock"] == "100.64.0.0/16"
    # Three zones of a /16: the first three of its four /18s.
    expected = [str(n) for n in ipaddress.ip_network("100.64.0.0/16").subnets(new_prefix=18)]
    # Named by zone; the VPC's zones by zone ID (moto: usw2-az1 is us-west-2b, az2 is 2a,
    # az3 is 2c), so index 0 is us-west-2b.
    order = {"eks-eniconfigs-us-west-2b": 0, "eks-eniconfigs-us-west-2a": 1,
             "eks-eniconfigs-us-west-2c": 2}
    eniconfigs = sorted(graph.of_type(ENICONFIG), key=lambda r: order[r.name])
    assert [e.inputs["metadata"]["name"] for e in eniconfigs] == [
        "us-west-2b", "us-west-2a", "us-west-2c"]
    for index, eniconfig in enumerate(eniconfigs):
        assert eniconfig.inputs["apiVersion"] == "crd.k8s.amazonaws.com/v1alpha1"
        assert eniconfig.inputs["kind"] == "ENIConfig"
        assert eniconfig.inputs["spec"]["securityGroups"] == ["sg-0cluster"]
        pod_subnet = subnet_of(graph, eniconfig.inputs["spec"]["subnet"])
        assert pod_subnet.inputs["cidrBlock"] == expected[index]
        zone = eniconfig.inputs["metadata"]["name"]
        assert pod_subnet.inputs["availabilityZone"] == zone
        assert graph.depends_on(pod_subnet, secondary)
        # Routed like the node subnet of its zone: the same NAT route table.
        [node_subnet] = [s for s in graph.of_type(SUBNET) if "private" in s.name
                         and s.inputs["availabilityZone"] == zone]
        assert route_table_of(graph, pod_subnet) == route_table_of(graph, node_subnet)
        # Through the cluster's Kubernetes provider, after the CNI that brings the CRD.
        assert eniconfig.provider_urn == graph.one("pulumi:providers:kubernetes").urn
        assert graph.depends_on(eniconfig, cni(graph, mode))
    for node_group in graph.of_type(NODEGROUP):
        assert all(graph.depends_on(node_group, e) for e in eniconfigs)


@pytest.mark.parametrize("mode", ["managed", "helm"])
def test_cni_selects_eniconfigs_by_zone_in_both_modes(
        created_vpc: Callable[[str], Graph], mode: str) -> None:
    graph = created_vpc(mode)
    resource = cni(graph, mode)
    if mode == "managed":
        env = json.loads(resource.inputs["configurationValues"])["env"]
    else:
        env = resource.inputs["values"]["env"]
    assert env["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"] == "true"
    assert env["ENI_CONFIG_LABEL_DEF"] == ZONE_LABEL


def test_max_pods_leave_out_the_primary_eni(created_vpc: Callable[[str], Graph]) -> None:
    graph = created_vpc("managed")
    limits = maxpods.lookup("m5.large")
    expected = (limits.default_card_enis - 1) * (limits.ipv4_per_eni - 1) + 2
    assert graph.outputs["nodeGroups"]["general"]["maxPods"] == expected == 20


def test_pod_cidr_is_configurable(tmp_path: Path) -> None:
    graph = plan(tmp_path, config({"customNetworking": True}, **{
        "eks-platform:vpc": {"availabilityZones": 2, "podCidr": "100.70.0.0/20"}}))
    cidrs = sorted(s.inputs["cidrBlock"] for s in graph.of_type(SUBNET) if "pods" in s.name)
    assert cidrs == ["100.70.0.0/21", "100.70.8.0/21"]


def test_pod_subnets_only_with_custom_networking(stack: str) -> None:
    graph, on = stack_graph(stack), stack_settings(stack).cni.custom_networking
    assert bool(graph.of_type(ENICONFIG)) == on
    assert bool([s for s in graph.of_type(SUBNET) if "pods" in s.name]) == on


# --- existing subnets: the stack names a pod subnet per zone ----------------------------------

NODE_SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
POD_SUBNETS = {"us-west-2a": "subnet-0bbbbbbbbbbbbbbb1", "us-west-2b": "subnet-0bbbbbbbbbbbbbbb2"}


def existing(pod_subnets: dict[str, str]) -> dict[str, Any]:
    return config({"customNetworking": True, "podSubnets": pod_subnets},
                  **{"eks-platform:subnetIds": NODE_SUBNETS})


def test_existing_subnets_get_eniconfigs_for_the_named_pod_subnets(tmp_path: Path) -> None:
    graph = plan(tmp_path, existing(POD_SUBNETS))
    eniconfigs = graph.of_type(ENICONFIG)
    assert {e.inputs["metadata"]["name"]: e.inputs["spec"]["subnet"] for e in eniconfigs} == \
        POD_SUBNETS
    [node_group] = graph.of_type(NODEGROUP)
    assert all(graph.depends_on(node_group, e) for e in eniconfigs)
    # The zones of existing node subnets are EC2's to say: checked at deploy.
    assert type(node_group.inputs["subnetIds"]).__name__ == "Unknown"


def test_node_zone_without_a_pod_subnet_fails_the_deployment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zones = dict(zip(NODE_SUBNETS, ["us-west-2a", "us-west-2c"], strict=True))
    monkeypatch.setattr(RecordingMocks, "known_at_deploy_only",
                        lambda self, token, inputs: False)
    real_answer = RecordingMocks._answer

    def answer(self: RecordingMocks, token: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if token == "aws:ec2/getSubnet:getSubnet":
            return {"id": inputs["id"], "availabilityZone": zones[inputs["id"]]}
        return real_answer(self, token, inputs)

    monkeypatch.setattr(RecordingMocks, "_answer", answer)
    with pytest.raises(Exception) as info:
        plan(tmp_path, existing(POD_SUBNETS))
    assert "eks-platform:cni.podSubnets has no pod subnet for zone(s) us-west-2c of the node " \
        "subnets (subnetIds): nodes there would get no pod addresses" in str(info.value)


# --- settings: one message naming the key ------------------------------------------------------

@pytest.mark.parametrize(("settings", "line"), [
    (config({}, **{"eks-platform:vpc": {"podCidr": "100.64.0.0/16"}}),
     'eks-platform:vpc.podCidr = "100.64.0.0/16": vpc.podCidr only applies with '
     "cni.customNetworking: true"),
    (config({"customNetworking": True}, **{"eks-platform:vpc": {
        "cidr": "10.0.0.0/16", "podCidr": "192.168.0.0/16"}}),
     'eks-platform:vpc.podCidr = "192.168.0.0/16": a VPC on 10.0.0.0/16 cannot add a CIDR '
     "block from 192.168.0.0/16 (EC2 restricts secondary blocks of that range); use "
     "100.64.0.0/16 or another block of 100.64.0.0/10"),
    (config({"customNetworking": True}, **{"eks-platform:vpc": {
        "cidr": "10.0.0.0/16", "podCidr": "10.0.0.0/17"}}),
     'eks-platform:vpc.podCidr = "10.0.0.0/17": podCidr 10.0.0.0/17 overlaps the VPC CIDR '
     "10.0.0.0/16; use a separate range such as 100.64.0.0/16"),
    (config({"customNetworking": True}, **{"eks-platform:vpc": {"podCidr": "100.64.0.0/28"}}),
     'eks-platform:vpc.podCidr = "100.64.0.0/28": podCidr 100.64.0.0/28 is too small for 3 '
     "zones: each pod subnet would be smaller than /28"),
    (config({"customNetworking": True}, **{"eks-platform:subnetIds": NODE_SUBNETS}),
     "eks-platform:cni.customNetworking = true: customNetworking on existing subnetIds needs "
     "cni.podSubnets: {zone: subnet-id}, one pod subnet for each zone of the node subnets"),
    (config({"customNetworking": True, "podSubnets": POD_SUBNETS}),
     "eks-platform:cni.podSubnets = {...}: cni.podSubnets is for existing subnets (subnetIds); "
     "with a VPC the stack creates, pod subnets come from vpc.podCidr"),
    (existing({"eu-west-1a": "subnet-0bbbbbbbbbbbbbbb1"}),
     'eks-platform:cni.podSubnets.eu-west-1a = "subnet-0bbbbbbbbbbbbbbb1": \'eu-west-1a\' is '
     "not an availability zone of us-west-2 (e.g. us-west-2a)"),
    (existing({"us-west-2a": "sg-0123"}),
     "eks-platform:cni.podSubnets.us-west-2a = \"sg-0123\": 'sg-0123' is not a subnet ID "
     "(subnet-0123456789abcdef0)"),
    (config({"podSubnets": POD_SUBNETS}, **{"eks-platform:subnetIds": NODE_SUBNETS}),
     "eks-platform:cni = {...}: podSubnets only applies with customNetworking: true"),
], ids=["cidr-without-cn", "rfc1918", "overlap", "too-small", "no-pod-subnets",
        "pod-subnets-on-created-vpc", "zone-of-another-region", "not-a-subnet",
        "pod-subnets-without-cn"])
def test_custom_networking_settings_errors(settings: dict[str, Any], line: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse(settings, "stacks/Pulumi.pods.yaml")
    assert info.value.problems == [line]


def test_plan_text_shows_each_zones_eniconfig_and_pod_subnet(
        created_vpc: Callable[[str], Graph]) -> None:
    text = render_text(created_vpc("managed"), "pods")
    section = text.split("Pod subnets (custom networking: zone: ENIConfig -> subnet)\n")[1]
    assert section.split("\n\n")[0].splitlines() == [
        f"  us-west-2{zone}: ENIConfig eks-eniconfigs-us-west-2{zone} -> pod subnet "
        f"eks-net-pods-{i} ({cidr}); security groups sg-0cluster"
        for zone, i, cidr in [("a", 1, "100.64.64.0/18"), ("b", 0, "100.64.0.0/18"),
                              ("c", 2, "100.64.128.0/18")]]
    assert "Pod subnets" not in render_text(stack_graph("dev"), "dev")


# --- the library: EniConfigs with `cluster=` -----------------------------------------------------

def test_library_eniconfigs_come_before_node_groups() -> None:
    from eks_platform import CniSettings, EksAddon, EksAddonArgs, EniConfigs, EniConfigsArgs
    from eks_platform.nodes.nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
    from eks_platform.tools.synth import synthesize
    from tests.clusters import demo_cluster

    def program() -> None:
        cluster = demo_cluster(cni=CniSettings(custom_networking=True))
        for addon in ("vpc-cni", "kube-proxy"):
            EksAddon(addon, EksAddonArgs(cluster=cluster, addon_name=addon))
        EniConfigs("pods", EniConfigsArgs(cluster=cluster, pod_subnets=POD_SUBNETS,
                                          security_group_ids=["sg-0pods"]))
        group = ManagedNodeGroup("general", ManagedNodeGroupArgs(
            cluster=cluster, name="general", instance_types=["m5.large"], target_pods=36,
            max_size=3))
        pulumi.export("desired", group.desired_size)

    graph = synthesize(program, {"aws:region": "us-west-2"})
    eniconfigs = graph.of_type(ENICONFIG)
    assert {e.inputs["metadata"]["name"]: (e.inputs["spec"]["subnet"],
                                           e.inputs["spec"]["securityGroups"])
            for e in eniconfigs} == {zone: (subnet, ["sg-0pods"])
                                     for zone, subnet in POD_SUBNETS.items()}
    [node_group] = graph.of_type(NODEGROUP)
    assert all(graph.depends_on(node_group, e) for e in eniconfigs)
    assert all(graph.depends_on(e, cni(graph, "managed")) for e in eniconfigs)
    # ENIConfigs are no DaemonSet: 20 max pods - aws-node, kube-proxy = 18 per node -> 2 nodes
    # (counting the ENIConfigs too would leave 17 and ask for 3).
    assert graph.outputs["desired"] == 2


def test_library_eniconfigs_need_custom_networking() -> None:
    from eks_platform import EniConfigs, EniConfigsArgs
    from eks_platform.tools.synth import synthesize
    from tests.clusters import demo_cluster

    problems: list[str] = []

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        try:
            EniConfigs("pods", EniConfigsArgs(cluster=cluster, pod_subnets=POD_SUBNETS))
        except SettingsError as error:
            problems.extend(error.problems)

    synthesize(program, {"aws:region": "us-west-2"})
    assert len(problems) == 1
    assert problems[0].startswith("EniConfigsArgs.cluster = ")
    assert problems[0].endswith(": ENIConfigs need cni.customNetworking: true (otherwise the "
                                "CNI ignores them and gives pods addresses from the node's "
                                "subnet)")


@pytest.mark.parametrize(("vpc", "pods", "refused"), [
    ("10.0.0.0/16", "100.64.0.0/16", None),
    ("10.0.0.0/16", "10.1.0.0/16", None),  # the VPC's own RFC 1918 range
    ("10.0.0.0/16", "172.16.0.0/16", "172.16.0.0/12"),
    ("172.20.0.0/16", "192.168.0.0/16", "192.168.0.0/16"),
    ("192.168.0.0/16", "10.0.0.0/16", "10.0.0.0/8"),
    ("52.0.0.0/16", "10.0.0.0/16", "10.0.0.0/8"),  # a publicly routable VPC
    ("10.0.0.0/16", "198.19.0.0/20", "198.19.0.0/16"),
    ("172.20.0.0/16", "172.31.0.0/16", "172.31.0.0/16"),
])
def test_secondary_block_association_restrictions(vpc: str, pods: str,
                                                  refused: str | None) -> None:
    """The Amazon VPC user guide's table of IPv4 CIDR block association restrictions."""
    from ipaddress import IPv4Network

    from eks_platform.network.settings import secondary_cidr_problem

    problem = secondary_cidr_problem(IPv4Network(vpc), IPv4Network(pods))
    if refused is None:
        assert problem is None
    else:
        assert problem is not None and f"from {refused}" in problem


def test_eniconfigs_need_a_way_for_the_deployer_to_the_api() -> None:
    settings = config({"customNetworking": True})
    del settings["eks-platform:endpoint"]
    with pytest.raises(SettingsError) as info:
        parse(settings, "Pulumi.pods.yaml")
    assert str(info.value).splitlines()[1].startswith(
        "  eks-platform:endpoint = {...}: cni.customNetworking creates the ENIConfigs through "
        "the Kubernetes API, so the machine running `pulumi up` must reach the cluster endpoint")
