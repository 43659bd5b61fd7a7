"""`EksCluster`: the control plane and everything that authenticates against it.

Cluster IAM role, customer KMS keys with explicit policies (secrets envelope encryption,
control-plane logs, node volumes), the encrypted control-plane log group, the cluster itself
(private endpoint, API authentication mode, access entries with scoped access policies, an
explicit support type), the IRSA OIDC provider once something uses it, a kubeconfig (secret)
and a Kubernetes provider.

Before any of it, the upgrade guard: if a cluster of that name already runs, its version is
read through the aws provider's data sources and a step EKS would refuse (more than one minor
up, or down) fails the program, at preview, before anything changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pydantic import Field, field_validator

from eks_platform.addons.cni import CniSettings
from eks_platform.cluster import control_plane, features, iam, keys
from eks_platform.cluster.access import EntryPlan, plan_entries
from eks_platform.cluster.access_entries import grant_access
from eks_platform.cluster.auto_mode_guard import auto_mode_guard
from eks_platform.cluster.deploy_order import DeployOrder
from eks_platform.cluster.kubeconfig import render_kubeconfig
from eks_platform.cluster.settings import CLUSTER_NAME_PATTERN, ClusterSettings
from eks_platform.cluster.version_guard import live_creator_entry, upgrade_guard
from eks_platform.component import ComponentArgs, EksComponent, StringList
from eks_platform.identity import principal_key
from eks_platform.network.settings import check_subnet_ids

#: SHA-1 of the root CA behind every EKS OIDC issuer (Amazon Trust Services). IAM validates
#: EKS issuers against its own trusted CAs and ignores this value, but older API versions and
#: some partitions still require a thumbprint, and a constant one never causes a diff.
EKS_OIDC_ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"


class EksClusterArgs(ClusterSettings, ComponentArgs):
    """Inputs of `EksCluster`: the stack file's cluster settings (same rules, same messages),
    the cluster's name and its subnets. Defaults are the secure choice."""

    name: str = Field(pattern=CLUSTER_NAME_PATTERN)
    """The EKS cluster name: 1 to 100 letters, digits, `-` and `_`, starting with a letter or
    digit. Changing it replaces the cluster. It also names the secrets key's alias
    (`alias/eks/<name>`) and the control-plane log group (`/aws/eks/<name>/cluster`)."""
    subnet_ids: StringList
    """Subnets for the control plane's ENIs, and the default subnets of node groups and
    Fargate profiles created with `cluster=`."""
    api_path: list[pulumi.Resource] = Field(default_factory=list)
    """What the deployer's way to the private endpoint needs besides the 443 rule this
    cluster adds (e.g. `Vpc.deployer_routes`): the Kubernetes provider waits for it. Give it
    the VPC's `egress_path` too, so that `pulumi destroy` deletes what goes through the
    provider (Karpenter's objects) before the network they need."""

    @field_validator("subnet_ids")
    @classmethod
    def _subnet_ids(cls, ids: StringList) -> StringList:
        if isinstance(ids, list | tuple) and all(isinstance(i, str) for i in ids):
            if len(ids) < 2:
                raise ValueError("EKS needs subnets in at least two availability zones")
            return check_subnet_ids(list(ids))
        return ids


def _oidc_issuer(identities: Sequence[aws.eks.outputs.ClusterIdentity]) -> str:
    oidcs = identities[0].oidcs or []
    return oidcs[0].issuer or "" if oidcs else ""


