"""Self-managed VPC CNI: the eks-charts `aws-vpc-cni` Helm release, optionally adopting aws-node.

A cluster created with `bootstrapSelfManagedAddons: true` already runs an EKS-created aws-node.
Helm refuses to install over objects it does not own, so adoption first stamps Helm's
ownership metadata on each of them (server-side-apply patches); the release then takes them
over in place, without a window with no CNI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pydantic import field_validator

from eks_platform.addons import cni as cni_module
from eks_platform.addons.component import CNI_COMPONENTS, sibling_urn
from eks_platform.cluster.component import EksCluster
from eks_platform.cluster.service_account_role import ServiceAccountRole, vpc_cni_role
from eks_platform.component import ComponentArgs, EksComponent

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


class SelfManagedVpcCniArgs(ComponentArgs):
    """The aws-vpc-cni chart for `cluster`, whose CNI declaration has `mode: helm`.

    `role`: aws-node's IAM role (IRSA: a service account annotation; Pod Identity: an
    association); None: one as `cluster.cni.iam` says (`nodeRole`: none, the node role)."""

    cluster: EksCluster
    """The cluster to install the chart on; its CNI declaration (`mode: helm`) gives the values
    and its Kubernetes provider installs them."""
    role: ServiceAccountRole | None = None
    """aws-node's IAM role: IRSA adds a service account annotation, Pod Identity an
    association. Unset: one is made as `cluster.cni.iam` says (none with `nodeRole`)."""

    @field_validator("cluster")
    @classmethod
    def _helm_mode(cls, cluster: EksCluster) -> EksCluster:
        if cluster.cni.mode != "helm":
            raise ValueError("SelfManagedVpcCni needs cni.mode 'helm' (managed mode is an add-on)")
        return cluster


class SelfManagedVpcCni(EksComponent):
    """The aws-vpc-cni Helm release, after adopting an EKS-created aws-node if asked to."""

    release: k8s.helm.v3.Release
    """The Helm release (name `aws-vpc-cni`, namespace kube-system)."""
    patches: list[pulumi.CustomResource]
    """Adoption patches (empty unless `cni.helm.adoptExisting`)."""
    pod_identity_association: aws.eks.PodIdentityAssociation | None
    role: ServiceAccountRole | None
    """aws-node's IAM role (None: the node role)."""
    """Binds the Pod Identity role to aws-node (the managed add-on does this itself)."""

    def __init__(
        self, name: str, args: SelfManagedVpcCniArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:vpc_cni_helm:SelfManagedVpcCni", name, opts)
        cluster = args.cluster
        cni = cluster.cni
        helm = cni.helm_settings
        self.role = args.role or vpc_cni_role(name, cluster, opts=self.child_opts(aliases=[
            pulumi.Alias(parent=sibling_urn(self, CNI_COMPONENTS["managed"]))]))
        role = self.role
        self.patches = []
        if helm.adopt_existing:
            for obj in ADOPTED_OBJECTS:
                patch_type = _PATCH_TYPES[obj.kind]
                self.patches.append(patch_type(
                    f"{name}-adopt-{obj.kind.lower()}-{obj.name}",
                    metadata=patch_metadata(obj, RELEASE_NAME),
                    opts=self.child_opts(provider=cluster.provider),
                ))
        self.pod_identity_association = None
        if role is not None and role.mode == "podIdentity":
            # The association must exist before aws-node pods start: EKS injects Pod Identity
            # credentials at pod admission.
            self.pod_identity_association = aws.eks.PodIdentityAssociation(
                f"{name}-pod-identity",
                cluster_name=cluster.cluster_name,
                namespace=NAMESPACE,
                service_account=SERVICE_ACCOUNT,
                role_arn=role.arn,
                tags=dict(cluster.args.tags) or None,
                opts=self.child_opts(depends_on=[cluster.pod_identity_agent("aws-node")]),
            )
        association = [self.pod_identity_association] if self.pod_identity_association else []
        values = pulumi.Output.from_input(role.irsa_role_arn if role else None).apply(
            lambda role_arn: cni_module.helm_values(cni, cluster.region, role_arn,
                                                    cluster.args.ip_family)
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
            # Removing the release (switching to the managed add-on) must not uninstall
            # aws-node under running pods: Pulumi forgets the release instead, and the add-on
            # takes the objects over (resolveConflictsOnCreate: OVERWRITE).
            opts=self.child_opts(provider=cluster.provider, retain_on_delete=True,
                                 depends_on=[*self.patches, *association]),
        )
        cluster.add_cni(self, helm.chart_version)
        self.register_outputs({"release_status": self.release.status})
