"""EKS managed add-ons: version, conflict handling, configuration and IAM for one add-on.

The pure helpers decide what to ask for (which version, which `configurationValues`, which
policies); the components only turn those answers into `aws.eks.Addon` and IAM resources.

Versions: `default` is what EKS itself installs on a new cluster of the Kubernetes version,
`latest` the newest compatible build, anything else a pinned `vX.Y.Z-eksbuild.N`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from . import iam
from .cni import AWS_NODE_NAMESPACE, AWS_NODE_SERVICE_ACCOUNT, CniSettings, to_json
from .settings import AddonSettings, CorednsSettings, KubeProxySettings

ServiceAccountTrust = Literal["irsa", "podIdentity"]
IpFamily = Literal["ipv4", "ipv6"]



# --- pure: what to ask EKS for -----------------------------------------------------------------

def resolve_version_request(settings: AddonSettings) -> tuple[str | None, bool]:
    """`(pinned version, most_recent)`: a pinned version wins; otherwise ask EKS for its
    default (`most_recent=False`) or its newest compatible build (`most_recent=True`)."""
    pinned = settings.pinned_version
    if pinned is not None:
        return pinned, False
    return None, settings.version == "latest"


def coredns_configuration(settings: CorednsSettings, fargate_only: bool) -> dict[str, Any]:
    """coredns `configurationValues`. On a cluster with only Fargate, `computeType: Fargate`
    drops the `eks.amazonaws.com/compute-type: ec2` annotation that would keep the pods
    Pending forever (there is no EC2 node to run them)."""
    configuration: dict[str, Any] = {"replicaCount": settings.replica_count}
    if fargate_only:
        configuration["computeType"] = "Fargate"
    return configuration


def kube_proxy_configuration(settings: KubeProxySettings) -> dict[str, Any]:
    """kube-proxy `configurationValues`: the mode only when the stack chooses one, so EKS's
    default (iptables) is not frozen into the configuration."""
    return {"mode": settings.mode} if settings.mode is not None else {}


def configuration_values(configuration: Mapping[str, Any] | None) -> str | None:
    """Sorted JSON (stable previews), or None when there is nothing to configure so the input
    stays unset and EKS's own defaults apply."""
    return to_json(dict(configuration)) if configuration else None


def cni_policies(ip_family: IpFamily, region: str) -> tuple[tuple[str, ...], str | None]:
    """`(managed policy names, inline policy JSON)` of the vpc-cni role.

    AmazonEKS_CNI_Policy covers IPv4 only; for IPv6 AWS documents a custom policy instead.
    """
    if ip_family == "ipv6":
        return (), iam.cni_ipv6_policy(region)
    return (iam.CNI_POLICY,), None


# --- version lookup ----------------------------------------------------------------------------

def addon_version(
    addon_name: str,
    kubernetes_version: str,
    settings: AddonSettings,
    *,
    parent: pulumi.Resource | None = None,
) -> pulumi.Input[str]:
    """The add-on version to install.

    `default` is the version EKS itself installs for a new cluster of that Kubernetes version
    (the one AWS tested with it); `latest` is the newest compatible build. `default` is our
    default because it is what AWS validated and it changes only when the cluster version
    changes, so previews stay quiet. A pinned version is used as is, without a lookup.
    """
    pinned, most_recent = resolve_version_request(settings)
    if pinned is not None:
        return pinned
    lookup = aws.eks.get_addon_version_output(
        addon_name=addon_name,
        kubernetes_version=kubernetes_version,
        most_recent=most_recent,
        opts=pulumi.InvokeOutputOptions(parent=parent) if parent is not None else None,
    )
    return lookup.version


# --- IAM for a service account -----------------------------------------------------------------

@dataclass(frozen=True)
class ServiceAccountRoleArgs:
    """An IAM role for one Kubernetes service account.

    `irsa` needs the cluster's OIDC provider ARN and issuer URL; `podIdentity` trusts the
    EKS Pod Identity service and needs the pod identity agent on the cluster.
    """

    namespace: str
    service_account: str
    region: str
    mode: ServiceAccountTrust
    oidc_provider_arn: pulumi.Input[str] | None = None
    oidc_issuer_url: pulumi.Input[str] | None = None
    managed_policies: Sequence[str] = ()
    inline_policy: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing_oidc = self.oidc_provider_arn is None or self.oidc_issuer_url is None
        if self.mode == "irsa" and missing_oidc:
            raise ValueError(
                f"IRSA role for {self.namespace}/{self.service_account} needs the cluster's "
                "OIDC provider ARN and issuer URL"
            )


