"""EKS managed add-ons: version requests, configuration JSON, IAM roles, the Addon resource.

Expected JSON and ARNs are written out here, not rebuilt with the module's own helpers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from eks_platform.addons.cni import CniSettings, addon_configuration
from eks_platform.addons.component import (
    EksAddon,
    EksAddonArgs,
    addon_version,
    configuration_values,
    coredns_configuration,
    kube_proxy_configuration,
    resolve_version_request,
)
from eks_platform.cluster.service_account_role import ServiceAccountRoleArgs, cni_policies
from eks_platform.errors import SettingsError
from eks_platform.stack import AddonSettings, CorednsSettings, KubeProxySettings
from eks_platform.tools.synth import RESOLVED_AT_DEPLOY, Graph, synthesize
from tests.clusters import demo_cluster

# --- recording harness ------------------------------------------------------------------------

ADDON_TYPE = "aws:eks/addon:Addon"
ROLE_TYPE = "aws:iam/role:Role"
ATTACHMENT_TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INLINE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy"
#: What the shared mocks answer for `getAddonVersion` (`mostRecent` false / true).
DEFAULT_VERSION = f"{RESOLVED_AT_DEPLOY} (default)"
LATEST_VERSION = f"{RESOLVED_AT_DEPLOY} (latest)"
ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-cni"
OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123"


def _synth(program: Callable[[], None], region: str = "us-east-1") -> Graph:
    return synthesize(program, {"aws:region": region})


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[aws.eks.GetAddonVersionResult]:
    """What EKS answered to each `getAddonVersion` (the mocks echo the invoke's arguments)."""
    answers: list[aws.eks.GetAddonVersionResult] = []
    lookup = aws.eks.get_addon_version_output

    def spy(**kwargs: Any) -> pulumi.Output[aws.eks.GetAddonVersionResult]:
        def record(answer: aws.eks.GetAddonVersionResult) -> aws.eks.GetAddonVersionResult:
            answers.append(answer)
            return answer

        return lookup(**kwargs).apply(record)

    monkeypatch.setattr(aws.eks, "get_addon_version_output", spy)
    return answers


# --- version requests ---------------------------------------------------------------------------

def test_default_version_asks_eks_for_its_default() -> None:
    assert resolve_version_request(AddonSettings()) == (None, False)


def test_latest_version_asks_for_the_most_recent() -> None:
    assert resolve_version_request(AddonSettings(version="latest")) == (None, True)


def test_pinned_version_is_used_as_is() -> None:
    settings = AddonSettings(version="v1.19.0-eksbuild.1")
    assert resolve_version_request(settings) == ("v1.19.0-eksbuild.1", False)


# --- configuration values -----------------------------------------------------------------------

def test_coredns_configuration_on_ec2_nodes() -> None:
    configuration = coredns_configuration(CorednsSettings(replica_count=3), fargate_only=False)
    assert configuration_values(configuration) == '{"replicaCount":3}'


def test_coredns_runs_on_fargate_on_a_fargate_only_cluster() -> None:
    configuration = coredns_configuration(CorednsSettings(), fargate_only=True)
    assert configuration_values(configuration) == '{"computeType":"Fargate","replicaCount":2}'


def test_kube_proxy_configuration_is_omitted_without_a_mode() -> None:
    assert kube_proxy_configuration(KubeProxySettings()) == {}
    assert configuration_values(kube_proxy_configuration(KubeProxySettings())) is None


def test_kube_proxy_mode_when_set() -> None:
    configuration = kube_proxy_configuration(KubeProxySettings(mode="ipvs"))
    assert configuration_values(configuration) == '{"mode":"ipvs"}'


def test_no_configuration_is_none_not_empty_json() -> None:
    assert configuration_values(None) is None
    assert configuration_values({}) is None


def test_vpc_cni_configuration_json_is_exact_and_sorted() -> None:
    cni = CniSettings(prefix_delegation=True, warm_prefix_target=1, max_enis=4)
    text = configuration_values(addon_configuration(cni))
    assert text == (
        '{"enableNetworkPolicy":"false","env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"false",'
        '"ENABLE_PREFIX_DELEGATION":"true","MAX_ENI":"4","WARM_PREFIX_TARGET":"1"}}'
    )


def test_cni_policies_by_ip_family() -> None:
    assert cni_policies("ipv4", "us-east-1") == (("AmazonEKS_CNI_Policy",), None)
    managed, inline = cni_policies("ipv6", "us-east-1")
    assert managed == ()
    assert inline is not None
    assert "ec2:AssignIpv6Addresses" in json.loads(inline)["Statement"][0]["Action"]


# --- argument validation ------------------------------------------------------------------------

def test_addon_args_validate_like_the_stack_file() -> None:
    def program() -> None:
        cluster = demo_cluster()
        with pytest.raises(SettingsError) as info:
            EksAddonArgs(cluster=cluster, addon_name="coredns", version="1.11",
                         resolve_conflicts_on_update="MERGE")
        assert str(info.value).splitlines()[0] == "invalid arguments to EksAddonArgs:"
        assert str(info.value).splitlines()[1].startswith('  EksAddonArgs.version = "1.11": ')
        assert "resolve_conflicts_on_update" in str(info.value)

    _synth(program)


def test_addon_that_runs_pods_needs_compute_first() -> None:
    def program() -> None:
        cluster = demo_cluster()
        with pytest.raises(ValueError, match="create it after the node groups or Fargate"):
            EksAddon("coredns", EksAddonArgs(cluster=cluster, addon_name="coredns"))

    _synth(program)


def test_irsa_role_needs_the_oidc_provider() -> None:
    with pytest.raises(ValueError, match="OIDC"):
        ServiceAccountRoleArgs(
            namespace="kube-system", service_account="aws-node", region="us-east-1", mode="irsa"
        )


# --- EksAddon under mocks -----------------------------------------------------------------------

def _addon(settings: AddonSettings, **extra: Any) -> Graph:
    """One coredns add-on of cluster `demo`; its `version` output is exported as `version`."""

    def program() -> None:
        cluster = demo_cluster(tags={"team": "platform"})
        nodes = aws.iam.Role("nodes", assume_role_policy="{}")
        addon = EksAddon("coredns", EksAddonArgs(
            cluster=cluster, addon_name="coredns", **settings.model_dump(), **extra,
        ), opts=pulumi.ResourceOptions(depends_on=[nodes]))
        pulumi.export("version", addon.version)

    return _synth(program)


def test_addon_with_default_version(lookups: list[aws.eks.GetAddonVersionResult]) -> None:
    graph = _addon(
        AddonSettings(),
        configuration=coredns_configuration(CorednsSettings(), fargate_only=True),
    )
    addon = graph.one(ADDON_TYPE)
    inputs = addon.inputs
    assert inputs["addonName"] == "coredns"
    assert inputs["clusterName"] == "demo"
    assert inputs["addonVersion"] == DEFAULT_VERSION
    assert inputs["resolveConflictsOnCreate"] == "OVERWRITE"
    assert inputs["resolveConflictsOnUpdate"] == "OVERWRITE"
    assert inputs["preserve"] is False
    assert inputs["configurationValues"] == '{"computeType":"Fargate","replicaCount":2}'
    assert inputs["tags"] == {"team": "platform"}
    assert "serviceAccountRoleArn" not in inputs
    assert "podIdentityAssociations" not in inputs
    assert graph.outputs["version"] == DEFAULT_VERSION
    assert "eks-platform:addons:EksAddon$aws:eks/addon:Addon::coredns" in addon.urn
    assert addon.parent == graph.one("eks-platform:addons:EksAddon", "coredns").urn
    (lookup,) = lookups
    assert lookup.addon_name == "coredns"
    assert lookup.kubernetes_version == "1.34"
    assert lookup.most_recent is False


def test_addon_latest_version_asks_for_most_recent(
    lookups: list[aws.eks.GetAddonVersionResult],
) -> None:
    graph = _addon(AddonSettings(version="latest"))
    (lookup,) = lookups
    assert lookup.most_recent is True
    assert graph.one(ADDON_TYPE).inputs["addonVersion"] == LATEST_VERSION
    assert graph.outputs["version"] == LATEST_VERSION


def test_addon_pinned_version_needs_no_lookup(
    lookups: list[aws.eks.GetAddonVersionResult],
) -> None:
    graph = _addon(AddonSettings(version="v1.11.4-eksbuild.2"))
    assert graph.outputs["version"] == "v1.11.4-eksbuild.2"
    assert graph.one(ADDON_TYPE).inputs["addonVersion"] == "v1.11.4-eksbuild.2"
    assert lookups == []


def test_addon_conflict_settings_and_no_configuration() -> None:
    settings = AddonSettings(
        resolve_conflicts_on_create="NONE", resolve_conflicts_on_update="PRESERVE",
        preserve=True,
    )
    graph = _addon(settings, configuration=kube_proxy_configuration(KubeProxySettings()))
    inputs = graph.one(ADDON_TYPE).inputs
    assert inputs["resolveConflictsOnCreate"] == "NONE"
    assert inputs["resolveConflictsOnUpdate"] == "PRESERVE"
    assert inputs["preserve"] is True
    assert "configurationValues" not in inputs


def test_addon_passes_its_depends_on_to_the_addon_resource() -> None:
    """The engine does not pass a component's dependsOn down to its children."""

    def program() -> None:
        cluster = demo_cluster()
        nodes = aws.iam.Role("nodes", assume_role_policy="{}")
        EksAddon("coredns", EksAddonArgs(cluster=cluster, addon_name="coredns"),
                 opts=pulumi.ResourceOptions(depends_on=[nodes]))
        EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))

    graph = _synth(program)
    nodes = graph.one(ROLE_TYPE, "nodes")
    assert graph.depends_on(graph.one(ADDON_TYPE, "coredns"), nodes)
    assert not graph.depends_on(graph.one(ADDON_TYPE, "kube-proxy"), nodes)


