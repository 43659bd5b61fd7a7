"""`EksPlatform`: the cluster, its add-ons and node groups, created in the order EKS needs.

    cluster ──> vpc-cni (managed add-on or Helm release) ──┐
            └─> kube-proxy, pod-identity-agent ────────────┴─> node groups ──> coredns, ebs-csi

vpc-cni and kube-proxy are DaemonSets: ACTIVE without nodes, and nodes need them to become
Ready. coredns is a Deployment: created before any node it stays DEGRADED until it times out.
Every edge is a `depends_on`; nothing waits on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from . import iam
from .addons import (
    EksAddon,
    EksAddonArgs,
    ServiceAccountRole,
    ServiceAccountRoleArgs,
    coredns_configuration,
    kube_proxy_configuration,
    vpc_cni_iam,
)
from .cluster import EksCluster, EksClusterArgs
from .cni import addon_configuration
from .fargate import FargateProfiles, FargateProfilesArgs
from .network import Vpc, VpcArgs
from .nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
from .settings import AddonSettings, PlatformSettings, VpcSettings
from .vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs


@dataclass(frozen=True)
class EksPlatformArgs:
    settings: PlatformSettings
    stack: str


class EksPlatform(pulumi.ComponentResource):
    """A whole EKS platform from one stack's settings."""

    cluster: EksCluster
    """The control plane (`EksCluster`)."""
    vpc: Vpc | None
    """The VPC the stack created, or None with `subnetIds`."""
    cni: pulumi.Resource
    """The vpc-cni managed add-on or the aws-vpc-cni Helm release."""
    addons: dict[str, EksAddon]
    """Managed add-ons by EKS add-on name."""
    node_groups: dict[str, ManagedNodeGroup]
    """Node groups by their settings name."""

    def __init__(self, name: str, args: EksPlatformArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:platform:EksPlatform", name, None, opts)
        settings = args.settings
        cluster_name = settings.name_for(args.stack)
        tags = {"eks-platform/stack": args.stack, "eks-platform/cluster": cluster_name,
                **settings.tags}
        child = pulumi.ResourceOptions(parent=self)

        self.vpc = None
        subnet_ids: pulumi.Input[list[str]]
        node_subnet_ids: pulumi.Input[list[str]]
        if settings.subnet_ids is not None:
            subnet_ids = node_subnet_ids = list(settings.subnet_ids)
        else:
            vpc = settings.vpc or VpcSettings()
            self.vpc = Vpc(f"{name}-net", VpcArgs(
                cluster_name=cluster_name, cidr=vpc.cidr,
                availability_zones=vpc.availability_zones, nat_gateways=vpc.nat_gateways,
                tags=tags), opts=child)
            subnet_ids = self.vpc.private_subnet_ids
            node_subnet_ids = self.vpc.egress_subnet_ids

        self.cluster = EksCluster(name, EksClusterArgs(
            name=cluster_name, region=settings.region,
            kubernetes_version=settings.kubernetes_version, subnet_ids=subnet_ids,
            public_access_cidrs=[str(c) for c in settings.endpoint.public_access_cidrs],
            admin_arns=settings.admins, cluster_creator_admin=settings.cluster_creator_admin,
            kms_key_arn=settings.kms_key_arn, log_types=settings.logging,
            bootstrap_self_managed_addons=settings.bootstrap_self_managed_addons,
            ip_family=settings.ip_family, protect=settings.protect,
            deletion_protection=settings.protect_deletion, tags=tags), opts=child)
        cluster = self.cluster
        self.addons = {}

        def addon(addon_name: str, spec: AddonSettings, *, configuration: dict[str, object]
                  | None = None, role: ServiceAccountRole | None = None,
                  depends_on: list[pulumi.Resource] | None = None) -> EksAddon:
            created = EksAddon(f"{name}-{addon_name}", EksAddonArgs(
                cluster_name=cluster.cluster_name, addon_name=addon_name,
                kubernetes_version=settings.kubernetes_version, settings=spec,
                configuration=configuration,
                service_account_role_arn=role.irsa_role_arn if role else None,
                pod_identity_role_arn=role.pod_identity_role_arn if role else None,
                pod_identity_service_account=role.service_account if role else None,
                tags=tags), opts=pulumi.ResourceOptions(parent=self, depends_on=depends_on))
            self.addons[addon_name] = created
            return created

        # Before nodes: the pod identity agent (if any), the CNI, kube-proxy.
        before_nodes: list[pulumi.Resource] = []
        if settings.pod_identity_agent_enabled:
            before_nodes.append(addon("eks-pod-identity-agent",
                                      settings.addons.pod_identity_agent))
        cni_role = vpc_cni_iam(f"{name}-vpc-cni", settings.cni, region=settings.region,
                               ip_family=settings.ip_family,
                               oidc_provider_arn=cluster.oidc_provider_arn,
                               oidc_issuer_url=cluster.oidc_issuer_url, tags=tags, opts=child)
        if settings.cni.mode == "managed":
            self.cni = addon("vpc-cni", settings.addons.vpc_cni or AddonSettings(),
                             configuration=addon_configuration(settings.cni), role=cni_role,
                             depends_on=list(before_nodes))
        else:
            self.cni = SelfManagedVpcCni(f"{name}-vpc-cni", SelfManagedVpcCniArgs(
                cni=settings.cni, region=settings.region, provider=cluster.provider,
                role_arn=cni_role.irsa_role_arn if cni_role else None,
                pod_identity_role_arn=cni_role.pod_identity_role_arn if cni_role else None,
                cluster_name=cluster.cluster_name), opts=child)
        before_nodes.append(self.cni)
        before_nodes.append(addon("kube-proxy", settings.addons.kube_proxy,
                                  configuration=kube_proxy_configuration(
                                      settings.addons.kube_proxy)))

        self.node_groups = {}
        options = settings.max_pods_options()
        for spec in settings.node_groups:
            self.node_groups[spec.name] = ManagedNodeGroup(
                f"{name}-{spec.name}", ManagedNodeGroupArgs(
                    cluster_name=cluster.cluster_name, subnet_ids=node_subnet_ids,
                    region=settings.region, spec=spec, max_pods_options=options,
                    daemon_set_pods_per_node=settings.daemon_set_pods_per_node(),
                    attach_cni_policy=settings.cni.iam == "nodeRole", depends_on=before_nodes,
                    tags=tags), opts=child)

        compute: list[pulumi.Resource] = list(self.node_groups.values())
        if settings.fargate_profiles:
            compute.append(FargateProfiles(f"{name}-fargate", FargateProfilesArgs(
                cluster_name=cluster.cluster_name, region=settings.region,
                subnet_ids=node_subnet_ids, profiles=settings.fargate_profiles, tags=tags),
                opts=child))

        # After nodes: Deployments that need somewhere to run.
        addon("coredns", settings.addons.coredns,
              configuration=coredns_configuration(settings.addons.coredns,
                                                  settings.fargate_only),
              depends_on=compute)
        if settings.addons.ebs_csi_driver.enabled:
            ebs_role = ServiceAccountRole(f"{name}-ebs-csi", ServiceAccountRoleArgs(
                mode="podIdentity" if settings.cni.iam == "podIdentity" else "irsa",
                region=settings.region, namespace="kube-system",
                service_account="ebs-csi-controller-sa",
                oidc_provider_arn=cluster.oidc_provider_arn,
                oidc_issuer_url=cluster.oidc_issuer_url,
                managed_policies=[iam.EBS_CSI_POLICY], tags=tags), opts=child)
            addon("aws-ebs-csi-driver", settings.addons.ebs_csi_driver, role=ebs_role,
                  depends_on=compute)

        self.register_outputs({"clusterName": cluster.cluster_name})