def trust_policy(args: ServiceAccountRoleArgs) -> pulumi.Input[str]:
    """The role's trust policy. The OIDC values are Outputs of the cluster, so the IRSA
    document is built once they are known."""
    if args.mode == "podIdentity":
        return iam.pod_identity_trust_policy()
    return pulumi.Output.all(args.oidc_provider_arn, args.oidc_issuer_url).apply(
        lambda values: iam.irsa_trust_policy(
            str(values[0]), str(values[1]), args.namespace, args.service_account
        )
    )


class ServiceAccountRole(pulumi.ComponentResource):
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
        super().__init__("eks-platform:addons:ServiceAccountRole", name, None, opts)
        self.mode = args.mode
        self.namespace = args.namespace
        self.service_account = args.service_account
        child = pulumi.ResourceOptions(parent=self)
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


# --- one managed add-on ------------------------------------------------------------------------

@dataclass(frozen=True)
class EksAddonArgs:
    """One managed add-on. Give IRSA (`service_account_role_arn`) or Pod Identity
    (`pod_identity_role_arn` + `pod_identity_service_account`), not both. The service account
    alone is ignored, so callers can pass a role's fields through whatever its mode."""

    cluster_name: pulumi.Input[str]
    addon_name: str
    kubernetes_version: str
    settings: AddonSettings
    configuration: dict[str, Any] | None = None
    service_account_role_arn: pulumi.Input[str] | None = None
    pod_identity_role_arn: pulumi.Input[str] | None = None
    pod_identity_service_account: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.service_account_role_arn is not None and self.pod_identity_role_arn is not None:
            raise ValueError(
                f"add-on {self.addon_name}: give an IRSA role or a Pod Identity role, not both"
            )
        if self.pod_identity_role_arn is not None and not self.pod_identity_service_account:
            raise ValueError(
                f"add-on {self.addon_name}: pod_identity_role_arn needs "
                "pod_identity_service_account"
            )


class EksAddon(pulumi.ComponentResource):
    """One EKS managed add-on at a resolved version, with its configuration and IAM."""

    addon: aws.eks.Addon
    """The `aws.eks.Addon`."""
    version: pulumi.Output[str]
    """The installed add-on version (pinned, or what EKS answered for default/latest)."""

    def __init__(
        self, name: str, args: EksAddonArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:addons:EksAddon", name, None, opts)
        settings = args.settings
        pod_identity = None
        if args.pod_identity_role_arn is not None and args.pod_identity_service_account:
            pod_identity = [
                aws.eks.AddonPodIdentityAssociationArgs(
                    role_arn=args.pod_identity_role_arn,
                    service_account=args.pod_identity_service_account,
                )
            ]
        self.addon = aws.eks.Addon(
            name,
            cluster_name=args.cluster_name,
            addon_name=args.addon_name,
            addon_version=addon_version(
                args.addon_name, args.kubernetes_version, settings, parent=self
            ),
            configuration_values=configuration_values(args.configuration),
            resolve_conflicts_on_create=settings.resolve_conflicts_on_create,
            resolve_conflicts_on_update=settings.resolve_conflicts_on_update,
            preserve=settings.preserve,
            service_account_role_arn=args.service_account_role_arn,
            pod_identity_associations=pod_identity,
            tags=dict(args.tags) or None,
            # Children do not inherit the component's dependsOn: pass it on so that, e.g.,
            # coredns itself waits for the node groups.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=opts.depends_on if opts is not None else None
            ),
        )
        self.version = self.addon.addon_version
        self.register_outputs({"version": self.version})


# --- vpc-cni IAM -------------------------------------------------------------------------------

def vpc_cni_iam(
    name: str,
    cni: CniSettings,
    *,
    region: str,
    ip_family: IpFamily,
    oidc_provider_arn: pulumi.Input[str] | None = None,
    oidc_issuer_url: pulumi.Input[str] | None = None,
    tags: Mapping[str, str] | None = None,
    opts: pulumi.ResourceOptions | None = None,
) -> ServiceAccountRole | None:
    """The aws-node role for `cni.iam` `irsa` or `podIdentity`; None for `nodeRole` (the node
    role keeps AmazonEKS_CNI_Policy, so every pod on the node can use it: the legacy setup).

    Hand `irsa_role_arn` / `pod_identity_role_arn` / `service_account` to `EksAddonArgs`
    (managed mode) or `SelfManagedVpcCniArgs` (Helm mode).
    """
    if cni.iam == "nodeRole":
        return None
    managed, inline = cni_policies(ip_family, region)
    return ServiceAccountRole(
        name,
        ServiceAccountRoleArgs(
            namespace=AWS_NODE_NAMESPACE,
            service_account=AWS_NODE_SERVICE_ACCOUNT,
            region=region,
            mode=cni.iam,
            oidc_provider_arn=oidc_provider_arn,
            oidc_issuer_url=oidc_issuer_url,
            managed_policies=managed,
            inline_policy=inline,
            tags=tags or {},
        ),
        opts=opts,
    )