def test_addon_version_helper_returns_a_pinned_string_without_pulumi() -> None:
    assert addon_version("coredns", "1.34", AddonSettings(version="v1.11.4-eksbuild.2")) \
        == "v1.11.4-eksbuild.2"


# --- vpc-cni IAM under mocks --------------------------------------------------------------------

def _cni_addon(cni: CniSettings, region: str = "us-east-1") -> Graph:
    """The vpc-cni add-on of a cluster with this CNI declaration: it makes its own role."""

    def program() -> None:
        cluster = demo_cluster(region, cni)
        if cni.iam == "podIdentity":
            EksAddon("agent", EksAddonArgs(cluster=cluster, addon_name="eks-pod-identity-agent"))
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))

    return _synth(program, region)


def test_a_pod_identity_role_without_the_agent_is_refused() -> None:
    def program() -> None:
        cluster = demo_cluster(cni=CniSettings(iam="podIdentity"))
        with pytest.raises(ValueError) as info:
            EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        assert str(info.value) == (
            "add-on vpc-cni uses EKS Pod Identity: create the eks-pod-identity-agent add-on of "
            "cluster demo first (EksAddon, addon_name='eks-pod-identity-agent')")

    _synth(program)


def _oidc(graph: Graph) -> tuple[str, str]:
    """The OIDC provider ARN and issuer host the mocks gave cluster `demo`."""
    issuer = graph.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs["url"]
    host = issuer.removeprefix("https://")
    return f"arn:aws:iam::123456789012:oidc-provider/{host}", host


