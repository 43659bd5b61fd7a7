"""Compose eks-platform's components by hand on existing subnets: the cluster carries the CNI
declaration, and everything created with `cluster=` derives its name, version, region,
subnets, max pods and place in the deploy order from it."""

import pulumi

from eks_platform import (
    CniSettings,
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    TaintSettings,
)

config = pulumi.Config()
cluster = EksCluster("team", EksClusterArgs(
    name="team-cluster", region=pulumi.Config("aws").require("region"),
    kubernetes_version="1.35", subnet_ids=config.require_object("subnetIds"),
    admins=[config.require("admin")], cni=CniSettings(prefix_delegation=True)))

EksAddon("team-vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
EksAddon("team-kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
apps = ManagedNodeGroup("team-apps", ManagedNodeGroupArgs(
    cluster=cluster, name="apps", instance_types=["c6i.xlarge", "c5.xlarge"],
    min_size=2, max_size=5))
arm = ManagedNodeGroup("team-arm", ManagedNodeGroupArgs(
    cluster=cluster, name="arm", instance_types=["m7g.large", "m6g.large"],
    ami_type="BOTTLEROCKET_ARM_64", min_size=1, max_size=4,
    taints=[TaintSettings(key="arch", value="arm64", effect="NO_SCHEDULE")]))
EksAddon("team-coredns", EksAddonArgs(cluster=cluster, addon_name="coredns"))

pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("maxPods", {"apps": apps.max_pods, "arm": arm.max_pods})
pulumi.export("kubeconfig", cluster.kubeconfig)
