"""The stack outputs of `__main__.py`: what other stacks read through a StackReference."""

from __future__ import annotations

import pulumi

from eks_platform.platform import EksPlatform
from eks_platform.stack import PlatformSettings


def export_platform(platform: EksPlatform, settings: PlatformSettings) -> None:
    cluster = platform.cluster
    pulumi.export("region", settings.region)
    pulumi.export("clusterName", cluster.cluster_name)
    pulumi.export("clusterEndpoint", cluster.endpoint)
    pulumi.export("clusterCertificateAuthority", cluster.certificate_authority_data)
    pulumi.export("kubernetesVersion", cluster.version)
    if cluster.has_oidc_provider:  # only when an IRSA role (or `oidcProvider: true`) uses it
        pulumi.export("oidcProviderArn", cluster.oidc_provider_arn)
    pulumi.export("oidcIssuerUrl", cluster.oidc_issuer_url)
    pulumi.export("clusterSecurityGroupId", cluster.cluster_security_group_id)
    pulumi.export("kubeconfig", cluster.kubeconfig)
    # "autoMode": no CNI of the stack's; EKS Auto Mode runs pod networking.
    pulumi.export("cniMode", "autoMode" if settings.all_auto_mode else settings.cni.mode)
    pulumi.export("nodeGroups", {
        name: {"maxPods": group.max_pods, "desiredSize": group.desired_size,
               "instanceTypes": group.node_group.instance_types, "roleArn": group.role.arn}
        for name, group in platform.node_groups.items()
    })
    if platform.vpc is not None:
        pulumi.export("vpcId", platform.vpc.vpc_id)
        pulumi.export("privateSubnetIds", platform.vpc.private_subnet_ids)
