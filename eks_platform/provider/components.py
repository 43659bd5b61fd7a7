"""The package's components as other languages see them: `eks-platform:index:<Component>`.

Each is a thin wrapper that validates its inputs through the Python component's own settings
model (before registering anything) and then creates that Python component as its only
child, with the same name: the resources and their names are exactly what the Python API
makes, under one more parent.
The Python components keep their tokens (`eks-platform:platform:EksPlatform`, ...), so the
URNs of programs that use them do not change. The inner component carries an alias to the
stack root, so a Python program's stack moved to the package (same project, stack and
component name) keeps its resources.

No `from __future__ import annotations`: the Pulumi analyzer reads the args annotations and the
class-level `pulumi.Output[...]` annotations (the outputs) as real types. The classes do not
subclass the Python components, whose resource-typed attributes the analyzer would take for
outputs; they are `EksComponent`s (no annotations there), so `depends_on` reaches the
resources.
"""

from typing import Any

import pulumi
from pydantic.alias_generators import to_camel

from eks_platform.addons.component import EksAddon as PyEksAddon
from eks_platform.addons.component import EksAddonArgs as PyEksAddonArgs
from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCni as PySelfManagedVpcCni
from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCniArgs as PySelfManagedVpcCniArgs
from eks_platform.cluster.component import EksCluster as PyEksCluster
from eks_platform.cluster.component import EksClusterArgs as PyEksClusterArgs
from eks_platform.component import EksComponent
from eks_platform.karpenter.component import Karpenter as PyKarpenter
from eks_platform.karpenter.component import KarpenterArgs as PyKarpenterArgs
from eks_platform.nodes.fargate import FargateProfiles as PyFargateProfiles
from eks_platform.nodes.fargate import FargateProfilesArgs as PyFargateProfilesArgs
from eks_platform.nodes.nodegroup import ManagedNodeGroup as PyManagedNodeGroup
from eks_platform.nodes.nodegroup import ManagedNodeGroupArgs as PyManagedNodeGroupArgs
from eks_platform.platform import EksPlatform as PyEksPlatform
from eks_platform.platform import EksPlatformArgs as PyEksPlatformArgs
from eks_platform.provider import args as a
from eks_platform.provider.references import inner
from eks_platform.provider.validate import validated, with_region
from eks_platform.stack import PlatformSettings

PACKAGE = "eks-platform"


def _inner_opts(face: EksComponent) -> pulumi.ResourceOptions:
    """The Python component under the face, waiting for what the face waits for, aliased to
    where a Python program puts it."""
    return face.child_opts(aliases=[pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)])


def _with_refs(args: Any, **refs: type) -> dict[str, Any]:
    """The inputs with each component reference replaced by the Python component inside
    (keys as the provider sends them, camelCase, or as Python spells them)."""
    data = dict(args)
    for key, face in refs.items():
        for spelling in {key, to_camel(key)}:
            if data.get(spelling) is not None:
                data[spelling] = inner(data[spelling], face)
    return data


