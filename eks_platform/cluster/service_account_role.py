"""`ServiceAccountRole`: an IAM role for one Kubernetes service account, by IRSA or EKS Pod
Identity, and the vpc-cni's own role (`vpc_cni_role`) as the CNI declaration asks for it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import pulumi
import pulumi_aws as aws
from pydantic import Field, model_validator

from eks_platform.addons.cni import AWS_NODE_NAMESPACE, AWS_NODE_SERVICE_ACCOUNT
from eks_platform.cluster import iam
from eks_platform.component import ComponentArgs, EksComponent, StringInput
from eks_platform.errors import FieldError
from eks_platform.nodes.kubernetes_names import DNS_LABEL_PATTERN as KUBERNETES_NAME

if TYPE_CHECKING:
    from eks_platform.cluster.component import EksCluster

ServiceAccountTrust = Literal["irsa", "podIdentity"]
IpFamily = Literal["ipv4", "ipv6"]


def cni_policies(ip_family: IpFamily, region: str) -> tuple[tuple[str, ...], str | None]:
    """`(managed policy names, inline policy JSON)` of the vpc-cni role.

    AmazonEKS_CNI_Policy covers IPv4 only; for IPv6 AWS documents a custom policy instead.
    """
    if ip_family == "ipv6":
        return (), iam.cni_ipv6_policy(region)
    return (iam.CNI_POLICY,), None


class ServiceAccountRoleArgs(ComponentArgs):
    """An IAM role for one Kubernetes service account.

    `irsa` needs the cluster's OIDC provider ARN and issuer URL; `podIdentity` needs the
    cluster's ARN: the role trusts the EKS Pod Identity service only for this service account
    of this cluster in its account (and the pod identity agent must run on the cluster).
    """

    namespace: str = Field(pattern=KUBERNETES_NAME)
    """Namespace of the service account that may assume the role."""
    service_account: str = Field(pattern=KUBERNETES_NAME)
    """Name of the service account that may assume the role."""
    region: str
    """Region of the cluster; picks the partition of the policy ARNs."""
    mode: ServiceAccountTrust
    """How pods assume the role: `irsa` (web identity through the cluster's OIDC provider) or
    `podIdentity` (EKS Pod Identity; needs the pod identity agent)."""
    oidc_provider_arn: StringInput | None = None
    """ARN of the cluster's IAM OIDC provider; required with `irsa`."""
    oidc_issuer_url: StringInput | None = None
    """The cluster's OIDC issuer URL, whose host the IRSA trust conditions name; required with
    `irsa`."""
    cluster_arn: StringInput | None = None
    """ARN of the cluster; required with `podIdentity`, whose trust is limited to this
    cluster's service account through the session tags EKS adds."""
    managed_policies: list[str] = Field(default_factory=list)
    """AWS managed policies to attach, by name with their path (`AmazonEKS_CNI_Policy`,
    `service-role/AmazonEBSCSIDriverPolicy`); ARNs are built in the region's partition."""
    inline_policy: str | None = None
    """An inline policy document (JSON) for permissions no managed policy grants."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the role."""

    @model_validator(mode="after")
    def _trust_inputs(self) -> ServiceAccountRoleArgs:
        who = f"{self.namespace}/{self.service_account}"
        if self.mode == "irsa" and (self.oidc_provider_arn is None
                                    or self.oidc_issuer_url is None):
            raise FieldError("oidcProviderArn", None, f"an IRSA role for {who} needs the "
                             "cluster's OIDC provider ARN and issuer URL")
        if self.mode == "podIdentity" and self.cluster_arn is None:
            raise FieldError("clusterArn", None, f"a Pod Identity role for {who} needs the "
                             "cluster's ARN (its trust is limited to that cluster)")
        return self


def trust_policy(args: ServiceAccountRoleArgs) -> pulumi.Input[str]:
    """The role's trust policy. The cluster's ARN and OIDC values are Outputs, so the
    document is built once they are known; the account is the cluster's."""
    if args.mode == "podIdentity":
        return pulumi.Output.from_input(args.cluster_arn).apply(
            lambda arn: iam.pod_identity_trust_policy(
                account_id=iam.account_of(str(arn)), cluster_arn=str(arn),
                namespace=args.namespace, service_account=args.service_account))
    return pulumi.Output.all(args.oidc_provider_arn, args.oidc_issuer_url).apply(
        lambda values: iam.irsa_trust_policy(
            str(values[0]), str(values[1]), args.namespace, args.service_account
        )
    )


class ServiceAccountRole(EksComponent):
    """IAM role assumed by the pods of one service account (IRSA or EKS Pod Identity)."""

    role: aws.iam.Role
    """The IAM role."""
    arn: pulumi.Output[str]
    """ARN of the role."""
    mode: ServiceAccountTrust
    """How pods assume the role: `irsa` or `podIdentity`."""
    namespace: str
    """Namespace of the service account."""
    service_account: str
    """Name of the service account the role is for."""

    def __init__(
        self, name: str, args: ServiceAccountRoleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:addons:ServiceAccountRole", name, opts)
        self.mode = args.mode
        self.namespace = args.namespace
        self.service_account = args.service_account
        child = self.child_opts()
        self.role = aws.iam.Role(
            name,
            assume_role_policy=trust_policy(args),
            description=f"{args.namespace}/{args.service_account} ({args.mode})",
            tags=dict(args.tags) or None,
            opts=child,
        )
        for policy in args.managed_policies:
            aws.iam.RolePolicyAttachment(
                f"{name}-{iam.policy_label(policy)}",
                role=self.role.name,
                policy_arn=iam.policy_arn(policy, args.region),
                opts=child,
            )
        if args.inline_policy is not None:
            aws.iam.RolePolicy(
                f"{name}-inline",
                role=self.role.name,
                policy=args.inline_policy,
                opts=child,
            )
        self.arn = self.role.arn
        self.register_outputs({"arn": self.arn})

    @property
    def irsa_role_arn(self) -> pulumi.Output[str] | None:
        """The ARN for an IRSA consumer (add-on `service_account_role_arn`, chart annotation)."""
        return self.arn if self.mode == "irsa" else None

    @property
    def pod_identity_role_arn(self) -> pulumi.Output[str] | None:
        """The ARN for a pod identity association."""
        return self.arn if self.mode == "podIdentity" else None

    @classmethod
    def for_cluster(cls, name: str, cluster: EksCluster, *, namespace: str,
                    service_account: str, mode: ServiceAccountTrust,
                    managed_policies: Sequence[str] = (), inline_policy: str | None = None,
                    opts: pulumi.ResourceOptions | None = None) -> ServiceAccountRole:
        """A role for a service account of `cluster` (its region, ARN or OIDC provider, tags).
        Only an IRSA role makes the cluster create its OIDC provider."""
        irsa = mode == "irsa"
        return cls(name, ServiceAccountRoleArgs(
            namespace=namespace, service_account=service_account, region=cluster.region,
            mode=mode, oidc_provider_arn=cluster.oidc_provider_arn if irsa else None,
            oidc_issuer_url=cluster.oidc_issuer_url if irsa else None,
            cluster_arn=None if irsa else cluster.cluster.arn,
            managed_policies=managed_policies, inline_policy=inline_policy,
            tags=cluster.args.tags), opts=opts)


def vpc_cni_role(name: str, cluster: EksCluster,
                 opts: pulumi.ResourceOptions | None = None) -> ServiceAccountRole | None:
    """aws-node's own role as `cluster.cni.iam` says (`irsa` or `podIdentity`); None for
    `nodeRole`, where the node role keeps AmazonEKS_CNI_Policy and every pod on the node can
    use it (the legacy setup)."""
    cni = cluster.cni
    if cni.iam == "nodeRole":
        return None
    managed, inline = cni_policies(cluster.args.ip_family, cluster.region)
    return ServiceAccountRole.for_cluster(
        name, cluster, namespace=AWS_NODE_NAMESPACE, service_account=AWS_NODE_SERVICE_ACCOUNT,
        mode=cni.iam, managed_policies=managed, inline_policy=inline, opts=opts)
