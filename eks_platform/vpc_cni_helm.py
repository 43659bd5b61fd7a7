"""Self-managed VPC CNI: the eks-charts `aws-vpc-cni` Helm release, optionally adopting aws-node.

A cluster created with `bootstrapSelfManagedAddons: true` already runs an EKS-created aws-node.
Helm refuses to install over objects it does not own, so adoption first stamps Helm's
ownership metadata on each of them (server-side-apply patches); the release then takes them
over in place, without a window with no CNI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from . import cni as cni_module
from .cni import CniSettings

#: Fixed: the adoption annotations name this release, and Helm checks they match.
RELEASE_NAME = "aws-vpc-cni"
NAMESPACE = cni_module.AWS_NODE_NAMESPACE
SERVICE_ACCOUNT = cni_module.AWS_NODE_SERVICE_ACCOUNT
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name"
RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"
#: Lets the patch take fields that EKS's own field manager set (e.g. labels on aws-node).
PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce"

AdoptedKind = Literal[
    "DaemonSet", "ServiceAccount", "ConfigMap", "ClusterRole", "ClusterRoleBinding"
]


@dataclass(frozen=True, slots=True)
class AdoptedObject:
    """An EKS-created aws-node object that the chart also renders (same kind and name)."""

    kind: AdoptedKind
    name: str
    namespace: str | None  # None: cluster-scoped


#: What EKS creates for aws-node, and the chart (fullnameOverride: aws-node) renders too.
ADOPTED_OBJECTS: tuple[AdoptedObject, ...] = (
    AdoptedObject("DaemonSet", "aws-node", NAMESPACE),
    AdoptedObject("ServiceAccount", SERVICE_ACCOUNT, NAMESPACE),
    AdoptedObject("ConfigMap", "amazon-vpc-cni", NAMESPACE),
    AdoptedObject("ClusterRole", "aws-node", None),
    AdoptedObject("ClusterRoleBinding", "aws-node", None),
)


def adoption_metadata(release_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """`(labels, annotations)` that make Helm treat an existing object as the release's own."""
    labels = {MANAGED_BY_LABEL: "Helm"}
    annotations = {
        RELEASE_NAME_ANNOTATION: release_name,
        RELEASE_NAMESPACE_ANNOTATION: NAMESPACE,
    }
    return labels, annotations


def patch_metadata(obj: AdoptedObject, release_name: str) -> k8s.meta.v1.ObjectMetaPatchArgs:
    """Metadata of the server-side-apply patch that adopts `obj` into `release_name`."""
    labels, annotations = adoption_metadata(release_name)
    return k8s.meta.v1.ObjectMetaPatchArgs(
        name=obj.name,
        namespace=obj.namespace,
        labels=labels,
        annotations={**annotations, PATCH_FORCE_ANNOTATION: "true"},
    )


_PATCH_TYPES = {
    "DaemonSet": k8s.apps.v1.DaemonSetPatch,
    "ServiceAccount": k8s.core.v1.ServiceAccountPatch,
    "ConfigMap": k8s.core.v1.ConfigMapPatch,
    "ClusterRole": k8s.rbac.v1.ClusterRolePatch,
    "ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBindingPatch,
}


@dataclass(frozen=True)
class SelfManagedVpcCniArgs:
    """The CNI declaration, the region (for image registries), the cluster's Kubernetes
    provider, and aws-node's role: `role_arn` for IRSA (service account annotation), or
    `pod_identity_role_arn` + `cluster_name` for Pod Identity. Neither: the node role."""

    cni: CniSettings
    region: str
    provider: k8s.Provider
    role_arn: pulumi.Input[str] | None
    pod_identity_role_arn: pulumi.Input[str] | None = None
    cluster_name: pulumi.Input[str] | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cni.mode != "helm":
            raise ValueError("SelfManagedVpcCni needs cni.mode 'helm' (managed mode is an add-on)")
        if self.role_arn is not None and self.pod_identity_role_arn is not None:
            raise ValueError("aws-node gets an IRSA role or a Pod Identity role, not both")
        if self.pod_identity_role_arn is not None and self.cluster_name is None:
            raise ValueError("a Pod Identity role for aws-node needs cluster_name")


class SelfManagedVpcCni(pulumi.ComponentResource):
    """The aws-vpc-cni Helm release, after adopting an EKS-created aws-node if asked to."""

    release: k8s.helm.v3.Release
    """The Helm release (name `aws-vpc-cni`, namespace kube-system)."""
    patches: list[pulumi.CustomResource]
    """Adoption patches (empty unless `cni.helm.adoptExisting`)."""
    pod_identity_association: aws.eks.PodIdentityAssociation | None
    """Binds the Pod Identity role to aws-node (the managed add-on does this itself)."""

    def __init__(
        self, name: str, args: SelfManagedVpcCniArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:vpc_cni_helm:SelfManagedVpcCni", name, None, opts)
        cni = args.cni
        helm = cni.helm_settings
        self.patches = []
        if helm.adopt_existing:
            for obj in ADOPTED_OBJECTS:
                patch_type = _PATCH_TYPES[obj.kind]
                self.patches.append(patch_type(
                    f"{name}-adopt-{obj.kind.lower()}-{obj.name}",
                    metadata=patch_metadata(obj, RELEASE_NAME),
                    opts=pulumi.ResourceOptions(parent=self, provider=args.provider),
                ))
        self.pod_identity_association = None
        if args.pod_identity_role_arn is not None and args.cluster_name is not None:
            self.pod_identity_association = aws.eks.PodIdentityAssociation(
                f"{name}-pod-identity",
                cluster_name=args.cluster_name,
                namespace=NAMESPACE,
                service_account=SERVICE_ACCOUNT,
                role_arn=args.pod_identity_role_arn,
                tags=dict(args.tags) or None,
                opts=pulumi.ResourceOptions(parent=self),
            )
        association = [self.pod_identity_association] if self.pod_identity_association else []
        values = pulumi.Output.from_input(args.role_arn).apply(
            lambda role_arn: cni_module.helm_values(cni, args.region, role_arn)
        )
        self.release = k8s.helm.v3.Release(
            name,
            k8s.helm.v3.ReleaseArgs(
                name=RELEASE_NAME,
                chart=cni_module.HELM_CHART,
                version=helm.chart_version,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=cni_module.HELM_REPOSITORY),
                namespace=NAMESPACE,
                values=values,
            ),
            # The association must exist before aws-node pods start: EKS injects Pod Identity
            # credentials at pod admission.
            opts=pulumi.ResourceOptions(
                parent=self, provider=args.provider, depends_on=[*self.patches, *association]
            ),
        )
        self.register_outputs({"release_status": self.release.status})