class EksCluster(EksComponent, DeployOrder):
    """An EKS control plane with IRSA, access entries, encryption and logs.

    Node groups, add-ons, the Helm CNI and Fargate profiles take `cluster=` and read from it
    the name, version, region, default subnets, the CNI declaration and the deploy order.
    """

    args: EksClusterArgs
    """What the cluster was created from."""
    region: str
    """The AWS region (and so the partition) the cluster lives in."""
    kubernetes_version: str
    """The Kubernetes version asked for (`version` is the one EKS reports)."""
    cni: CniSettings
    """The one declaration of pod networking: add-on config, chart values and max pods."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Default subnets of node groups and Fargate profiles."""

    cluster: aws.eks.Cluster
    """The `aws.eks.Cluster` resource."""
    cluster_name: pulumi.Output[str]
    """The cluster's name, known once EKS has created it."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API server URL."""
    certificate_authority_data: pulumi.Output[str]
    """Base64 PEM of the cluster's certificate authority."""
    version: pulumi.Output[str]
    """The Kubernetes version EKS reports for the control plane."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer (`https://oidc.eks.<region>.amazonaws.com/id/...`)."""
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS creates for control plane and managed nodes."""
    kms_key_arn: pulumi.Output[str]
    """The KMS key that envelope-encrypts Kubernetes secrets."""
    deployer: keys.Deployer
    """The identity running the program (a key administrator of every key created here)."""
    kubeconfig: pulumi.Output[str]
    """A secret kubeconfig that runs `aws eks get-token`."""
    auto_mode_node_role: aws.iam.Role | None
    """The node role of Auto Mode's built-in pools (`computeConfig.nodeRoleArn`), if any."""
    hybrid_nodes_role: aws.iam.Role | None
    """The role hybrid nodes authenticate with (`HYBRID_LINUX` access entry), if any."""

    def __init__(
        self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:cluster:EksCluster", name, opts)
        upgrade_guard(args, args.name, pulumi.InvokeOptions(parent=self))
        auto_mode_guard(args, args.name, pulumi.InvokeOptions(parent=self))
        self.args = args
        self._prefix = name
        self.region = args.region
        self.kubernetes_version = args.kubernetes_version
        self.cni = args.cni
        self.subnet_ids = args.subnet_ids
        DeployOrder.__init__(self, args.name, args.bootstrap_self_managed_addons)
        child = self.child_opts()
        protected = self.child_opts(protect=args.protect)
        tags = dict(args.tags)

        role, attachments = control_plane.cluster_role(name, args, tags, child)
        self.auto_mode_node_role = features.auto_mode_node_role(self, name, args, args.name, tags)
        extra = features.cluster_inputs(args, self.auto_mode_node_role)

        self.deployer = deployer = keys.deployer(self)
        key_context = keys.KeyContext(deployer, args.region, args.kms_key_admins, tags, protected)
        key_arn = control_plane.secrets_key_arn(name, args, args.name, key_context, role.arn, child)
        log_group = control_plane.control_plane_log_group(
            name, args, args.name, key_context, tags, protected)

        self._key_context = key_context
        self._node_volume_key: pulumi.Output[str] | None = None

        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            **control_plane.cluster_inputs(args, args.name, args.subnet_ids, role.arn, key_arn,
                                           extra, tags),
            # EKS reads the creator-admin flag and bootstrapSelfManagedAddons only at creation
            # and the provider replaces the cluster when either changes (ForceNew,
            # terraform-provider-aws#40411): a later change (a CNI switch, admins added) must
            # never replace a running cluster.
            opts=self.child_opts(
                protect=args.protect, depends_on=[*attachments, log_group],
                ignore_changes=["accessConfig.bootstrapClusterCreatorAdminPermissions",
                                "bootstrapSelfManagedAddons"]),
        )

        # One entry per principal, named by the principal (not by its place in `admins`).
        creator_entry = live_creator_entry(args.name, pulumi.InvokeOptions(parent=self))
        self._entries = plan_entries(
            [(a.principal_arn, a.grant(args.region)) for a in args.admins], deployer.arn,
            args.creator_is_admin if creator_entry is None else creator_entry, args.region)
        positions = {a.principal_arn: i for i, a in enumerate(args.admins)}
        self._admin_grants: dict[str, pulumi.Resource] = {
            plan.principal_arn: self._access(
                f"{name}-admin-{principal_key(plan.principal_arn)}", plan,
                # Until 0.x admins were named by position: a stack upgraded with its admins
                # unchanged keeps its entries (upgrade first, then edit the list).
                legacy=f"{name}-admin-{positions[plan.principal_arn]}")
            for plan in self._entries if plan.role == "admin"}

        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.certificate_authority_data = self.cluster.certificate_authority.apply(
            lambda ca: ca.data or "")
        self.version = self.cluster.version
        self.oidc_issuer_url = self.cluster.identities.apply(_oidc_issuer)
        self._oidc_provider: aws.iam.OpenIdConnectProvider | None = None
        if args.oidc_provider:
            self.oidc_provider()
        self.cluster_security_group_id = self.cluster.vpc_config.apply(
            lambda vpc: vpc.cluster_security_group_id or "")
        api_rules = control_plane.api_rules(self, name, args, self.cluster_security_group_id,
                                            tags)
        self.hybrid_nodes_role = features.hybrid_nodes(
            self, name, args, self.cluster, self.cluster_security_group_id, tags)
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.kubeconfig = pulumi.Output.secret(pulumi.Output.all(
            self.cluster.name, self.endpoint, self.certificate_authority_data,
        ).apply(lambda a: render_kubeconfig(a[0], a[1], a[2], args.region)))
        self._api_path: list[pulumi.Resource] = [*api_rules, *args.api_path]
        self._provider: k8s.Provider | None = None
        self._deployer_grant: pulumi.Resource | None = None

        self.register_outputs({
            "clusterName": self.cluster_name, "endpoint": self.endpoint,
            "kubeconfig": self.kubeconfig,
        })

    # --- created on first use ---------------------------------------------------------------

    @property
    def provider(self) -> k8s.Provider:
        """The Kubernetes provider of this cluster, created when a component first sends
        something through the Kubernetes API. It waits for the deployer's way to the endpoint
        and for the deployer's right to use it (`deployer_access`)."""
        if self._provider is None:
            self._provider = k8s.Provider(
                f"{self._prefix}-k8s", kubeconfig=self.kubeconfig,
                opts=self.child_opts(depends_on=[*self._api_path, *self.deployer_access()]))
        return self._provider

    def deployer_access(self) -> list[pulumi.Resource]:
        """What lets the identity running `pulumi up` act in the cluster. With API
        authentication only access entries authorise: the creator's bootstrap entry when EKS
        made one (`clusterCreatorAdmin`, or what the running cluster was created with), else
        the deployer's own entry as one of the `admins`, else an explicit, visible entry with
        cluster-admin (the Helm CNI and Karpenter create cluster-wide RBAC and CRDs)."""
        arn = self.deployer.arn
        plan = next((p for p in self._entries if p.role == "deployer"), None)
        if plan is None:
            return [self._admin_grants[arn]] if arn in self._admin_grants else []
        if self._deployer_grant is None:
            if plan.create_entry:
                self._deployer_grant = self._access(f"{self._prefix}-deployer", plan)
            else:
                # An admin with less than cluster-admin: cluster-admin is associated with its
                # entry too, after that entry exists.
                admin = self._admin_grants[arn]
                self._deployer_grant = grant_access(
                    f"{self._prefix}-deployer", plan, self.cluster.name, dict(self.args.tags),
                    lambda **o: self.child_opts(depends_on=[admin], **o))
        return [self._deployer_grant]

    def _access(self, name: str, plan: EntryPlan,
                legacy: str | None = None) -> pulumi.Resource:
        aliases = [pulumi.Alias(name=legacy)] if legacy and legacy != name else []
        return grant_access(name, plan, self.cluster.name, dict(self.args.tags),
                            lambda **o: self.child_opts(aliases=aliases, **o))

    def node_volume_key_arn(self) -> pulumi.Output[str] | None:
        """The customer KMS key of node volumes (`nodeVolumeKmsKey: customer`), created when the
        first node group or Karpenter node class asks for it, so a Fargate-only cluster has
        none; None: the account's AWS managed `aws/ebs` key."""
        if self.args.node_volume_kms_key != "customer":
            return None
        if self._node_volume_key is None:
            self._node_volume_key = keys.node_volume_key(
                f"{self._prefix}-node-volumes", self._key_context,
                description=f"EBS volumes of {self.args.name}'s nodes").arn
        return self._node_volume_key

    # --- IRSA: the OIDC provider exists only when something uses it ---------------------------

    def oidc_provider(self) -> aws.iam.OpenIdConnectProvider:
        """The cluster's IAM OIDC provider, created on first use: a cluster whose roles all use
        EKS Pod Identity gets none (`oidcProvider: true` creates it for other stacks' roles)."""
        if self._oidc_provider is None:
            self._oidc_provider = aws.iam.OpenIdConnectProvider(
                f"{self._prefix}-oidc", url=self.oidc_issuer_url,
                client_id_lists=[iam.STS_AUDIENCE],
                thumbprint_lists=[EKS_OIDC_ROOT_CA_THUMBPRINT], tags=dict(self.args.tags),
                opts=self.child_opts())
        return self._oidc_provider

    @property
    def has_oidc_provider(self) -> bool:
        """Whether the OIDC provider was created (by an IRSA role or `oidcProvider: true`)."""
        return self._oidc_provider is not None

    @property
    def oidc_provider_arn(self) -> pulumi.Output[str]:
        """ARN of the IAM OIDC provider for IRSA roles (creates the provider)."""
        return self.oidc_provider().arn
