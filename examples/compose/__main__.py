"""Compose eks-platform's components by hand: a cluster on existing subnets, the managed
add-ons in the order EKS needs, and one Bottlerocket node group whose max pods follows the
CNI declaration."""

import pulumi

from eks_platform import (
    AddonSettings,
    CniSettings,
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    NodeGroupSettings,
)
from eks_platform.addons import vpc_cni_iam
from eks_platform.cni import addon_configuration

config = pulumi.Config()
region = pulumi.Config("aws").require("region")
version = "1.34"

cluster = EksCluster("team", EksClusterArgs(
    name="team-cluster", region=region, kubernetes_version=version,
    subnet_ids=config.require_object("subnetIds"), admin_arns=[config.require("admin")]))

cni = CniSettings(prefix_delegation=True)
cni_role = vpc_cni_iam("team-vpc-cni", cni, region=region, ip_family="ipv4",
                       oidc_provider_arn=cluster.oidc_provider_arn,
                       oidc_issuer_url=cluster.oidc_issuer_url)
vpc_cni = EksAddon("team-vpc-cni", EksAddonArgs(
    cluster_name=cluster.cluster_name, addon_name="vpc-cni", kubernetes_version=version,
    settings=AddonSettings(), configuration=addon_configuration(cni),
    service_account_role_arn=cni_role.irsa_role_arn if cni_role else None))
kube_proxy = EksAddon("team-kube-proxy", EksAddonArgs(
    cluster_name=cluster.cluster_name, addon_name="kube-proxy", kubernetes_version=version,
    settings=AddonSettings()))

nodes = ManagedNodeGroup("team-nodes", ManagedNodeGroupArgs(
    cluster_name=cluster.cluster_name, subnet_ids=config.require_object("subnetIds"),
    region=region, max_pods_options=cni.max_pods_options(),
    spec=NodeGroupSettings(name="apps", instance_types=["c6i.xlarge", "c5.xlarge"],
                           ami_type="BOTTLEROCKET_x86_64", min_size=2, max_size=5),
    depends_on=[vpc_cni, kube_proxy]))

EksAddon("team-coredns", EksAddonArgs(
    cluster_name=cluster.cluster_name, addon_name="coredns", kubernetes_version=version,
    settings=AddonSettings()), opts=pulumi.ResourceOptions(depends_on=[nodes]))

pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("maxPods", nodes.max_pods)
pulumi.export("kubeconfig", cluster.kubeconfig)
