"""Self-managed VPC CNI: Helm ownership metadata, adoption patches and the chart release.

Registry accounts are written out as the EKS user guide gives them, not read from the module.
"""

from __future__ import annotations

from typing import Any

import pytest

from eks_platform.addons.cni import CniSettings, HelmCniSettings
from eks_platform.addons.component import EksAddon, EksAddonArgs
from eks_platform.addons.vpc_cni_helm import (
    ADOPTED_OBJECTS,
    RELEASE_NAME,
    SelfManagedVpcCni,
    SelfManagedVpcCniArgs,
    adoption_metadata,
    patch_metadata,
)
from eks_platform.errors import SettingsError
from eks_platform.tools.synth import Graph, RecordedResource, synthesize
from tests.clusters import demo_cluster

# --- recording harness ------------------------------------------------------------------------

ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-cni"
RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
COMPONENT_TYPE = "eks-platform:vpc_cni_helm:SelfManagedVpcCni"
ASSOCIATION_TYPE = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
PROVIDER_TYPE = "pulumi:providers:kubernetes"
PATCH_TYPES = {
    "kubernetes:apps/v1:DaemonSetPatch",
    "kubernetes:core/v1:ServiceAccountPatch",
    "kubernetes:core/v1:ConfigMapPatch",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRolePatch",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
}


def _helm(adopt: bool = False, iam: str = "nodeRole", **extra: Any) -> CniSettings:
    return CniSettings(mode="helm", helm=HelmCniSettings(adopt_existing=adopt, **extra),
                       iam=iam)


def _cni(cni: CniSettings, region: str = "us-east-1") -> Graph:
    """The chart on cluster `demo` (created with EKS's aws-node when adopting it)."""

    def program() -> None:
        cluster = demo_cluster(region, cni,
                               bootstrap_self_managed_addons=cni.helm_settings.adopt_existing)
        if cni.iam == "podIdentity":
            EksAddon("agent", EksAddonArgs(cluster=cluster, addon_name="eks-pod-identity-agent"))
        SelfManagedVpcCni("vpc-cni", SelfManagedVpcCniArgs(cluster=cluster))

    return synthesize(program, {"aws:region": region})


def _uses_the_provider(graph: Graph, resource: RecordedResource) -> bool:
    """A provider reference is `<urn>::<id>`."""
    return resource.provider.startswith(graph.one(PROVIDER_TYPE, "demo-k8s").urn + "::")


def _patches(graph: Graph) -> list[RecordedResource]:
    return [r for r in graph.resources if r.type in PATCH_TYPES]


# --- pure: Helm ownership -----------------------------------------------------------------------

def test_adoption_metadata_follows_helm_ownership_rules() -> None:
    labels, annotations = adoption_metadata("aws-vpc-cni")
    assert labels == {"app.kubernetes.io/managed-by": "Helm"}
    assert annotations == {
        "meta.helm.sh/release-name": "aws-vpc-cni",
        "meta.helm.sh/release-namespace": "kube-system",
    }


def test_adopted_objects_are_what_eks_creates_for_aws_node() -> None:
    assert {(o.kind, o.name, o.namespace) for o in ADOPTED_OBJECTS} == {
        ("DaemonSet", "aws-node", "kube-system"),
        ("ServiceAccount", "aws-node", "kube-system"),
        ("ConfigMap", "amazon-vpc-cni", "kube-system"),
        ("ClusterRole", "aws-node", None),
        ("ClusterRoleBinding", "aws-node", None),
    }


def test_patch_metadata_forces_the_ownership_fields() -> None:
    daemon_set = next(o for o in ADOPTED_OBJECTS if o.kind == "DaemonSet")
    metadata = patch_metadata(daemon_set, "aws-vpc-cni")
    assert metadata.name == "aws-node"
    assert metadata.namespace == "kube-system"
    assert metadata.labels == {"app.kubernetes.io/managed-by": "Helm"}
    assert metadata.annotations == {
        "meta.helm.sh/release-name": "aws-vpc-cni",
        "meta.helm.sh/release-namespace": "kube-system",
        "pulumi.com/patchForce": "true",
    }
    cluster_role = next(o for o in ADOPTED_OBJECTS if o.kind == "ClusterRole")
    assert patch_metadata(cluster_role, "aws-vpc-cni").namespace is None


# --- argument validation ------------------------------------------------------------------------

def test_managed_mode_is_rejected() -> None:
    def program() -> None:
        with pytest.raises(SettingsError, match=r"needs cni\.mode 'helm'"):
            SelfManagedVpcCniArgs(cluster=demo_cluster())

    synthesize(program, {"aws:region": "us-east-1"})


# --- the release under mocks --------------------------------------------------------------------

def test_release_of_the_eks_chart() -> None:
    graph = _cni(_helm())
    release = graph.one(RELEASE_TYPE)
    inputs = release.inputs
    assert inputs["name"] == "aws-vpc-cni"
    assert inputs["chart"] == "aws-vpc-cni"
    assert inputs["version"] == "1.22.4"
    assert inputs["repositoryOpts"] == {"repo": "https://aws.github.io/eks-charts"}
    assert inputs["namespace"] == "kube-system"
    values = inputs["values"]
    image = {"account": "602401143452", "region": "us-east-1", "domain": "amazonaws.com",
             "endpoint": "ecr"}
    assert values["image"] == image
    assert values["init"]["image"] == image
    assert values["nodeAgent"]["image"] == image
    assert values["originalMatchLabels"] is False
    assert "serviceAccount" not in values
    assert _patches(graph) == []
    assert _uses_the_provider(graph, release)
    assert release.parent == graph.one(COMPONENT_TYPE, "vpc-cni").urn


