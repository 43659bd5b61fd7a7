"""EKS managed add-ons: version requests, configuration JSON, IAM roles, the Addon resource.

Expected JSON and ARNs are written out here, not rebuilt with the module's own helpers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, cast

import pulumi
import pytest

from components.addons import (
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
from components.cni import CniSettings, addon_configuration
from components.settings import AddonSettings, CorednsSettings, KubeProxySettings

# --- Pulumi mocks (small on purpose: to be swapped for components.synth) -----------------------

ADDON_VERSION_TOKEN = "aws:eks/getAddonVersion:getAddonVersion"
RESOLVED_VERSION = "v1.2.3-eksbuild.1"
OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123"

P = ParamSpec("P")


class Recorder(pulumi.runtime.Mocks):
    """Records registrations and invokes; resources echo their inputs (roles get an ARN)."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []
        self.calls: list[pulumi.runtime.MockCallArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        state = dict(args.inputs)
        if args.typ == "aws:iam/role:Role":
            state["arn"] = f"arn:aws:iam::123456789012:role/{args.name}"
        return f"{args.name}_id", state

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.calls.append(args)
        result = {"version": RESOLVED_VERSION} if args.token == ADDON_VERSION_TOKEN else {}
        return result, []

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ: str) -> dict[str, Any]:
        found = self.of_type(typ)
        assert len(found) == 1, f"expected one {typ}, got {[r.name for r in found]}"
        return dict(found[0].inputs)


@pytest.fixture
def mocks() -> Iterator[Recorder]:
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, preview=False)
    yield recorder


_runtime_test: Callable[[Callable[..., Any]], Callable[..., None]] = pulumi.runtime.test


def pulumi_test(fn: Callable[P, Any]) -> Callable[P, None]:
    """`pulumi.runtime.test` with types: waits for the Output the test returns."""
    return cast(Callable[P, None], _runtime_test(fn))


def synth(program: Callable[[], object]) -> Recorder:
    """Run `program` under fresh mocks until every registration and Output has settled."""
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, preview=False)
    pulumi_test(program)()
    return recorder


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

def _addon(settings: AddonSettings, **extra: Any) -> EksAddon:
    return EksAddon("coredns", EksAddonArgs(
        cluster_name="demo", addon_name="coredns", kubernetes_version="1.34",
        settings=settings, **extra,
    ))


@pulumi_test
def test_addon_with_default_version(mocks: Recorder) -> pulumi.Output[None]:
    addon = _addon(
        CorednsSettings(),
        configuration=coredns_configuration(CorednsSettings(), fargate_only=True),
        tags={"team": "platform"},
    )

    def check(values: list[Any]) -> None:
        urn, version = values
        inputs = mocks.one("aws:eks/addon:Addon")
        assert inputs["addonName"] == "coredns"
        assert inputs["clusterName"] == "demo"
        assert inputs["addonVersion"] == RESOLVED_VERSION
        assert inputs["resolveConflictsOnCreate"] == "OVERWRITE"
        assert inputs["resolveConflictsOnUpdate"] == "OVERWRITE"
        assert inputs["preserve"] is False
        assert inputs["configurationValues"] == '{"computeType":"Fargate","replicaCount":2}'
        assert inputs["tags"] == {"team": "platform"}
        assert "serviceAccountRoleArn" not in inputs
        assert "podIdentityAssociations" not in inputs
        assert version == RESOLVED_VERSION
        assert "eks-platform:addons:EksAddon$aws:eks/addon:Addon::coredns" in urn
        (call,) = mocks.calls
        assert call.token == ADDON_VERSION_TOKEN
        assert call.args["addonName"] == "coredns"
        assert call.args["kubernetesVersion"] == "1.34"
        assert call.args["mostRecent"] is False

    return pulumi.Output.all(addon.addon.urn, addon.version).apply(check)


@pulumi_test
def test_addon_latest_version_asks_for_most_recent(mocks: Recorder) -> pulumi.Output[None]:
    addon = _addon(AddonSettings(version="latest"))

    def check(_: str) -> None:
        (call,) = mocks.calls
        assert call.args["mostRecent"] is True

    return addon.version.apply(check)


