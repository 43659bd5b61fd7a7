"""`PlatformSettings`: a whole stack file, the cluster's settings plus its network, add-ons
and compute, checked for coherence across them."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from eks_platform.addons.features import POD_IDENTITY, feature_problems
from eks_platform.addons.registry import partition_of
from eks_platform.cluster.auto_mode_stack import (
    all_auto_mode,
    check_auto_mode_stack,
    left_out_addons,
)
from eks_platform.cluster.settings import CLUSTER_NAME_PATTERN, ClusterSettings
from eks_platform.errors import PROJECT, FieldError, GroupedFieldError
from eks_platform.facts.zones import choose_zones, region_zones
from eks_platform.karpenter.settings import KarpenterSettings
from eks_platform.network.capacity import GroupDemand, capacity_problem
from eks_platform.network.settings import VpcSettings, check_subnet_ids, plan_subnets
from eks_platform.nodes import maxpods
from eks_platform.nodes.resolver import resolve_group
from eks_platform.nodes.settings import FargateProfileSettings, NodeGroupSettings
from eks_platform.stack.coherence import check_deployer_route, check_pod_subnets


class PlatformSettings(ClusterSettings):
    """Everything under `eks-platform:` in a stack file, plus the stack's `aws:region`."""

    cluster_name: str | None = Field(None, pattern=CLUSTER_NAME_PATTERN, strict=True)
    """The EKS cluster's name (1 to 100 letters, digits, `-`, `_`). Unset:
    `eks-platform-<stack>`. Changing it replaces the cluster."""
    vpc: VpcSettings | None = None
    """Settings of the VPC the stack creates. Give `vpc` or `subnetIds`, not both; with
    neither, a VPC with the defaults is created."""
    subnet_ids: list[str] | None = Field(None, min_length=2)
    """Existing subnets (at least two, in two zones) for the control plane and the nodes,
    instead of a created VPC. Nodes run in them, so they should be private subnets with a way
    out (NAT or VPC endpoints); the existing VPC page lists the tags they need."""
    node_groups: list[NodeGroupSettings] = []
    """Managed node groups. A stack needs at least one node group or Fargate profile; names are
    unique."""
    fargate_profiles: list[FargateProfileSettings] = []
    """Fargate profiles (one pod per node), sharing one pod execution role."""
    karpenter: KarpenterSettings = KarpenterSettings()
    """Karpenter: off unless `enabled`; NodePools get their max pods from `cni`."""

    #: Tags the platform adds on top of `tags` on its most tagged resources (subnets: the
    #: stack's two, the load balancer role, the cluster's, Karpenter's discovery and `Name`).
    PACKAGE_TAGS: ClassVar[tuple[str, ...]] = (
        "eks-platform/stack", "eks-platform/cluster", "kubernetes.io/role/[internal-]elb",
        "kubernetes.io/cluster/<name>", "karpenter.sh/discovery", "Name")
    REACHABILITY_CHECKED_LAST: ClassVar[bool] = True

    @field_validator("cluster_name")
    @classmethod
    def _not_a_yaml_boolean(cls, name: str | None) -> str | None:
        # Pulumi hands a program every scalar as a string, so `clusterName: true` arrives as
        # "true"; no one names a cluster after a YAML boolean.
        if name is not None and name.lower() in ("true", "false", "yes", "no", "on", "off"):
            raise ValueError("a YAML boolean, not a cluster name: write the cluster's name")
        return name

    @field_validator("subnet_ids")
    @classmethod
    def _subnet_ids(cls, ids: list[str] | None) -> list[str] | None:
        return None if ids is None else check_subnet_ids(ids)

    @model_validator(mode="after")
    def _coherent(self) -> PlatformSettings:
        if self.vpc is not None and self.subnet_ids is not None:
            raise FieldError("subnetIds", self.subnet_ids,
                               "give vpc (create one) or subnetIds (use existing), not both")
        if self.ip_family == "ipv6" and self.subnet_ids is None:
            raise FieldError("ipFamily", self.ip_family,
                               "ipFamily 'ipv6' needs subnetIds of existing dual-stack subnets")
        if not self.node_groups and not self.fargate_profiles and not self.auto_mode_on:
            raise FieldError("nodeGroups", [], "define at least one node group or Fargate "
                             "profile, or turn on autoMode")
        if self.fargate_only and not self.auto_mode_on and self.hybrid_nodes is None \
                and not any(p.runs_coredns for p in self.fargate_profiles):
            raise FieldError("fargateProfiles", [p.name for p in self.fargate_profiles],
                             "no node groups and no Fargate profile selects coredns' pods, so "
                             "the coredns add-on (computeType: Fargate) would never schedule "
                             "and stay DEGRADED: add a profile selecting namespace "
                             "kube-system (with no labels, or k8s-app: kube-dns)")
        names = [group.name for group in self.node_groups]
        if len(set(names)) != len(names):
            raise FieldError("nodeGroups", names, "node group names must be unique")
        if self.cni.mode == "helm" and self.addons.vpc_cni is not None:
            raise FieldError(
                ("addons", "vpcCni"), self.addons.vpc_cni.model_dump(by_alias=True),
                "addons.vpcCni is set but cni.mode is 'helm': exactly one CNI mode may be on")
        if self.cni.iam == "podIdentity" and self.addons.pod_identity_agent.enabled is False \
                and "pod_identity_agent" in self.addons.model_fields_set:
            raise FieldError(("addons", "podIdentityAgent", "enabled"), False,
                               "cni.iam 'podIdentity' needs addons.podIdentityAgent.enabled")
        return self

    @model_validator(mode="after")
    def _auto_mode_fits_stack(self) -> PlatformSettings:
        check_auto_mode_stack(self)
        return self

    @property
    def all_auto_mode(self) -> bool:
        """Auto Mode on and no managed node group: the node add-ons are left out."""
        return all_auto_mode(self)

    @property
    def left_out_addons(self) -> frozenset[str]:
        """Node add-ons left to Auto Mode (`cluster/auto_mode_stack.left_out_addons`)."""
        return left_out_addons(self)

    @model_validator(mode="after")
    def _zones_exist(self) -> PlatformSettings:
        """The VPC's zones, offline wherever the region's zones are in the generated table
        (the same choice the VPC makes at deploy from the account's answer)."""
        if self.subnet_ids is not None:
            return self
        count = (self.vpc or VpcSettings()).availability_zones
        zones = region_zones(self.region)
        if zones is not None:
            try:
                choose_zones(zones, count, self.region)
            except ValueError as error:
                raise FieldError(("vpc", "availabilityZones"), count, str(error)) from None
        return self

    @model_validator(mode="after")
    def _addons_do_what_is_asked(self) -> PlatformSettings:
        """A pinned add-on older than a feature the stack asks of it would fail at deploy or
        silently do less (prefix delegation off: far fewer pods per node)."""
        pinned = {("vpcCni", "vpc-cni"): (self.addons.vpc_cni, self.cni_features),
                  ("ebsCsiDriver", "aws-ebs-csi-driver"): (
                      self.addons.ebs_csi_driver if self.addons.ebs_csi_driver.enabled else None,
                      [POD_IDENTITY] if self.cni.iam == "podIdentity" else [])}
        for (key, addon), (spec, features) in pinned.items():
            version = spec.pinned_version if spec is not None else None
            problems = feature_problems(addon, version, features) if version else []
            if problems:
                raise FieldError(("addons", key, "version"), version, "; ".join(problems))
        return self

    @model_validator(mode="after")
    def _pods_have_subnets(self) -> PlatformSettings:
        check_pod_subnets(self.cni, self.vpc, self.subnet_ids, self.region)
        return self

    @model_validator(mode="after")
    def _groups_resolve(self) -> PlatformSettings:
        """Every group whose types the table knows is resolved now (AMI fit, max pods for the
        CNI declaration, sizing); the others at deploy, from EC2's answer."""
        options = self.max_pods_options()
        problems: list[FieldError] = []
        for index, group in enumerate(self.node_groups):
            if group.known_limits is None:
                continue
            try:
                resolve_group(group, group.known_limits, options, self.daemon_set_pods_for(group))
            except GroupedFieldError as error:
                problems += [FieldError(("nodeGroups", index, *e.key), e.value, str(e))
                             for e in error.errors]
        if problems:
            raise GroupedFieldError(problems)
        return self

    @model_validator(mode="after")
    def _subnets_hold_the_prefixes(self) -> PlatformSettings:
        """A created VPC's pod addresses (node subnets, or pod subnets with custom
        networking) hold every node group at maxSize (`network.capacity`)."""
        if self.subnet_ids is not None or not self.cni.prefix_delegation:
            return self
        vpc, options = self.vpc or VpcSettings(), self.max_pods_options()
        groups = [GroupDemand(g.name, g.max_size, resolve_group(
            g, g.known_limits, options, self.daemon_set_pods_for(g)).max_pods)
            for g in self.node_groups if g.known_limits is not None]
        cni = self.cni
        warm = cni.warm_prefix_target if cni.warm_prefix_target is not None else (
            0 if cni.warm_ip_target or cni.minimum_ip_target else 1)
        if cni.custom_networking:
            key, what = ("vpc", "podCidr"), "pod subnet"
            subnet = IPv4Network(vpc.pod_subnet_plan()[0].cidr)
        else:
            key, what = ("vpc", "cidr"), "node subnet"
            subnet = plan_subnets(vpc.cidr, vpc.availability_zones).private[0]
        problem = capacity_problem(subnet, groups, vpc.availability_zones, warm, what)
        if problem is not None:
            raise FieldError(key, str(vpc.effective_pod_cidr if cni.custom_networking
                                      else vpc.cidr), problem)
        return self

    @model_validator(mode="after")
    def _karpenter_coherent(self) -> PlatformSettings:
        if not self.karpenter.enabled:
            return self
        self.karpenter.system_group(self.node_groups)
        if self.addons.pod_identity_agent.enabled is False \
                and "enabled" in self.addons.pod_identity_agent.model_fields_set:
            raise FieldError(("addons", "podIdentityAgent", "enabled"), False,
                             "karpenter.enabled needs addons.podIdentityAgent.enabled (the "
                             "controller's IAM role comes through EKS Pod Identity)")
        return self

    @model_validator(mode="after")
    def _pod_identity_where_offered(self) -> PlatformSettings:
        """EKS Pod Identity is not offered in the China Regions (EKS user guide, "Learn how
        EKS Pod Identity grants pods access to AWS services", China edition): IRSA there."""
        if partition_of(self.region) != "aws-cn":
            return self
        absent = f"EKS Pod Identity is not available in {self.region} (China Regions)"
        if self.cni.iam == "podIdentity":
            raise FieldError(("cni", "iam"), "podIdentity", f"{absent}: use cni.iam: irsa")
        if self.addons.pod_identity_agent.enabled:
            raise FieldError(("addons", "podIdentityAgent", "enabled"), True,
                             f"{absent}: leave the pod identity agent off")
        if self.karpenter.enabled:
            raise FieldError(("karpenter", "enabled"), True,
                             f"{absent}, and this package gives Karpenter's controller its "
                             "role through it")
        return self

    @model_validator(mode="after")
    def _deployer_reaches_api_last(self) -> PlatformSettings:
        """After Karpenter's and the CNI's own checks, which say more about a broken stack."""
        self.check_deployer_reaches_api()
        self._check_deployer_route()
        return self

    def _check_deployer_route(self) -> None:
        check_deployer_route(self.endpoint, self.vpc, self.subnet_ids, self.kubernetes_api_users)

    # derived values, so every component reads the same answer ------------------------------

    def name_for(self, stack: str) -> str:
        return self.cluster_name or f"{PROJECT}-{stack}"

    @property
    def fargate_only(self) -> bool:
        return not self.node_groups and bool(self.fargate_profiles)

    @property
    def kubernetes_api_users(self) -> list[str]:
        """The cluster's, plus Karpenter (its chart and NodePools go through the API)."""
        karpenter = ["karpenter.enabled installs Karpenter"] if self.karpenter.enabled else []
        return [*super().kubernetes_api_users, *karpenter]

    @property
    def pod_identity_agent_enabled(self) -> bool:
        """The cluster's rule, and Karpenter's controller uses EKS Pod Identity."""
        return super().pod_identity_agent_enabled or self.karpenter.enabled

    @property
    def cni_addon_version(self) -> str | None:
        vpc_cni = self.addons.vpc_cni
        return vpc_cni.pinned_version if vpc_cni else None

    def max_pods_options(self) -> maxpods.MaxPodsOptions:
        """Max-pods inputs of every node group: from the one CNI declaration."""
        return self.cni.max_pods_options(self.cni_addon_version)

    def daemon_set_pods_for(self, group: NodeGroupSettings) -> int:
        """DaemonSet pods per node of `group` (`NodeGroupSettings.daemon_set_pods`)."""
        return group.daemon_set_pods(self.node_daemon_sets())

    @property
    def karpenter_system_group(self) -> NodeGroupSettings | None:
        """The node group Karpenter's controller runs on (None: Karpenter is off)."""
        return self.karpenter.system_group(self.node_groups) if self.karpenter.enabled else None