def test_release_pins_the_configured_chart_version() -> None:
    cni = _helm(chart_version="1.20.0")
    assert _cni(cni).one(RELEASE_TYPE).inputs["version"] == "1.20.0"


@pytest.mark.parametrize(
    ("region", "account", "domain"),
    [
        ("us-east-1", "602401143452", "amazonaws.com"),
        ("af-south-1", "877085696533", "amazonaws.com"),
        ("cn-north-1", "918309763551", "amazonaws.com.cn"),
    ],
)
def test_images_come_from_the_region_registry(region: str, account: str, domain: str) -> None:
    image = _cni(_helm(), region=region).one(RELEASE_TYPE).inputs["values"]["image"]
    assert image["account"] == account
    assert image["region"] == region
    assert image["domain"] == domain


def test_irsa_role_annotates_the_service_account() -> None:
    graph = _cni(_helm(iam="irsa"))
    release = graph.one(RELEASE_TYPE)
    values = release.inputs["values"]
    assert values["serviceAccount"] == {"annotations": {"eks.amazonaws.com/role-arn": ROLE_ARN}}
    assert graph.depends_on(release, graph.one("aws:iam/role:Role", "vpc-cni"))
    assert graph.of_type(ASSOCIATION_TYPE) == []


def test_pod_identity_associates_the_role_with_aws_node() -> None:
    graph = _cni(_helm(iam="podIdentity"))
    association = graph.one(ASSOCIATION_TYPE)
    assert association.inputs == {
        "clusterName": "demo",
        "namespace": "kube-system",
        "serviceAccount": "aws-node",
        "roleArn": ROLE_ARN,
    }
    assert association.parent == graph.one(COMPONENT_TYPE, "vpc-cni").urn
    release = graph.one(RELEASE_TYPE)
    assert "serviceAccount" not in release.inputs["values"]
    # EKS injects Pod Identity credentials at pod admission: the association comes first.
    assert graph.depends_on(release, association)


def test_adoption_patches_every_aws_node_object_through_the_provider() -> None:
    graph = _cni(_helm(adopt=True))
    patches = _patches(graph)
    assert {p.type for p in patches} == PATCH_TYPES
    assert len(patches) == 5
    release = graph.one(RELEASE_TYPE)
    assert release.inputs["values"]["originalMatchLabels"] is True
    component = graph.one(COMPONENT_TYPE, "vpc-cni")
    for patch in patches:
        metadata = patch.inputs["metadata"]
        assert metadata["labels"] == {"app.kubernetes.io/managed-by": "Helm"}
        assert metadata["annotations"] == {
            "meta.helm.sh/release-name": release.inputs["name"],
            "meta.helm.sh/release-namespace": release.inputs["namespace"],
            "pulumi.com/patchForce": "true",
        }
        assert _uses_the_provider(graph, patch)
        assert patch.parent == component.urn
        # Helm installs over aws-node only once every object carries its ownership metadata.
        assert graph.depends_on(release, patch)
        assert not graph.depends_on(patch, release)
    names = {(p.short_type, p.inputs["metadata"]["name"]) for p in patches}
    assert ("ConfigMapPatch", "amazon-vpc-cni") in names
    assert ("DaemonSetPatch", "aws-node") in names


def test_release_name_is_the_one_the_adoption_annotations_name() -> None:
    assert RELEASE_NAME == "aws-vpc-cni"
    assert _cni(_helm(adopt=True)).one(RELEASE_TYPE).inputs["name"] == RELEASE_NAME


def test_an_ipv6_cluster_tells_each_container_of_the_chart() -> None:
    """The chart defaults to IPv4 in aws-node, its init container and the network policy agent
    (chart values.yaml: env.ENABLE_IPv6/ENABLE_IPv4, init.env.ENABLE_IPv6, nodeAgent.enableIpv6)."""
    def program() -> None:
        cni = CniSettings(mode="helm", iam="nodeRole", prefix_delegation=True)
        cluster = demo_cluster(cni=cni, ip_family="ipv6")
        SelfManagedVpcCni("vpc-cni", SelfManagedVpcCniArgs(cluster=cluster))

    values = synthesize(program, {"aws:region": "us-east-1"}).one(RELEASE_TYPE).inputs["values"]
    assert (values["env"]["ENABLE_IPv6"], values["env"]["ENABLE_IPv4"]) == ("true", "false")
    assert values["env"]["ENABLE_PREFIX_DELEGATION"] == "true"
    assert values["init"]["env"] == {"ENABLE_IPv6": "true"}
    assert values["nodeAgent"]["enableIpv6"] == "true"


def test_ipv6_needs_prefix_delegation_and_no_custom_networking() -> None:
    from eks_platform import EksClusterArgs
    from tests.clusters import SUBNETS

    for cni, key in ((CniSettings(), "cni.prefix_delegation = false"),
                     (CniSettings(prefix_delegation=True, custom_networking=True),
                      "cni.custom_networking = true")):
        with pytest.raises(SettingsError) as info:
            EksClusterArgs(name="demo", region="us-east-1", subnet_ids=SUBNETS, cni=cni,
                           ip_family="ipv6")
        assert str(info.value).splitlines()[1].startswith(f"  EksClusterArgs.{key}: ")
