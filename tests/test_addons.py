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

from eks_platform.addons import (
    EksAddon,
    EksAddonArgs,
    ServiceAccountRoleArgs,
    addon_version,
    cni_policies,
    configuration_values,
    coredns_configuration,
    kube_proxy_configuration,
    resolve_version_request,
    vpc_cni_iam,
)
from eks_platform.cni import CniSettings, addon_configuration
from eks_platform.settings import AddonSettings, CorednsSettings, KubeProxySettings
from eks_platform.synth import RESOLVED_AT_DEPLOY, Graph, synthesize

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

def test_addon_takes_one_kind_of_role() -> None:
    with pytest.raises(ValueError, match="not both"):
        EksAddonArgs(
            cluster_name="c", addon_name="vpc-cni", kubernetes_version="1.34",
            settings=AddonSettings(), service_account_role_arn="arn:a",
            pod_identity_role_arn="arn:b", pod_identity_service_account="aws-node",
        )


def test_pod_identity_role_needs_a_service_account() -> None:
    with pytest.raises(ValueError, match="pod_identity_service_account"):
        EksAddonArgs(
            cluster_name="c", addon_name="vpc-cni", kubernetes_version="1.34",
            settings=AddonSettings(), pod_identity_role_arn="arn:b",
        )


def test_irsa_role_needs_the_oidc_provider() -> None:
    with pytest.raises(ValueError, match="OIDC"):
        ServiceAccountRoleArgs(
            namespace="kube-system", service_account="aws-node", region="us-east-1", mode="irsa"
        )


# --- EksAddon under mocks -----------------------------------------------------------------------

def _addon(settings: AddonSettings, **extra: Any) -> Graph:
    """One coredns add-on; its `version` output is exported as `version`."""

    def program() -> None:
        addon = EksAddon("coredns", EksAddonArgs(
            cluster_name="demo", addon_name="coredns", kubernetes_version="1.34",
            settings=settings, **extra,
        ))
        pulumi.export("version", addon.version)

    return _synth(program)


def test_addon_with_default_version(lookups: list[aws.eks.GetAddonVersionResult]) -> None:
    graph = _addon(
        CorednsSettings(),
        configuration=coredns_configuration(CorednsSettings(), fargate_only=True),
        tags={"team": "platform"},
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
        nodes = aws.iam.Role("nodes", assume_role_policy="{}")
        EksAddon("coredns", EksAddonArgs(
            cluster_name="demo", addon_name="coredns", kubernetes_version="1.34",
            settings=AddonSettings(),
        ), opts=pulumi.ResourceOptions(depends_on=[nodes]))
        EksAddon("kube-proxy", EksAddonArgs(
            cluster_name="demo", addon_name="kube-proxy", kubernetes_version="1.34",
            settings=AddonSettings(),
        ))

    graph = _synth(program)
    nodes = graph.one(ROLE_TYPE, "nodes")
    assert graph.depends_on(graph.one(ADDON_TYPE, "coredns"), nodes)
    assert not graph.depends_on(graph.one(ADDON_TYPE, "kube-proxy"), nodes)


def test_addon_version_helper_returns_a_pinned_string_without_pulumi() -> None:
    assert addon_version("coredns", "1.34", AddonSettings(version="v1.11.4-eksbuild.2")) \
        == "v1.11.4-eksbuild.2"


# --- vpc-cni IAM under mocks --------------------------------------------------------------------

def _cni_addon(cni: CniSettings, region: str = "us-east-1") -> Graph:
    """vpc-cni role (as `cni.iam` says) wired into the managed add-on, as the platform does."""

    def program() -> None:
        role = vpc_cni_iam(
            "vpc-cni", cni, region=region, ip_family="ipv4",
            oidc_provider_arn=pulumi.Output.from_input(OIDC_ARN),
            oidc_issuer_url=pulumi.Output.from_input(ISSUER),
        )
        assert role is not None
        EksAddon("vpc-cni", EksAddonArgs(
            cluster_name="demo", addon_name="vpc-cni", kubernetes_version="1.34",
            settings=AddonSettings(), configuration=addon_configuration(cni),
            service_account_role_arn=role.irsa_role_arn,
            pod_identity_role_arn=role.pod_identity_role_arn,
            pod_identity_service_account=role.service_account,
        ))

    return _synth(program, region)


def _role_is_wired(graph: Graph) -> None:
    """The role belongs to its ServiceAccountRole, and the add-on waits for it."""
    (component,) = graph.of_type("eks-platform:addons:ServiceAccountRole")
    assert component.name == "vpc-cni"
    role = graph.one(ROLE_TYPE)
    assert role.parent == component.urn
    assert graph.depends_on(graph.one(ADDON_TYPE), role)


def test_vpc_cni_irsa_role_and_addon() -> None:
    graph = _cni_addon(CniSettings(prefix_delegation=True))
    trust = json.loads(graph.one(ROLE_TYPE).inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Federated": OIDC_ARN}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"]["StringEquals"] == {
        "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub":
            "system:serviceaccount:kube-system:aws-node",
        "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
    }
    attachment = graph.one(ATTACHMENT_TYPE).inputs
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    assert graph.of_type(INLINE_POLICY_TYPE) == []
    inputs = graph.one(ADDON_TYPE).inputs
    assert inputs["serviceAccountRoleArn"] == ROLE_ARN
    assert "podIdentityAssociations" not in inputs
    assert inputs["configurationValues"] == (
        '{"enableNetworkPolicy":"false","env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"false",'
        '"ENABLE_PREFIX_DELEGATION":"true"}}'
    )
    _role_is_wired(graph)


def test_vpc_cni_pod_identity_role_and_addon() -> None:
    graph = _cni_addon(CniSettings(iam="podIdentity"))
    trust = json.loads(graph.one(ROLE_TYPE).inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    inputs = graph.one(ADDON_TYPE).inputs
    assert inputs["podIdentityAssociations"] == [{
        "roleArn": ROLE_ARN,
        "serviceAccount": "aws-node",
    }]
    assert "serviceAccountRoleArn" not in inputs
    _role_is_wired(graph)


def test_vpc_cni_policy_arn_follows_the_partition() -> None:
    graph = _cni_addon(CniSettings(), region="cn-north-1")
    attachment = graph.one(ATTACHMENT_TYPE).inputs
    assert attachment["policyArn"] == "arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy"


def test_vpc_cni_ipv6_gets_the_inline_policy_instead() -> None:
    def program() -> None:
        vpc_cni_iam(
            "vpc-cni", CniSettings(), region="cn-north-1", ip_family="ipv6",
            oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER,
        )

    graph = _synth(program, "cn-north-1")
    assert graph.of_type(ATTACHMENT_TYPE) == []
    policy = json.loads(graph.one(INLINE_POLICY_TYPE).inputs["policy"])
    assert policy["Statement"][1]["Resource"] == ["arn:aws-cn:ec2:*:*:network-interface/*"]


def test_vpc_cni_on_the_node_role_creates_nothing() -> None:
    roles: list[object] = []

    def program() -> None:
        roles.append(vpc_cni_iam(
            "vpc-cni", CniSettings(iam="nodeRole"), region="us-east-1", ip_family="ipv4"
        ))

    assert _synth(program).resources == []
    assert roles == [None]