@pulumi_test
def test_addon_pinned_version_needs_no_lookup(mocks: Recorder) -> pulumi.Output[None]:
    addon = _addon(AddonSettings(version="v1.11.4-eksbuild.2"))

    def check(version: str) -> None:
        assert version == "v1.11.4-eksbuild.2"
        assert mocks.one("aws:eks/addon:Addon")["addonVersion"] == "v1.11.4-eksbuild.2"
        assert mocks.calls == []

    return addon.version.apply(check)


@pulumi_test
def test_addon_conflict_settings_and_no_configuration(mocks: Recorder) -> pulumi.Output[None]:
    settings = AddonSettings(
        resolve_conflicts_on_create="NONE", resolve_conflicts_on_update="PRESERVE",
        preserve=True,
    )
    addon = _addon(settings, configuration=kube_proxy_configuration(KubeProxySettings()))

    def check(_: str) -> None:
        inputs = mocks.one("aws:eks/addon:Addon")
        assert inputs["resolveConflictsOnCreate"] == "NONE"
        assert inputs["resolveConflictsOnUpdate"] == "PRESERVE"
        assert inputs["preserve"] is True
        assert "configurationValues" not in inputs

    return addon.addon.urn.apply(check)


def test_addon_version_helper_returns_a_pinned_string_without_pulumi() -> None:
    assert addon_version("coredns", "1.34", AddonSettings(version="v1.11.4-eksbuild.2")) \
        == "v1.11.4-eksbuild.2"


# --- vpc-cni IAM under mocks --------------------------------------------------------------------

def _cni_addon(cni: CniSettings, region: str = "us-east-1") -> Recorder:
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

    return synth(program)


def test_vpc_cni_irsa_role_and_addon() -> None:
    recorded = _cni_addon(CniSettings(prefix_delegation=True))
    trust = json.loads(recorded.one("aws:iam/role:Role")["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Federated": OIDC_ARN}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"]["StringEquals"] == {
        "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub":
            "system:serviceaccount:kube-system:aws-node",
        "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
    }
    attachment = recorded.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    assert recorded.of_type("aws:iam/rolePolicy:RolePolicy") == []
    inputs = recorded.one("aws:eks/addon:Addon")
    assert inputs["serviceAccountRoleArn"] == "arn:aws:iam::123456789012:role/vpc-cni"
    assert "podIdentityAssociations" not in inputs
    assert inputs["configurationValues"] == (
        '{"enableNetworkPolicy":"false","env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"false",'
        '"ENABLE_PREFIX_DELEGATION":"true"}}'
    )
    (component,) = recorded.of_type("eks-platform:addons:ServiceAccountRole")
    assert component.name == "vpc-cni"


def test_vpc_cni_pod_identity_role_and_addon() -> None:
    recorded = _cni_addon(CniSettings(iam="podIdentity"))
    trust = json.loads(recorded.one("aws:iam/role:Role")["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    inputs = recorded.one("aws:eks/addon:Addon")
    assert inputs["podIdentityAssociations"] == [{
        "roleArn": "arn:aws:iam::123456789012:role/vpc-cni",
        "serviceAccount": "aws-node",
    }]
    assert "serviceAccountRoleArn" not in inputs


def test_vpc_cni_policy_arn_follows_the_partition() -> None:
    recorded = _cni_addon(CniSettings(), region="cn-north-1")
    attachment = recorded.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment["policyArn"] == "arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy"


def test_vpc_cni_ipv6_gets_the_inline_policy_instead() -> None:
    def program() -> None:
        vpc_cni_iam(
            "vpc-cni", CniSettings(), region="cn-north-1", ip_family="ipv6",
            oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER,
        )

    recorded = synth(program)
    assert recorded.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    policy = json.loads(recorded.one("aws:iam/rolePolicy:RolePolicy")["policy"])
    assert policy["Statement"][1]["Resource"] == ["arn:aws-cn:ec2:*:*:network-interface/*"]


def test_vpc_cni_on_the_node_role_creates_nothing() -> None:
    roles: list[object] = []

    def program() -> None:
        roles.append(vpc_cni_iam(
            "vpc-cni", CniSettings(iam="nodeRole"), region="us-east-1", ip_family="ipv4"
        ))

    assert synth(program).resources == []
    assert roles == [None]
