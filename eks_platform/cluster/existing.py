"""`ExistingCluster`: a cluster this program did not create, for components to attach to.

Node groups, add-ons, Karpenter and Auto Mode NodePools take `cluster=` and read from it the
name, version, region, subnets, security group, CNI declaration, provider and deploy order.
`ExistingCluster` offers the same, from a cluster looked up by name (`aws.eks.Cluster.get`, a
read of the live cluster, never a change to it) or named by another stack's outputs (this
package's own: `clusterName`, `privateSubnetIds`, `clusterSecurityGroupId`,
`oidcProviderArn`). What the settings declare (CNI, add-ons, tags) must describe the running
cluster: they size max pods and count each node's DaemonSets, as for a created cluster.

Nothing of the cluster itself is created or changed: no role, key, log group or access entry
(the deployer needs its own access to the cluster already), no OIDC provider (named one, or
Pod Identity). The node-volume key is created on first use when `nodeVolumeKmsKey: customer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
from pydantic import Field

from eks_platform.cluster import keys
from eks_platform.cluster.component import EksCluster, EksClusterArgs, _oidc_issuer
from eks_platform.cluster.deploy_order import DeployOrder
from eks_platform.cluster.kubeconfig import render_kubeconfig
from eks_platform.cluster.settings import CLUSTER_NAME_PATTERN, ClusterSettings
from eks_platform.component import ComponentArgs, EksComponent


class ExistingClusterArgs(ClusterSettings, ComponentArgs):
    """The running cluster's name and what it runs (same settings and messages as a created
    cluster's). `kubernetesVersion` must be the version it runs: checked at deploy."""

    name: str = Field(pattern=CLUSTER_NAME_PATTERN)
    """The cluster's name (`DescribeCluster`)."""
    stack: str | None = None
    """Another stack of this package (`org/project/stack`) whose outputs name the cluster:
    its `clusterName` must be `name`; its private subnets and security group are used."""
    subnet_ids: list[str] | None = None
    """Default subnets of node groups; None: the other stack's `privateSubnetIds`, else the
    cluster's own subnets (`vpcConfig.subnetIds`)."""
    oidc_provider_arn: str | None = None
    """The cluster's IAM OIDC provider, for IRSA roles; None: the other stack's
    `oidcProviderArn` if it exports one (there is one provider per issuer, so none is made)."""


def _same_name(expected: str) -> Any:
    def check(found: Any) -> str:
        if found != expected:
            raise pulumi.RunError(f"ExistingCluster: the stack's clusterName output is "
                                  f"{found!r}, not {expected!r}")
        return expected
    return check


def _same_version(expected: str, name: str) -> Any:
    def check(found: str | None) -> str:
        if found and found != expected:
            raise pulumi.RunError(f"ExistingCluster {name} runs Kubernetes {found}, not "
                                  f"kubernetesVersion {expected}: the node groups and add-ons "
                                  "would be made for the wrong version")
        return found or expected
    return check


class ExistingCluster(EksCluster):
    """A running EKS cluster that components can be added to (`cluster=`), as an `EksCluster`
    created in this program offers: CDK's `ICluster`, for Pulumi."""

    def __init__(self, name: str, args: ExistingClusterArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        EksComponent.__init__(self, "eks-platform:cluster:ExistingCluster", name, opts)
        self._prefix = name
        self.region = args.region
        self.kubernetes_version = args.kubernetes_version
        self.cni = args.cni
        # The running cluster has its networking already: nodes need not wait for a CNI
        # made here (one made here is still waited for).
        DeployOrder.__init__(self, args.name, True)
        reference = (pulumi.StackReference(f"{name}-stack", stack_name=args.stack,
                                           opts=self.child_opts())
                     if args.stack is not None else None)
        cluster_id: pulumi.Input[str] = args.name
        if reference is not None:
            cluster_id = reference.get_output("clusterName").apply(_same_name(args.name))
        self.cluster = aws.eks.Cluster.get(f"{name}-eks", cluster_id, opts=self.child_opts())
        subnets: pulumi.Input[Sequence[str]]
        if args.subnet_ids is not None:
            subnets = list(args.subnet_ids)
        elif reference is not None:
            subnets = reference.get_output("privateSubnetIds")
        else:
            subnets = self.cluster.vpc_config.apply(lambda vpc: list(vpc.subnet_ids or []))
        self.subnet_ids = subnets
        settings = args.model_dump(include=set(ClusterSettings.model_fields))
        self.args = EksClusterArgs(**{**settings, "auto_mode": args.auto_mode},
                                   name=args.name, subnet_ids=subnets)
        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.certificate_authority_data = self.cluster.certificate_authority.apply(
            lambda ca: ca.data or "")
        self.version = self.cluster.version.apply(
            _same_version(args.kubernetes_version, args.name))
        self.oidc_issuer_url = self.cluster.identities.apply(_oidc_issuer)
        self.cluster_security_group_id = self.cluster.vpc_config.apply(
            lambda vpc: vpc.cluster_security_group_id or "")
        self.kms_key_arn = self.cluster.encryption_config.apply(
            lambda c: (c.provider.key_arn or "") if c is not None and c.provider else "")
        self.kubeconfig = pulumi.Output.secret(pulumi.Output.all(
            self.cluster.name, self.endpoint, self.certificate_authority_data,
        ).apply(lambda a: render_kubeconfig(a[0], a[1], a[2], args.region)))
        self.deployer = keys.deployer(self)
        self._key_context = keys.KeyContext(self.deployer, args.region, args.kms_key_admins,
                                            dict(args.tags), self.child_opts(protect=args.protect))
        self._node_volume_key = None
        self._admin_grants = {}
        self._api_path = []
        self._provider = None
        self.auto_mode_node_role = None
        self.hybrid_nodes_role = None
        self._oidc_arn: pulumi.Input[str] | None = args.oidc_provider_arn
        if self._oidc_arn is None and reference is not None:
            self._oidc_arn = reference.get_output("oidcProviderArn")
        self._oidc_provider = None
        self.register_outputs({"clusterName": self.cluster_name})

    def deployer_access(self) -> list[pulumi.Resource]:
        """None made: the deployer of an existing cluster already has its access."""
        return []

    def pod_identity_agent(self, user: str) -> pulumi.Resource:
        """The agent added here, else the running one the settings declare
        (`addons.podIdentityAgent.enabled`): this cluster stands for it."""
        if self._pod_identity_agent is None and self.args.pod_identity_agent_enabled:
            return self
        return super().pod_identity_agent(user)

    def oidc_provider(self) -> aws.iam.OpenIdConnectProvider:
        """The cluster's existing IAM OIDC provider (read, never created)."""
        if self._oidc_provider is None:
            if self._oidc_arn is None:
                raise ValueError(
                    f"IRSA on existing cluster {self.args.name} needs its OIDC provider: give "
                    "ExistingClusterArgs.oidc_provider_arn, or use EKS Pod Identity")
            self._oidc_provider = aws.iam.OpenIdConnectProvider.get(
                f"{self._prefix}-oidc", self._oidc_arn, opts=self.child_opts())
        return self._oidc_provider

    @classmethod
    def by_name(cls, name: str, cluster_name: str, region: str, kubernetes_version: str,
                opts: pulumi.ResourceOptions | None = None, **settings: Any) -> ExistingCluster:
        """`ExistingCluster` of the running cluster `cluster_name`."""
        return cls(name, ExistingClusterArgs(name=cluster_name, region=region,
                                             kubernetes_version=kubernetes_version, **settings),
                   opts)
