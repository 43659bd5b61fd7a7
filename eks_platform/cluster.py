"""`EksCluster`: the control plane and everything that authenticates against it.

Cluster IAM role, KMS key for secrets envelope encryption, control-plane log group, the
cluster itself (private endpoint, API authentication mode, access entries), the IRSA OIDC
provider, a kubeconfig (secret) and a Kubernetes provider built from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from . import iam
from .kubeconfig import render_kubeconfig

#: SHA-1 of the root CA behind every EKS OIDC issuer (Amazon Trust Services). IAM validates
#: EKS issuers against its own trusted CAs and ignores this value, but older API versions and
#: some partitions still require a thumbprint, and a constant one never causes a diff.
EKS_OIDC_ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
LOG_RETENTION_DAYS = 90


@dataclass(frozen=True)
class EksClusterArgs:
    """Inputs of `EksCluster`; defaults are the secure choice."""

    name: str
    region: str
    kubernetes_version: str
    subnet_ids: pulumi.Input[Sequence[str]]
    public_access_cidrs: Sequence[str] = ()
    """Empty: the API endpoint is private only."""
    admin_arns: Sequence[str] = ()
    cluster_creator_admin: bool = True
    kms_key_arn: str | None = None
    """None: create a key with rotation on."""
    log_types: Sequence[str] = ("api", "audit", "authenticator")
    bootstrap_self_managed_addons: bool = False
    ip_family: str = "ipv4"
    protect: bool = False
    deletion_protection: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)


def _oidc_issuer(identities: Sequence[aws.eks.outputs.ClusterIdentity]) -> str:
    oidcs = identities[0].oidcs or []
    return oidcs[0].issuer or "" if oidcs else ""


class EksCluster(pulumi.ComponentResource):
    """An EKS control plane with IRSA, access entries, encryption and logs."""

    cluster: aws.eks.Cluster
    """The `aws.eks.Cluster` resource."""
    cluster_name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority_data: pulumi.Output[str]
    version: pulumi.Output[str]
    oidc_provider_arn: pulumi.Output[str]
    """IAM OIDC provider for IRSA roles."""
    oidc_issuer_url: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS creates for control plane and managed nodes."""
    kms_key_arn: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    """A secret kubeconfig that runs `aws eks get-token`."""
    provider: k8s.Provider
    """Kubernetes provider for this cluster."""

    def __init__(
        self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:cluster:EksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        protected = pulumi.ResourceOptions(parent=self, protect=args.protect)
        tags = dict(args.tags)

        role = aws.iam.Role(f"{name}-cluster", assume_role_policy=iam.service_trust_policy(
            "eks.amazonaws.com", tag_session=True), tags=tags, opts=child)
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-cluster-{iam.policy_label(policy)}", role=role.name,
                policy_arn=iam.policy_arn(policy, args.region), opts=child)
            for policy in iam.CLUSTER_POLICIES
        ]

        key_arn: pulumi.Input[str]
        if args.kms_key_arn is None:
            key = aws.kms.Key(
                f"{name}-secrets", description=f"EKS secrets envelope encryption for {args.name}",
                enable_key_rotation=True, deletion_window_in_days=30, tags=tags, opts=protected)
            aws.kms.Alias(f"{name}-secrets", name=f"alias/eks/{args.name}",
                          target_key_id=key.key_id, opts=child)
            key_arn = key.arn
        else:
            key_arn = args.kms_key_arn

        # Created first, so EKS does not create it with unlimited retention.
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane", name=f"/aws/eks/{args.name}/cluster",
            retention_in_days=LOG_RETENTION_DAYS, tags=tags, opts=child)

        public = bool(args.public_access_cidrs)
        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=args.name,
            version=args.kubernetes_version,
            role_arn=role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=args.subnet_ids,
                endpoint_private_access=True,
                endpoint_public_access=public,
                public_access_cidrs=list(args.public_access_cidrs) if public else None,
            ),
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API",
                bootstrap_cluster_creator_admin_permissions=args.cluster_creator_admin,
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key_arn),
                resources=["secrets"],
            ),
            kubernetes_network_config=aws.eks.ClusterKubernetesNetworkConfigArgs(
                ip_family=args.ip_family),
            enabled_cluster_log_types=list(args.log_types),
            bootstrap_self_managed_addons=args.bootstrap_self_managed_addons,
            deletion_protection=args.deletion_protection,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect,
                                        depends_on=[*attachments, log_group]),
        )

        issuer = self.cluster.identities.apply(_oidc_issuer)
        oidc = aws.iam.OpenIdConnectProvider(
            f"{name}-oidc", url=issuer, client_id_lists=[iam.STS_AUDIENCE],
            thumbprint_lists=[EKS_OIDC_ROOT_CA_THUMBPRINT], tags=tags, opts=child)

        for index, arn in enumerate(args.admin_arns):
            entry = aws.eks.AccessEntry(
                f"{name}-admin-{index}", cluster_name=self.cluster.name, principal_arn=arn,
                type="STANDARD", tags=tags, opts=child)
            aws.eks.AccessPolicyAssociation(
                f"{name}-admin-{index}", cluster_name=self.cluster.name, principal_arn=arn,
                policy_arn=iam.access_policy_arn(iam.CLUSTER_ADMIN_ACCESS_POLICY, args.region),
                access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[entry]))

        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.certificate_authority_data = self.cluster.certificate_authority.apply(
            lambda ca: ca.data or "")
        self.version = self.cluster.version
        self.oidc_provider_arn = oidc.arn
        self.oidc_issuer_url = issuer
        self.cluster_security_group_id = self.cluster.vpc_config.apply(
            lambda vpc: vpc.cluster_security_group_id or "")
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.kubeconfig = pulumi.Output.secret(pulumi.Output.all(
            self.cluster.name, self.endpoint, self.certificate_authority_data,
        ).apply(lambda a: render_kubeconfig(a[0], a[1], a[2], args.region)))
        self.provider = k8s.Provider(f"{name}-k8s", kubeconfig=self.kubeconfig, opts=child)

        self.register_outputs({
            "clusterName": self.cluster_name, "endpoint": self.endpoint,
            "oidcProviderArn": self.oidc_provider_arn, "kubeconfig": self.kubeconfig,
        })
