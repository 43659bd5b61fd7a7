"""`EksPlatform`: the cluster, its add-ons and node groups from one stack's settings.

    cluster ──> vpc-cni (managed add-on or Helm release) ──┐
            └─> kube-proxy, pod-identity-agent ────────────┴─> node groups ──> coredns, ebs-csi
    vpc-cni ──> ENIConfigs (with cni.customNetworking) ──────> node groups

The order is not wired here: each component derives it from the cluster it is given (see
`EksCluster.node_prerequisites` and `EksCluster.compute`), exactly as for a library user.
This component only creates them in that order from the settings.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws
from pydantic import Field

from eks_platform.addons.component import (
    POD_IDENTITY_AGENT,
    EksAddon,
    EksAddonArgs,
    coredns_configuration,
    kube_proxy_configuration,
    settings_fields,
)
from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs
from eks_platform.cluster import iam
from eks_platform.cluster.auto_mode_component import AutoModeNodePools, AutoModeNodePoolsArgs
from eks_platform.cluster.component import EksCluster, EksClusterArgs
from eks_platform.cluster.service_account_role import ServiceAccountRole
from eks_platform.cluster.version_guard import upgrade_guard
from eks_platform.component import ComponentArgs, EksComponent
from eks_platform.karpenter.component import Karpenter, KarpenterArgs
from eks_platform.karpenter.settings import KarpenterSpec
from eks_platform.network.custom_networking import EniConfigs, EniConfigsArgs
from eks_platform.network.eniconfig import missing_pod_subnet_zones
from eks_platform.network.vpc import Vpc, VpcArgs, ZoneChoiceError, deploy_zones
from eks_platform.nodes.fargate import FargateProfiles, FargateProfilesArgs
from eks_platform.nodes.nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
from eks_platform.stack import (
    AddonSettings,
    ClusterSettings,
    PlatformSettings,
    VpcSettings,
    preflight,
)


class EksPlatformArgs(ComponentArgs):
    """A validated stack file (`settings.parse` / `settings.load`) and the stack's name,
    which names the cluster unless the settings do."""

    settings: PlatformSettings
    """The validated stack file (`eks_platform.parse` or `eks_platform.load`)."""
    stack: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    """The Pulumi stack's name: names the cluster (`eks-platform-<stack>`) unless `clusterName`
    is set, and tags every resource `eks-platform/stack`."""


class EksPlatform(EksComponent):
    """A whole EKS platform from one stack's settings."""

    cluster: EksCluster
    """The control plane (`EksCluster`)."""
    vpc: Vpc | None
    """The VPC the stack created, or None with `subnetIds`."""
    cni: pulumi.Resource | None
    """The vpc-cni managed add-on or the aws-vpc-cni Helm release; None when all compute is
    Auto Mode, which runs pod networking itself."""
    addons: dict[str, EksAddon]
    """Managed add-ons by EKS add-on name."""
    node_groups: dict[str, ManagedNodeGroup]
    """Node groups by their settings name."""
    eniconfigs: EniConfigs | None
    """One ENIConfig per zone with `cni.customNetworking`, else None."""
    karpenter: Karpenter | None
    """Karpenter on the system node group, when `karpenter.enabled`."""
    auto_mode_pools: AutoModeNodePools | None
    """Custom Auto Mode NodePools on the package's NodeClass, when `autoMode.nodePools`."""

    def __init__(self, name: str, args: EksPlatformArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:platform:EksPlatform", name, opts)
        settings = args.settings
        cluster_name = settings.name_for(args.stack)
        tags = {"eks-platform/stack": args.stack, "eks-platform/cluster": cluster_name,
                **settings.tags}
        child = self.child_opts()
        try:
            self._preflight(settings)
            self._build(name, args, cluster_name, tags, child)
        except (preflight.PreflightError, ZoneChoiceError) as error:
            # One message from the Pulumi CLI, before anything is created.
            raise pulumi.RunError(str(error)) from None
        self.register_outputs({"clusterName": self.cluster.cluster_name})

    def _preflight(self, settings: PlatformSettings) -> None:
        """With the account (`pulumi preview`/`up`, never under mocks): whatever AWS would
        refuse, found before any resource is created (`preflight`)."""
        if preflight.under_mocks():
            return
        zone_ids: list[str] = []
        if settings.subnet_ids is None:
            count = (settings.vpc or VpcSettings()).availability_zones
            zones = deploy_zones(count, pulumi.InvokeOptions(parent=self))
            zone_ids = [zone.zone_id for zone in zones]
        clients = preflight.default_clients(settings.region, pulumi.Config("aws").get("profile"))
        preflight.check(preflight.request_for(settings, zone_ids), clients)

    def _build(self, name: str, args: EksPlatformArgs, cluster_name: str,
               tags: dict[str, str], child: pulumi.ResourceOptions) -> None:
        settings = args.settings
        # A version step EKS would refuse fails the run before even the VPC is registered.
        upgrade_guard(settings, cluster_name, pulumi.InvokeOptions(parent=self))
        self.vpc = None
        subnet_ids: pulumi.Input[list[str]]
        node_subnet_ids: pulumi.Input[list[str]]
        if settings.subnet_ids is not None:
            subnet_ids = node_subnet_ids = list(settings.subnet_ids)
        else:
            vpc = settings.vpc or VpcSettings()
            self.vpc = Vpc(f"{name}-net", VpcArgs(
                **vpc.model_dump(), cluster_name=cluster_name, region=settings.region,
                tags=tags, kms_key_admins=settings.kms_key_admins, protect=settings.protect,
                pod_subnets=settings.cni.custom_networking,
                deployer_cidrs=settings.endpoint.private_access_cidrs,
                karpenter_discovery=settings.karpenter.enabled), opts=child)
            subnet_ids = self.vpc.private_subnet_ids
            node_subnet_ids = self.vpc.egress_subnet_ids

        cluster_fields = settings.model_dump(include=set(ClusterSettings.model_fields))
        self.cluster = cluster = EksCluster(name, EksClusterArgs(
            # autoMode as given: what it leaves unset (an expiry, `enabled`) stays unset.
            **{**cluster_fields, "tags": tags, "auto_mode": settings.auto_mode},
            name=cluster_name, subnet_ids=subnet_ids,
            # The Kubernetes provider waits for the deployer's routes and the VPC's egress
            # path, so `pulumi destroy` deletes everything sent through it (Karpenter's
            # NodePools, node classes and controller) while Karpenter can still reach EC2 to
            # terminate its nodes.
            api_path=[*self.vpc.deployer_routes, *self.vpc.egress_path]
            if self.vpc is not None else []), opts=child)
        self.addons = {}

        def addon(addon_name: str, spec: AddonSettings, opts: pulumi.ResourceOptions = child,
                  **extra: object) -> EksAddon:
            created = EksAddon(f"{name}-{addon_name}", EksAddonArgs(
                cluster=cluster, addon_name=addon_name, **settings_fields(spec), **extra),
                opts=opts)
            self.addons[addon_name] = created
            return created

        # Before nodes: the pod identity agent (if any), the CNI, kube-proxy; not what Auto
        # Mode runs itself when all compute is Auto Mode (cluster/auto_mode_stack.py).
        left_out = settings.left_out_addons
        self.cni = None
        if POD_IDENTITY_AGENT not in left_out and settings.pod_identity_agent_enabled:
            addon(POD_IDENTITY_AGENT, settings.addons.pod_identity_agent)
        if "vpc-cni" not in left_out and settings.cni.mode == "managed":
            self.cni = addon("vpc-cni", settings.addons.vpc_cni or AddonSettings())
        elif "vpc-cni" not in left_out:
            self.cni = SelfManagedVpcCni(f"{name}-vpc-cni",
                                         SelfManagedVpcCniArgs(cluster=cluster), opts=child)
        if "kube-proxy" not in left_out:
            addon("kube-proxy", settings.addons.kube_proxy,
                  configuration=kube_proxy_configuration(settings.addons.kube_proxy))
        # Custom networking: an ENIConfig per zone, after the CNI (its CRD), before nodes.
        self.eniconfigs = None
        group_subnet_ids = node_subnet_ids
        if settings.cni.custom_networking:
            pod_subnets = (self.vpc.pod_subnets if self.vpc is not None
                           else list(settings.cni.pod_subnets.items()))
            self.eniconfigs = EniConfigs(f"{name}-eniconfigs", EniConfigsArgs(
                cluster=cluster, pod_subnets=pod_subnets), opts=child)
            if settings.subnet_ids is not None:
                group_subnet_ids = self._zones_with_pod_subnets(
                    settings.subnet_ids, settings.cni.pod_subnets)

        self.node_groups = {}
        for spec in settings.node_groups:
            self.node_groups[spec.name] = ManagedNodeGroup(
                f"{name}-{spec.name}", ManagedNodeGroupArgs(
                    **spec.model_dump(), cluster=cluster, subnet_ids=group_subnet_ids),
                opts=child)
        if settings.fargate_profiles:
            FargateProfiles(f"{name}-fargate", FargateProfilesArgs(
                cluster=cluster, profiles=settings.fargate_profiles,
                subnet_ids=node_subnet_ids), opts=child)

        self.auto_mode_pools = None
        if settings.auto_mode is not None and settings.auto_mode_on \
                and settings.auto_mode.node_pools:
            self.auto_mode_pools = AutoModeNodePools(f"{name}-auto", AutoModeNodePoolsArgs(
                cluster=cluster, node_pools=settings.auto_mode.node_pools,
                subnet_ids=node_subnet_ids), opts=child)

        # After nodes: Deployments that need somewhere to run.
        coredns = None
        if "coredns" not in left_out:
            # Only hybrid nodes to run on: it waits for the cluster, and for them to join.
            dns_opts = (self.child_opts(depends_on=[cluster])
                        if settings.all_auto_mode and not settings.fargate_profiles else child)
            coredns = addon("coredns", settings.addons.coredns, opts=dns_opts,
                            configuration=coredns_configuration(settings.addons.coredns,
                                                                settings.fargate_only))
        # Karpenter's controller on the system group, after cluster DNS; its NodePools after
        # the controller.
        self.karpenter = None
        system = settings.karpenter_system_group
        if system is not None:
            fields = {key: getattr(settings.karpenter, key) for key in KarpenterSpec.model_fields}
            self.karpenter = Karpenter(f"{name}-karpenter", KarpenterArgs(
                **fields, cluster=cluster, system_node_group=self.node_groups[system.name],
                cluster_dns=coredns), opts=child)
        if "aws-ebs-csi-driver" not in left_out and settings.addons.ebs_csi_driver.enabled:
            ebs_role = ServiceAccountRole.for_cluster(
                f"{name}-ebs-csi", cluster,
                namespace=settings.addons.ebs_csi_driver.namespace or "kube-system",
                service_account="ebs-csi-controller-sa",
                mode="podIdentity" if settings.cni.iam == "podIdentity" else "irsa",
                managed_policies=[iam.EBS_CSI_POLICY], opts=child)
            addon("aws-ebs-csi-driver", settings.addons.ebs_csi_driver, role=ebs_role)

    def _zones_with_pod_subnets(self, subnet_ids: Sequence[str],
                                pod_subnets: dict[str, str]) -> pulumi.Output[list[str]]:
        """The node subnets, once EC2 says every one of their zones has a pod subnet (zones
        of existing subnets are known only to EC2): nodes in a zone without an ENIConfig
        would get no pod addresses."""
        opts = pulumi.InvokeOutputOptions(parent=self)
        zones = [aws.ec2.get_subnet_output(id=subnet, opts=opts).availability_zone
                 for subnet in subnet_ids]

        def checked(found: list[str]) -> list[str]:
            missing = missing_pod_subnet_zones(found, list(pod_subnets))
            if missing:
                raise pulumi.RunError(
                    f"eks-platform:cni.podSubnets has no pod subnet for zone(s) "
                    f"{', '.join(missing)} of the node subnets (subnetIds): nodes there would "
                    f"get no pod addresses; add {{zone: subnet-id}} for each")
            return list(subnet_ids)

        return pulumi.Output.all(*zones).apply(checked)