class EksCluster(EksComponent):
    """An EKS control plane with IRSA, access entries, encryption and logs."""

    cluster_name: pulumi.Output[str]
    """The cluster's name."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API server URL."""
    certificate_authority_data: pulumi.Output[str]
    """Base64 PEM of the cluster's certificate authority."""
    kubernetes_version: pulumi.Output[str]
    """The Kubernetes version EKS reports."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer URL."""
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS creates for the control plane and managed nodes."""
    cluster_role_arn: pulumi.Output[str]
    """ARN of the cluster's IAM role."""
    kms_key_arn: pulumi.Output[str]
    """The KMS key that envelope-encrypts Kubernetes secrets."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig that runs `aws eks get-token` (secret)."""

    def __init__(self, name: str, args: a.EksClusterInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = with_region(args, "EksCluster", name)
        settings = validated(PyEksClusterArgs, data, "EksCluster", name)
        super().__init__(f"{PACKAGE}:index:EksCluster", name, opts)
        self.component = cluster = PyEksCluster(name, settings, _inner_opts(self))
        self.cluster_name = cluster.cluster_name
        self.endpoint = cluster.endpoint
        self.certificate_authority_data = cluster.certificate_authority_data
        self.kubernetes_version = cluster.version
        self.oidc_issuer_url = cluster.oidc_issuer_url
        self.cluster_security_group_id = cluster.cluster_security_group_id
        self.cluster_role_arn = cluster.cluster.role_arn
        self.kms_key_arn = cluster.kms_key_arn
        self.kubeconfig = pulumi.Output.secret(cluster.kubeconfig)
        self.register_outputs({"clusterName": self.cluster_name})


class ManagedNodeGroup(EksComponent):
    """An EKS managed node group whose kubelet max pods matches the VPC CNI's addresses."""

    node_group_name: pulumi.Output[str]
    """The name EKS gave the node group."""
    role_arn: pulumi.Output[str]
    """ARN of the node IAM role."""
    max_pods: pulumi.Output[int]
    """Max pods per node (the minimum over the instance types)."""
    ami_type: pulumi.Output[str]
    """The AMI type: given, or derived from the instance types."""
    desired_size: pulumi.Output[int]
    """The group's initial size."""

    def __init__(self, name: str, args: a.ManagedNodeGroupInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _with_refs(args, cluster=EksCluster)
        settings = validated(PyManagedNodeGroupArgs, data, "ManagedNodeGroup", name)
        super().__init__(f"{PACKAGE}:index:ManagedNodeGroup", name, opts)
        self.component = group = PyManagedNodeGroup(name, settings, _inner_opts(self))
        self.node_group_name = group.node_group.node_group_name
        self.role_arn = group.role.arn
        self.max_pods = group.max_pods
        self.ami_type = group.ami_type
        self.desired_size = group.desired_size
        self.register_outputs({"nodeGroupName": self.node_group_name})


class EksAddon(EksComponent):
    """One EKS managed add-on at a resolved version (add-ons without an IAM role of their own)."""

    addon_arn: pulumi.Output[str]
    """ARN of the add-on."""
    version: pulumi.Output[str]
    """The add-on version EKS installed."""

    def __init__(self, name: str, args: a.EksAddonInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _with_refs(args, cluster=EksCluster)
        settings = validated(PyEksAddonArgs, data, "EksAddon", name)
        super().__init__(f"{PACKAGE}:index:EksAddon", name, opts)
        self.component = addon = PyEksAddon(name, settings, _inner_opts(self))
        self.addon_arn = addon.addon.arn
        self.version = addon.version
        self.register_outputs({"version": self.version})


class SelfManagedVpcCni(EksComponent):
    """The aws-vpc-cni Helm chart, for a cluster whose CNI declaration has `mode: helm`."""

    release_name: pulumi.Output[str]
    """Name of the Helm release."""
    role_arn: pulumi.Output[str | None]
    """ARN of aws-node's IAM role (none with `cni.iam: nodeRole`)."""

    def __init__(self, name: str, args: a.SelfManagedVpcCniInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _with_refs(args, cluster=EksCluster)
        settings = validated(PySelfManagedVpcCniArgs, data, "SelfManagedVpcCni", name)
        super().__init__(f"{PACKAGE}:index:SelfManagedVpcCni", name, opts)
        self.component = cni = PySelfManagedVpcCni(name, settings, _inner_opts(self))
        self.release_name = cni.release.name.apply(lambda value: value or "")
        self.role_arn = pulumi.Output.from_input(
            cni.role.arn if cni.role is not None else None)
        self.register_outputs({"releaseName": self.release_name})


class FargateProfiles(EksComponent):
    """Fargate profiles sharing one pod execution role. Fargate runs one pod per node."""

    profile_arns: pulumi.Output[dict[str, str]]
    """ARN of each Fargate profile, by name."""

    def __init__(self, name: str, args: a.FargateProfilesInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _with_refs(args, cluster=EksCluster)
        settings = validated(PyFargateProfilesArgs, data, "FargateProfiles", name)
        super().__init__(f"{PACKAGE}:index:FargateProfiles", name, opts)
        self.component = profiles = PyFargateProfiles(name, settings, _inner_opts(self))
        self.profile_arns = pulumi.Output.all(
            **{key: p.arn for key, p in profiles.profiles.items()})
        self.register_outputs({"profileArns": self.profile_arns})


class Karpenter(EksComponent):
    """Karpenter on a managed node group: controller, IAM, interruption queue, NodePools."""

    controller_role_arn: pulumi.Output[str]
    """ARN of the controller's IAM role (through EKS Pod Identity)."""
    node_role_arn: pulumi.Output[str]
    """ARN of the IAM role of the nodes Karpenter launches."""
    interruption_queue_name: pulumi.Output[str]
    """The SQS queue of EC2 interruption events."""
    node_pool_names: pulumi.Output[list[str]]
    """The NodePools created (a pool split by max pods gives several)."""

    def __init__(self, name: str, args: a.KarpenterInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _with_refs(args, cluster=EksCluster, system_node_group=ManagedNodeGroup)
        settings = validated(PyKarpenterArgs, data, "Karpenter", name)
        super().__init__(f"{PACKAGE}:index:Karpenter", name, opts)
        self.component = karpenter = PyKarpenter(name, settings, _inner_opts(self))
        self.controller_role_arn = karpenter.controller_role.arn
        self.node_role_arn = karpenter.node_role.arn
        self.interruption_queue_name = karpenter.queue.name
        self.node_pool_names = pulumi.Output.from_input(sorted(karpenter.node_pools))
        self.register_outputs({"nodePoolNames": self.node_pool_names})


class EksPlatform(EksComponent):
    """A whole EKS platform from one stack's settings: network, cluster, add-ons and compute."""

    cluster_name: pulumi.Output[str]
    """The cluster's name."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API server URL."""
    certificate_authority_data: pulumi.Output[str]
    """Base64 PEM of the cluster's certificate authority."""
    kubernetes_version: pulumi.Output[str]
    """The Kubernetes version EKS reports."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig that runs `aws eks get-token` (secret)."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer URL."""
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS creates for the control plane and managed nodes."""
    cluster_role_arn: pulumi.Output[str]
    """ARN of the cluster's IAM role."""
    node_role_arns: pulumi.Output[dict[str, str]]
    """ARN of each node group's IAM role, by node group name."""
    max_pods: pulumi.Output[dict[str, int]]
    """Max pods per node of each node group, by name."""
    karpenter_node_role_arn: pulumi.Output[str | None]
    """ARN of the IAM role of Karpenter's nodes (none without Karpenter)."""
    vpc_id: pulumi.Output[str | None]
    """The VPC the platform created (none with `subnetIds`)."""
    private_subnet_ids: pulumi.Output[list[str] | None]
    """The created VPC's private subnets (none with `subnetIds`)."""

    def __init__(self, name: str, args: a.EksPlatformInputs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = with_region(args, "EksPlatform", name)
        settings = validated(PlatformSettings, data, "EksPlatform", name)
        super().__init__(f"{PACKAGE}:index:EksPlatform", name, opts)
        self.component = platform = PyEksPlatform(
            name, PyEksPlatformArgs(settings=settings, stack=pulumi.get_stack()),
            _inner_opts(self))
        cluster = platform.cluster
        self.cluster_name = cluster.cluster_name
        self.endpoint = cluster.endpoint
        self.certificate_authority_data = cluster.certificate_authority_data
        self.kubernetes_version = cluster.version
        self.kubeconfig = pulumi.Output.secret(cluster.kubeconfig)
        self.oidc_issuer_url = cluster.oidc_issuer_url
        self.cluster_security_group_id = cluster.cluster_security_group_id
        self.cluster_role_arn = cluster.cluster.role_arn
        groups = platform.node_groups
        self.node_role_arns = pulumi.Output.all(**{k: g.role.arn for k, g in groups.items()})
        self.max_pods = pulumi.Output.all(**{k: g.max_pods for k, g in groups.items()})
        karpenter = platform.karpenter
        self.karpenter_node_role_arn = pulumi.Output.from_input(
            karpenter.node_role.arn if karpenter is not None else None)
        vpc = platform.vpc
        self.vpc_id = pulumi.Output.from_input(vpc.vpc_id if vpc is not None else None)
        self.private_subnet_ids = pulumi.Output.from_input(
            vpc.private_subnet_ids if vpc is not None else None)
        self.register_outputs({"clusterName": self.cluster_name})


COMPONENTS: list[type[pulumi.ComponentResource]] = [
    EksPlatform, EksCluster, ManagedNodeGroup, EksAddon, SelfManagedVpcCni, FargateProfiles,
    Karpenter,
]
