"""Self-managed VPC CNI: Helm ownership metadata, adoption patches and the chart release.

Registry accounts are written out as the EKS user guide gives them, not read from the module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, cast

import pulumi
import pulumi_kubernetes as k8s
import pytest

from components.cni import CniSettings, HelmCniSettings
from components.vpc_cni_helm import (
    ADOPTED_OBJECTS,
    RELEASE_NAME,
    SelfManagedVpcCni,
    SelfManagedVpcCniArgs,
    adoption_metadata,
    patch_metadata,
)

# --- Pulumi mocks (small on purpose: to be swapped for components.synth) -----------------------

P = ParamSpec("P")
ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-cni"
RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
PROVIDER_REF = "pulumi:providers:kubernetes::k8s::k8s_id"
#: Argument validation runs before any resource exists: no provider is needed.
NO_PROVIDER = cast(k8s.Provider, object())
PATCH_TYPES = {
    "kubernetes:apps/v1:DaemonSetPatch",
    "kubernetes:core/v1:ServiceAccountPatch",
    "kubernetes:core/v1:ConfigMapPatch",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRolePatch",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
}


class Recorder(pulumi.runtime.Mocks):
    """Records registrations; resources echo their inputs."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"{args.name}_id", dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, []

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ: str) -> dict[str, Any]:
        found = self.of_type(typ)
        assert len(found) == 1, f"expected one {typ}, got {[r.name for r in found]}"
        return dict(found[0].inputs)


_runtime_test: Callable[[Callable[..., Any]], Callable[..., None]] = pulumi.runtime.test


def synth(program: Callable[[], object]) -> Recorder:
    """Run `program` under fresh mocks until every registration and Output has settled."""
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, preview=False)
    cast(Callable[[], None], _runtime_test(program))()
    return recorder


def _helm(adopt: bool = False) -> CniSettings:
    return CniSettings(mode="helm", helm=HelmCniSettings(adopt_existing=adopt))


def _cni(
    cni: CniSettings, region: str = "us-east-1", role_arn: pulumi.Input[str] | None = None,
    **extra: Any,
) -> Recorder:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="{}")
        SelfManagedVpcCni("vpc-cni", SelfManagedVpcCniArgs(
            cni=cni, region=region, provider=provider, role_arn=role_arn, **extra,
        ))

    return synth(program)


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
    with pytest.raises(ValueError, match="helm"):
        SelfManagedVpcCniArgs(
            cni=CniSettings(), region="us-east-1", provider=NO_PROVIDER, role_arn=None
        )


def test_one_kind_of_role() -> None:
    with pytest.raises(ValueError, match="not both"):
        SelfManagedVpcCniArgs(
            cni=_helm(), region="us-east-1", provider=NO_PROVIDER, role_arn=ROLE_ARN,
            pod_identity_role_arn=ROLE_ARN, cluster_name="demo",
        )


def test_pod_identity_needs_the_cluster_name() -> None:
    with pytest.raises(ValueError, match="cluster_name"):
        SelfManagedVpcCniArgs(
            cni=_helm(), region="us-east-1", provider=NO_PROVIDER, role_arn=None,
            pod_identity_role_arn=ROLE_ARN,
        )


# --- the release under mocks --------------------------------------------------------------------

def test_release_of_the_eks_chart() -> None:
    recorded = _cni(_helm())
    release = recorded.one(RELEASE_TYPE)
    assert release["name"] == "aws-vpc-cni"
    assert release["chart"] == "aws-vpc-cni"
    assert release["version"] == "1.22.4"
    assert release["repositoryOpts"] == {"repo": "https://aws.github.io/eks-charts"}
    assert release["namespace"] == "kube-system"
    values = release["values"]
    image = {"account": "602401143452", "region": "us-east-1", "domain": "amazonaws.com",
             "endpoint": "ecr"}
    assert values["image"] == image
    assert values["init"]["image"] == image
    assert values["nodeAgent"]["image"] == image
    assert values["originalMatchLabels"] is False
    assert "serviceAccount" not in values
    assert not {r.typ for r in recorded.resources} & PATCH_TYPES
    (release_args,) = recorded.of_type(RELEASE_TYPE)
    assert str(release_args.provider).endswith(PROVIDER_REF)


def test_release_pins_the_configured_chart_version() -> None:
    cni = CniSettings(mode="helm", helm=HelmCniSettings(chart_version="1.20.0"))
    assert _cni(cni).one(RELEASE_TYPE)["version"] == "1.20.0"


@pytest.mark.parametrize(
    ("region", "account", "domain"),
    [
        ("us-east-1", "602401143452", "amazonaws.com"),
        ("af-south-1", "877085696533", "amazonaws.com"),
        ("cn-north-1", "918309763551", "amazonaws.com.cn"),
    ],
)
def test_images_come_from_the_region_registry(region: str, account: str, domain: str) -> None:
    image = _cni(_helm(), region=region).one(RELEASE_TYPE)["values"]["image"]
    assert image["account"] == account
    assert image["region"] == region
    assert image["domain"] == domain


def test_irsa_role_annotates_the_service_account() -> None:
    values = _cni(_helm(), role_arn=pulumi.Output.from_input(ROLE_ARN)).one(RELEASE_TYPE)["values"]
    assert values["serviceAccount"] == {"annotations": {"eks.amazonaws.com/role-arn": ROLE_ARN}}


def test_pod_identity_associates_the_role_with_aws_node() -> None:
    recorded = _cni(_helm(), pod_identity_role_arn=ROLE_ARN, cluster_name="demo")
    association = recorded.one("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert association == {
        "clusterName": "demo",
        "namespace": "kube-system",
        "serviceAccount": "aws-node",
        "roleArn": ROLE_ARN,
    }
    assert "serviceAccount" not in recorded.one(RELEASE_TYPE)["values"]


def test_no_pod_identity_association_without_a_pod_identity_role() -> None:
    recorded = _cni(_helm(), role_arn=ROLE_ARN)
    assert recorded.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation") == []


def test_adoption_patches_every_aws_node_object_through_the_provider() -> None:
    recorded = _cni(_helm(adopt=True))
    patches = [r for r in recorded.resources if r.typ in PATCH_TYPES]
    assert {p.typ for p in patches} == PATCH_TYPES
    assert len(patches) == 5
    release = recorded.one(RELEASE_TYPE)
    assert release["values"]["originalMatchLabels"] is True
    for patch in patches:
        metadata = patch.inputs["metadata"]
        assert metadata["labels"] == {"app.kubernetes.io/managed-by": "Helm"}
        assert metadata["annotations"] == {
            "meta.helm.sh/release-name": release["name"],
            "meta.helm.sh/release-namespace": release["namespace"],
            "pulumi.com/patchForce": "true",
        }
        assert str(patch.provider).endswith(PROVIDER_REF)
    names = {(p.typ.rsplit(":", 1)[-1], p.inputs["metadata"]["name"]) for p in patches}
    assert ("ConfigMapPatch", "amazon-vpc-cni") in names
    assert ("DaemonSetPatch", "aws-node") in names


def test_release_name_is_the_one_the_adoption_annotations_name() -> None:
    assert RELEASE_NAME == "aws-vpc-cni"
    assert _cni(_helm(adopt=True)).one(RELEASE_TYPE)["name"] == RELEASE_NAME