def _role_is_wired(graph: Graph) -> None:
    """The role belongs to its ServiceAccountRole inside the add-on, and the add-on waits
    for it."""
    (component,) = graph.of_type("eks-platform:addons:ServiceAccountRole")
    assert component.name == "vpc-cni"
    assert component.parent == graph.one("eks-platform:addons:EksAddon", "vpc-cni").urn
    role = graph.one(ROLE_TYPE, "vpc-cni")
    assert role.parent == component.urn
    assert graph.depends_on(graph.one(ADDON_TYPE, "vpc-cni"), role)


def test_vpc_cni_irsa_role_and_addon() -> None:
    graph = _cni_addon(CniSettings(prefix_delegation=True))
    trust = json.loads(graph.one(ROLE_TYPE, "vpc-cni").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    oidc_arn, issuer = _oidc(graph)
    assert issuer.startswith("oidc.eks.us-east-1.amazonaws.com/id/")
    assert statement["Principal"] == {"Federated": oidc_arn}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"]["StringEquals"] == {
        f"{issuer}:sub": "system:serviceaccount:kube-system:aws-node",
        f"{issuer}:aud": "sts.amazonaws.com",
    }
    attachment = graph.one(ATTACHMENT_TYPE, "vpc-cni-AmazonEKS_CNI_Policy").inputs
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    assert graph.of_type(INLINE_POLICY_TYPE) == []
    inputs = graph.one(ADDON_TYPE, "vpc-cni").inputs
    assert inputs["serviceAccountRoleArn"] == ROLE_ARN
    assert "podIdentityAssociations" not in inputs
    assert inputs["configurationValues"] == (
        '{"enableNetworkPolicy":"false","env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"false",'
        '"ENABLE_PREFIX_DELEGATION":"true"}}'
    )
    _role_is_wired(graph)


