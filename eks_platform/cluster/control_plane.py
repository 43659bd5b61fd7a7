"""What `EksCluster` creates around and for the control plane: the cluster IAM role, the
secrets key, the encrypted control-plane log group, the `aws.eks.Cluster` inputs and the
deployer's 443 rules. Resource names are the component's (`<prefix>-...`), unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from eks_platform.cluster import features, iam, keys
from eks_platform.cluster.settings import ClusterSettings
from eks_platform.component import EksComponent
from eks_platform.identity import cidr_key


def cluster_role(prefix: str, args: ClusterSettings, tags: dict[str, str],
                 opts: pulumi.ResourceOptions,
                 ) -> tuple[aws.iam.Role, list[aws.iam.RolePolicyAttachment]]:
    """The role EKS assumes for the control plane, and its policy attachments."""
    # AssumeRole only, but for EKS Auto Mode: TagSession and its four policies too.
    role = aws.iam.Role(f"{prefix}-cluster", assume_role_policy=iam.service_trust_policy(
        "eks.amazonaws.com", tag_session=features.cluster_role_tag_session(args)),
        tags=tags, opts=opts)
    attachments = [
        aws.iam.RolePolicyAttachment(
            f"{prefix}-cluster-{iam.policy_label(policy)}", role=role.name,
            policy_arn=iam.policy_arn(policy, args.region), opts=opts)
        for policy in features.cluster_role_policies(args)
    ]
    return role, attachments


def secrets_key_arn(prefix: str, args: ClusterSettings, cluster_name: str,
                    context: keys.KeyContext, role_arn: pulumi.Input[str],
                    opts: pulumi.ResourceOptions) -> pulumi.Input[str]:
    """`kmsKeyArn` when given, else a customer managed key (and its alias) created here."""
    if args.kms_key_arn is not None:
        return args.kms_key_arn
    key = keys.secrets_key(
        f"{prefix}-secrets", context, cluster_role_arn=role_arn,
        description=f"EKS secrets envelope encryption for {cluster_name}")
    aws.kms.Alias(f"{prefix}-secrets", name=f"alias/eks/{cluster_name}",
                  target_key_id=key.key_id, opts=opts)
    return key.arn


def control_plane_log_group(prefix: str, args: ClusterSettings, cluster_name: str,
                            context: keys.KeyContext, tags: dict[str, str],
                            opts: pulumi.ResourceOptions) -> aws.cloudwatch.LogGroup:
    """The control plane's log group, with its own key; created before the cluster, so EKS
    does not create it unencrypted with unlimited retention."""
    log_group_name = f"/aws/eks/{cluster_name}/cluster"
    logs_key = keys.logs_key(
        f"{prefix}-logs", context, log_group_name=log_group_name,
        description=f"EKS control plane logs of {cluster_name}")
    return aws.cloudwatch.LogGroup(
        f"{prefix}-control-plane", name=log_group_name,
        retention_in_days=args.log_retention_days, kms_key_id=logs_key.arn, tags=tags,
        deletion_protection_enabled=args.protect or None, opts=opts)


def cluster_inputs(args: ClusterSettings, cluster_name: str,
                   subnet_ids: pulumi.Input[Sequence[str]], role_arn: pulumi.Input[str],
                   key_arn: pulumi.Input[str], extra: dict[str, Any],
                   tags: dict[str, str]) -> dict[str, Any]:
    """The `aws.eks.Cluster` keyword arguments but its resource name and options: private
    endpoint (public only for the ranges given), API authentication, secrets encryption, an
    explicit support type, plus the feature inputs (`features.cluster_inputs`) in `extra`."""
    extra = dict(extra)
    public_cidrs = [str(cidr) for cidr in args.endpoint.public_access_cidrs]
    public = bool(public_cidrs)
    return dict(
        name=cluster_name,
        version=args.kubernetes_version,
        role_arn=role_arn,
        vpc_config=aws.eks.ClusterVpcConfigArgs(
            subnet_ids=subnet_ids,
            endpoint_private_access=True,
            endpoint_public_access=public,
            public_access_cidrs=public_cidrs or None,
        ),
        access_config=aws.eks.ClusterAccessConfigArgs(
            authentication_mode="API",
            bootstrap_cluster_creator_admin_permissions=args.creator_is_admin,
        ),
        encryption_config=aws.eks.ClusterEncryptionConfigArgs(
            provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key_arn),
            resources=["secrets"],
        ),
        kubernetes_network_config=aws.eks.ClusterKubernetesNetworkConfigArgs(
            ip_family=args.ip_family,
            elastic_load_balancing=extra.pop("elastic_load_balancing", None)),
        enabled_cluster_log_types=list(args.logging),
        bootstrap_self_managed_addons=args.bootstrap_self_managed_addons,
        deletion_protection=args.protect_deletion,
        upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type=args.support_type),
        zonal_shift_config=aws.eks.ClusterZonalShiftConfigArgs(enabled=args.zonal_shift),
        tags=tags,
        **extra,
    )


def api_rules(owner: EksComponent, prefix: str, args: ClusterSettings,
              security_group_id: pulumi.Input[str],
              tags: dict[str, str]) -> list[aws.vpc.SecurityGroupIngressRule]:
    """The private path of a deployer (CI runner, bastion, peered network) to the API: port
    443 on the cluster security group from each of `endpoint.privateAccessCidrs`."""
    return [
        aws.vpc.SecurityGroupIngressRule(
            f"{prefix}-api-{cidr_key(cidr)}", security_group_id=security_group_id,
            description=f"Kubernetes API from {cidr} (endpoint.privateAccessCidrs)",
            ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4=str(cidr),
            tags=tags, opts=owner.child_opts(aliases=[pulumi.Alias(name=f"{prefix}-api-{index}")]))
        for index, cidr in enumerate(args.endpoint.private_access_cidrs)]
