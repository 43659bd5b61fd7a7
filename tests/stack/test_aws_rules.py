"""What AWS would reject is a settings error, in the stack file and in the library's Args.

Expected limits come from the APIs' own rules, written here independently of the code: EKS's
CreateNodegroup (labels, taints, reserved label prefixes), terraform-provider-aws's
`node_group_name_prefix` (at most 63 - 26 = 37 characters), AWS tagging (50 per resource, no
`aws:` prefix), IANA's special-purpose ranges, and the add-on minimums of the EKS user guide.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eks_platform import EksClusterArgs, EndpointSettings, ManagedNodeGroupArgs
from eks_platform.stack import NodeGroupSettings, SettingsError, parse
from eks_platform.tools.synth import synthesize
from tests.clusters import SUBNETS, demo_cluster

NODE_GROUP = {"name": "general", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3}
BASE: dict[str, Any] = {"aws:region": "us-west-2", "eks-platform:nodeGroups": [NODE_GROUP]}
SOURCE = "stacks/Pulumi.test.yaml"
HEAD = f"invalid stack settings in {SOURCE}:\n  "


def with_(changes: dict[str, Any]) -> dict[str, Any]:
    """BASE with `changes` (`eks_platform__key` -> `eks-platform:key`, `aws__x` -> `aws:x`)."""
    config = copy.deepcopy(BASE)
    config.update({k.replace("eks_platform", "eks-platform").replace("__", ":"): v
                   for k, v in changes.items()})
    return config


def problem(**changes: Any) -> str:
    """The one-problem message of BASE with `changes`."""
    config = with_(changes)
    with pytest.raises(SettingsError) as info:
        parse(config, SOURCE)
    message = str(info.value)
    assert message.startswith(HEAD) and message.count("\n") == 1, message
    return message.removeprefix(HEAD)


def group(**fields: Any) -> list[dict[str, Any]]:
    return [{**NODE_GROUP, **fields}]


def accepted(**changes: Any) -> None:
    parse(with_(changes), SOURCE)


# --- node group names ----------------------------------------------------------------------


def test_a_node_group_name_fits_eks_prefix_of_37_characters_with_its_dash() -> None:
    accepted(eks_platform__nodeGroups=group(name="a" * 36))
    assert problem(eks_platform__nodeGroups=group(name="a" * 37)) == (
        'eks-platform:nodeGroups[0].name = "' + "a" * 37 + '": 37 characters, at most 36: '
        "EKS names the group '<name>-' plus a 26-character suffix, and that prefix may be at "
        "most 37 characters")


def test_the_library_gets_the_same_name_rule() -> None:
    seen: list[str] = []

    def program() -> None:
        try:
            ManagedNodeGroupArgs(cluster=demo_cluster(), name="b" * 37,
                                 instance_types=["m5.large"])
        except SettingsError as error:
            seen.append(str(error))

    synthesize(program, {"aws:region": "us-east-1"})
    assert seen == ["invalid arguments to ManagedNodeGroupArgs:\n  ManagedNodeGroupArgs.name = "
                    '"' + "b" * 37 + '": 37 characters, at most 36: EKS names the group '
                    "'<name>-' plus a 26-character suffix, and that prefix may be at most 37 "
                    "characters"]


# --- labels and taints ---------------------------------------------------------------------


@pytest.mark.parametrize(("labels", "expected"), [
    ({"node.kubernetes.io/role": "x"},
     'eks-platform:nodeGroups[0].labels.node.kubernetes.io/role = "x": label key '
     "'node.kubernetes.io/role' uses the reserved prefix kubernetes.io/: EKS node groups refuse "
     "labels under kubernetes.io/, k8s.io/, eks.amazonaws.com/"),
    ({"team": ""},
     'eks-platform:nodeGroups[0].labels.team = "": label \'team\': EKS node group labels need a '
     "non-empty value"),
    ({"team": "a b"},
     'eks-platform:nodeGroups[0].labels.team = "a b": label \'team\' value \'a b\' must be empty '
     "or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an "
     "alphanumeric character"),
    ({"Example.com/team": "x"},
     'eks-platform:nodeGroups[0].labels.Example.com/team = "x": label key '
     "'Example.com/team': the prefix 'Example.com' must be a DNS subdomain (lower-case "
     "alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character)"),
    ({"example.com/" + "t" * 52: "x"},
     'eks-platform:nodeGroups[0].labels.example.com/' + "t" * 52 + ' = "x": label key '
     "'example.com/" + "t" * 52 + "' is 64 characters; EKS allows at most 63 including the "
     "prefix"),
])
def test_node_group_labels_eks_refuses(labels: dict[str, str], expected: str) -> None:
    assert problem(eks_platform__nodeGroups=group(labels=labels)) == expected


def test_node_group_labels_eks_accepts() -> None:
    accepted(eks_platform__nodeGroups=group(labels={
        "team": "platform", "example.com/tier": "web-1", "x" * 63: "y" * 63}))


@pytest.mark.parametrize(("taint", "expected"), [
    ({"key": "dedicated", "value": "a b", "effect": "NO_SCHEDULE"},
     'eks-platform:nodeGroups[0].taints[0].value = "a b": taint value \'a b\' must be empty or '
     "consist of alphanumeric characters, '-', '_' or '.', starting and ending with an "
     "alphanumeric character"),
    ({"key": "a/b/c", "effect": "NO_SCHEDULE"},
     'eks-platform:nodeGroups[0].taints[0].key = "a/b/c": taint key \'a/b/c\' has more than '
     "one '/': a key is [prefix/]name"),
    # Kubernetes' NoSchedule is accepted too (test_taint_spelling); other spellings are not.
    ({"key": "dedicated", "effect": "NOSCHEDULE"},
     'eks-platform:nodeGroups[0].taints[0].effect = "NOSCHEDULE": Input should be '
     "'NO_SCHEDULE', 'NO_EXECUTE' or 'PREFER_NO_SCHEDULE'"),
])
def test_taints_eks_refuses(taint: dict[str, str], expected: str) -> None:
    assert problem(eks_platform__nodeGroups=group(taints=[taint])) == expected


def test_at_most_50_taints() -> None:
    taints = [{"key": f"k{i}", "effect": "NO_SCHEDULE"} for i in range(51)]
    assert problem(eks_platform__nodeGroups=group(taints=taints)).startswith(
        "eks-platform:nodeGroups[0].taints = ")
    accepted(eks_platform__nodeGroups=group(taints=taints[:50]))


def test_taint_rules_reach_the_library() -> None:
    with pytest.raises(SettingsError) as info:
        NodeGroupSettings(name="g", instance_types=["m5.large"],
                          taints=[{"key": "-bad", "effect": "NO_SCHEDULE"}])
    assert "NodeGroupSettings.taints[0].key = \"-bad\": taint key '-bad': the name part" \
        in str(info.value)


def test_fargate_selector_labels_are_kubernetes_labels_at_most_5() -> None:
    def profiles(labels: dict[str, str]) -> list[dict[str, Any]]:
        return [{"name": "apps", "selectors": [{"namespace": "apps", "labels": labels}]}]

    assert problem(eks_platform__fargateProfiles=profiles({"app": "a b"})) == (
        'eks-platform:fargateProfiles[0].selectors[0].labels.app = "a b": label \'app\' value '
        "'a b' must be empty or consist of alphanumeric characters, '-', '_' or '.', starting "
        "and ending with an alphanumeric character")
    six = {f"k{i}": "v" for i in range(6)}
    assert problem(eks_platform__fargateProfiles=profiles(six)) == (
        "eks-platform:fargateProfiles[0].selectors[0].labels = {...}: 6 labels, at most 5 per "
        "Fargate selector")
    # Pod labels may use kubernetes.io keys: only node groups reserve them.
    accepted(eks_platform__fargateProfiles=profiles({"app.kubernetes.io/name": "web"}))


# --- tags ----------------------------------------------------------------------------------


def test_stack_tags_leave_room_for_the_six_the_platform_adds() -> None:
    tags = {f"k{i}": "v" for i in range(45)}
    assert problem(eks_platform__tags=tags) == (
        "eks-platform:tags = {...}: 45 tags, at most 44: AWS allows 50 per resource and "
        "eks-platform adds up to 6 of its own (eks-platform/stack, eks-platform/cluster, "
        "kubernetes.io/role/[internal-]elb, kubernetes.io/cluster/<name>, "
        "karpenter.sh/discovery, Name)")
    accepted(eks_platform__tags=dict(list(tags.items())[:44]))


def test_no_resource_of_any_stack_carries_more_package_tags_than_reserved(stack: str) -> None:
    from eks_platform.stack import PlatformSettings
    from tests.conftest import stack_graph, stack_settings

    user = set(stack_settings(stack).tags)
    added = [set(r.inputs["tags"]) - user for r in stack_graph(stack).resources
             if isinstance(r.inputs.get("tags"), dict)]
    assert added and max(map(len, added)) <= len(PlatformSettings.PACKAGE_TAGS)


def test_library_cluster_tags_leave_room_for_the_node_group_tag() -> None:
    tags = {f"k{i}": "v" for i in range(50)}
    with pytest.raises(SettingsError) as info:
        EksClusterArgs(name="demo", region="us-east-1", subnet_ids=SUBNETS, tags=tags)
    assert "EksClusterArgs.tags = {...}: 50 tags, at most 49" in str(info.value)
    EksClusterArgs(name="demo", region="us-east-1", subnet_ids=SUBNETS,
                   tags=dict(list(tags.items())[:49]))


@pytest.mark.parametrize(("tags", "expected"), [
    ({"AWS:team": "x"},
     'eks-platform:tags.AWS:team = "x": tag key \'AWS:team\': the aws: prefix is reserved for AWS'),
    ({"team": "aws:x"},
     'eks-platform:tags.team = "aws:x": tag \'team\' value \'aws:x\': the aws: prefix is '
     "reserved for AWS"),
    ({"k" * 129: "x"},
     f'eks-platform:tags.{"k" * 129} = "x": tag key \'{"k" * 129}\' is 129 characters, at most '
     "128 allowed"),
    ({"team": "v" * 257},
     f'eks-platform:tags.team = "{"v" * 257}": tag \'team\' value is 257 characters, at most '
     "256 allowed"),
    ({"team": "a;b"},
     'eks-platform:tags.team = "a;b": tag \'team\' value \'a;b\': only letters, numbers, spaces '
     "and _ . : / = + - @ are allowed"),
])
def test_tags_aws_refuses(tags: dict[str, str], expected: str) -> None:
    assert problem(eks_platform__tags=tags) == expected


# --- publicAccessCidrs -----------------------------------------------------------------------


def endpoint(*cidrs: str) -> dict[str, Any]:
    return {"publicAccess": True, "publicAccessCidrs": list(cidrs)}


def test_a_private_range_can_never_reach_the_public_endpoint() -> None:
    assert problem(eks_platform__endpoint=endpoint("192.0.3.0/24", "10.1.0.0/16")) == (
        'eks-platform:endpoint.publicAccessCidrs[1] = "10.1.0.0/16": \'10.1.0.0/16\' is inside '
        "10.0.0.0/8, private (RFC 1918): clients reach the public endpoint from public addresses, "
        "so this entry can never match; use a public range or a private endpoint")


def test_ipv6_public_ranges_only_on_ipv6_clusters() -> None:
    assert problem(eks_platform__endpoint=endpoint("2600:1f18::/32")) == (
        'eks-platform:endpoint.publicAccessCidrs[0] = "2600:1f18::/32": \'2600:1f18::/32\' is '
        "an IPv6 range; EKS accepts IPv6 public access CIDRs only on IPv6 clusters (ipFamily: "
        "ipv6)")
    accepted(eks_platform__endpoint=endpoint("2600:1f18::/32"), eks_platform__ipFamily="ipv6",
             eks_platform__subnetIds=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
             eks_platform__cni={"prefixDelegation": True})


def test_public_ranges_in_the_library() -> None:
    with pytest.raises(SettingsError) as info:
        EndpointSettings(public_access=True, public_access_cidrs=["100.64.0.0/16"])
    assert ("EndpointSettings.public_access_cidrs[0] = \"100.64.0.0/16\": '100.64.0.0/16' is "
            "inside 100.64.0.0/10, shared address space") in str(info.value)


# --- add-on versions that cannot do what the stack asks ------------------------------------


def test_prefix_delegation_needs_vpc_cni_1_9() -> None:
    cni = {"prefixDelegation": True}
    assert problem(eks_platform__cni=cni,
                   eks_platform__addons={"vpcCni": {"version": "v1.8.0-eksbuild.1"}}) == (
        'eks-platform:addons.vpcCni.version = "v1.8.0-eksbuild.1": prefix delegation needs '
        "vpc-cni >= 1.9.0; the pinned version v1.8.0-eksbuild.1 is 1.8.0")
    accepted(eks_platform__cni=cni,
             eks_platform__addons={"vpcCni": {"version": "v1.9.0-eksbuild.1"}})


def test_pod_identity_needs_vpc_cni_1_15_5() -> None:
    cni = {"iam": "podIdentity"}
    assert problem(eks_platform__cni=cni,
                   eks_platform__addons={"vpcCni": {"version": "v1.15.4-eksbuild.1"}}) == (
        'eks-platform:addons.vpcCni.version = "v1.15.4-eksbuild.1": Pod Identity needs vpc-cni '
        ">= 1.15.5; the pinned version v1.15.4-eksbuild.1 is 1.15.4")
    accepted(eks_platform__cni=cni,
             eks_platform__addons={"vpcCni": {"version": "v1.15.5-eksbuild.1"}})


def test_network_policy_needs_vpc_cni_1_14() -> None:
    assert problem(eks_platform__cni={"networkPolicy": True},
                   eks_platform__addons={"vpcCni": {"version": "v1.13.4-eksbuild.1"}}) == (
        'eks-platform:addons.vpcCni.version = "v1.13.4-eksbuild.1": network policy needs '
        "vpc-cni >= 1.14.0; the pinned version v1.13.4-eksbuild.1 is 1.13.4")


def test_ebs_csi_on_pod_identity_needs_1_26() -> None:
    addons = {"ebsCsiDriver": {"enabled": True, "version": "v1.25.0-eksbuild.1"}}
    assert problem(eks_platform__cni={"iam": "podIdentity"}, eks_platform__addons=addons) == (
        'eks-platform:addons.ebsCsiDriver.version = "v1.25.0-eksbuild.1": Pod Identity needs '
        "aws-ebs-csi-driver >= 1.26.0; the pinned version v1.25.0-eksbuild.1 is 1.25.0")
    accepted(eks_platform__addons=addons)  # IRSA: any version


def test_the_helm_chart_version_is_the_cni_version() -> None:
    cni = {"mode": "helm", "networkPolicy": True, "helm": {"chartVersion": "1.13.0"}}
    reachable = {"privateAccessCidrs": ["10.0.0.0/16"]}
    assert problem(eks_platform__cni=cni, eks_platform__endpoint=reachable) == (
        'eks-platform:cni.helm.chartVersion = "1.13.0": network policy needs vpc-cni >= 1.14.0; '
        "the pinned version 1.13.0 is 1.13.0 (the chart's version is the CNI's)")


# --- config namespaces ---------------------------------------------------------------------


def test_a_key_under_no_known_namespace_suggests_the_intended_key() -> None:
    config = {**copy.deepcopy(BASE), "eksplatform:clusterName": "x", "awz:profile": "p",
              "team:nodeGroups": []}
    with pytest.raises(SettingsError) as info:
        parse(config, SOURCE)
    assert str(info.value) == (
        f"invalid stack settings in {SOURCE}:\n"
        "  awz:profile: unknown namespace 'awz'; did you mean aws:profile?\n"
        "  eksplatform:clusterName: unknown namespace 'eksplatform'; did you mean "
        "eks-platform:clusterName?\n"
        "  team:nodeGroups: unknown namespace 'team'; did you mean eks-platform:nodeGroups?")


def test_provider_and_pulumi_namespaces_are_known() -> None:
    accepted(aws__profile="ops", kubernetes__context="x", pulumi__template="eks")


def test_a_library_addon_pinned_below_the_clusters_cni_features_is_refused() -> None:
    from eks_platform import CniSettings, EksAddonArgs

    seen: list[str] = []

    def program() -> None:
        cluster = demo_cluster(cni=CniSettings(prefix_delegation=True))
        try:
            EksAddonArgs(cluster=cluster, addon_name="vpc-cni", version="v1.8.0-eksbuild.1")
        except SettingsError as error:
            seen.append(str(error))
        EksAddonArgs(cluster=cluster, addon_name="vpc-cni", version="v1.9.0-eksbuild.1")

    synthesize(program, {"aws:region": "us-east-1"})
    assert seen == ["invalid arguments to EksAddonArgs:\n  EksAddonArgs.version = "
                    '"v1.8.0-eksbuild.1": prefix delegation needs vpc-cni >= 1.9.0; the pinned '
                    "version v1.8.0-eksbuild.1 is 1.8.0"]


def test_pod_identity_is_refused_in_the_china_regions() -> None:
    """EKS Pod Identity is not available in the China Regions (EKS user guide, China edition):
    the CNI's role, the agent and Karpenter's controller role all need it."""
    from tests.stack.test_settings import BASE, error_for

    china = {**BASE, "aws:region": "cn-north-1", "eks-platform:vpc": {"availabilityZones": 2}}
    assert error_for({**china, "eks-platform:cni": {"iam": "podIdentity"}}).splitlines()[1] == (
        '  eks-platform:cni.iam = "podIdentity": EKS Pod Identity is not available in '
        "cn-north-1 (China Regions): use cni.iam: irsa")
    assert "eks-platform:addons.podIdentityAgent.enabled = true: EKS Pod Identity is not " \
        "available in cn-north-1" in error_for(
            {**china, "eks-platform:addons": {"podIdentityAgent": {"enabled": True}}})