def test_vpc_cni_pod_identity_role_and_addon() -> None:
    graph = _cni_addon(CniSettings(iam="podIdentity"))
    # The agent hands aws-node its credentials: the add-on waits for it.
    assert graph.depends_on(graph.one(ADDON_TYPE, "vpc-cni"), graph.one(ADDON_TYPE, "agent"))
    trust = json.loads(graph.one(ROLE_TYPE, "vpc-cni").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    inputs = graph.one(ADDON_TYPE, "vpc-cni").inputs
    assert inputs["podIdentityAssociations"] == [{
        "roleArn": ROLE_ARN,
        "serviceAccount": "aws-node",
    }]
    assert "serviceAccountRoleArn" not in inputs
    _role_is_wired(graph)


def test_vpc_cni_policy_arn_follows_the_partition() -> None:
    graph = _cni_addon(CniSettings(), region="cn-north-1")
    attachment = graph.one(ATTACHMENT_TYPE, "vpc-cni-AmazonEKS_CNI_Policy").inputs
    assert attachment["policyArn"] == "arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy"


def test_vpc_cni_ipv6_gets_the_inline_policy_instead() -> None:
    def program() -> None:
        cluster = demo_cluster("cn-north-1", CniSettings(prefix_delegation=True), ip_family="ipv6")
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))

    graph = _synth(program, "cn-north-1")
    assert [a for a in graph.of_type(ATTACHMENT_TYPE) if "CNI" in a.name] == []
    policy = json.loads(graph.one(INLINE_POLICY_TYPE).inputs["policy"])
    assert policy["Statement"][1]["Resource"] == ["arn:aws-cn:ec2:*:*:network-interface/*"]


def test_vpc_cni_on_the_node_role_creates_no_role_of_its_own() -> None:
    def program() -> None:
        cluster = demo_cluster(cni=CniSettings(iam="nodeRole"))
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))

    graph = _synth(program)
    assert graph.of_type("eks-platform:addons:ServiceAccountRole") == []
    assert "serviceAccountRoleArn" not in graph.one(ADDON_TYPE).inputs
