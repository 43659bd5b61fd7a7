"""The control plane's settings, shared by the stack file and `EksClusterArgs`.

Their cross-field rules are plain functions in `settings_rules.py`."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from eks_platform.addons.cni import CniSettings
from eks_platform.addons.features import NETWORK_POLICY, POD_IDENTITY, PREFIX_DELEGATION
from eks_platform.addons.registry import check_region
from eks_platform.addons.settings import AddonsSettings
from eks_platform.cluster import settings_rules as rules
from eks_platform.cluster.auto_mode import (
    AutoModeSettings,
    ControlPlaneTier,
    HybridNodesSettings,
    cluster_feature_error,
)
from eks_platform.cluster.security_settings import (
    DEFAULT_LOG_RETENTION_DAYS,
    AdminSettings,
    NodeVolumeKey,
    admin_entries,
    check_principals,
    check_retention,
    check_unique_principals,
)
from eks_platform.cluster.settings_rules import DEFAULT_VERSION
from eks_platform.facts.versions import SupportType
from eks_platform.model import SettingsModel
from eks_platform.network.settings import EndpointSettings
from eks_platform.nodes.resolver import node_daemon_sets

__all__ = ["CLUSTER_NAME_PATTERN", "DEFAULT_VERSION", "ClusterSettings", "IpFamily", "LogType"]

CLUSTER_NAME_PATTERN = r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$"

LogType = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]
IpFamily = Literal["ipv4", "ipv6"]

_KMS_KEY = r"^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/-]+$"


class ClusterSettings(SettingsModel):
    """Region, version, endpoint, access, encryption, logs, protection and the one CNI
    declaration: everything the control plane itself is created from."""

    region: str
    """The AWS Region of every resource (in a stack file: `aws:region`). Checked against the
    Regions the package knows, which also fixes the partition (aws, aws-cn, aws-us-gov) of
    every ARN."""
    support_type: SupportType = "STANDARD"
    """`upgradePolicy.supportType`, always set: EKS's own default is EXTENDED, which bills a
    cluster left on an old version at the extended rate without anyone choosing it."""
    kubernetes_version: str = Field(DEFAULT_VERSION, validate_default=True)
    """Kubernetes minor version of the control plane, quoted (`"1.35"`: YAML reads 1.30 as
    1.3). `default`: the newest version in standard support on the judgment day
    (`EKS_PLATFORM_DATE` or `plan --date`, else today), from the EKS version calendar. Refused
    past extended support, and in extended support unless `supportType: EXTENDED`. Raise it one
    minor version at a time: EKS upgrades in place and never downgrades."""
    ip_family: IpFamily = "ipv4"
    """The cluster's service and pod IP family, fixed at creation: `ipv4`, or `ipv6` on
    existing dual-stack subnets (`subnetIds`) with `cni.prefixDelegation: true` and no
    custom networking, which is what the VPC CNI supports."""
    cluster_creator_admin: bool | None = None
    """Whether EKS gives the identity creating the cluster a cluster-admin access entry
    (`bootstrapClusterCreatorAdminPermissions`). Unset: true only when no `admins` are
    given, since otherwise nobody could reach the cluster. EKS reads it at creation only."""
    endpoint: EndpointSettings = EndpointSettings()
    """The Kubernetes API endpoint: private always, public only for the ranges given."""
    admins: list[AdminSettings] = []
    """IAM principals with Kubernetes access, each an access entry with one access policy
    (`ClusterAdmin`, `Admin`, `AdminView`, `Edit`, `View`) for the cluster or for
    namespaces. A plain ARN means `ClusterAdmin` cluster-wide. EKS allows one access entry
    per principal."""
    kms_key_arn: str | None = Field(None, pattern=_KMS_KEY)
    """Your own KMS key (or alias) ARN for envelope encryption of Kubernetes secrets. Unset:
    the stack creates a customer managed key with yearly rotation and an explicit key
    policy."""
    kms_key_admins: list[str] = []
    """IAM role or user ARNs that administer every key the stack creates, besides the identity
    running `pulumi up`. Administrators manage a key but cannot use it; only they can
    disable or delete it, so list break-glass roles here."""
    node_volume_kms_key: NodeVolumeKey = "customer"
    """Key of the node volumes: `customer` (the cluster's customer managed key; its policy
    names AWSServiceRoleForAutoScaling, which must exist) or `awsManaged` (the account's
    `aws/ebs` key). Volumes are encrypted either way."""
    logging: list[LogType] = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    """Control plane log types sent to CloudWatch Logs. All five by default (CIS EKS 2.1.1 asks
    for at least api, audit and authenticator); the controller manager and scheduler logs
    are the bulk of the volume."""
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    """Days the control plane's log group keeps events: one of the periods CloudWatch Logs
    accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ... 3653).
    A year by default (CIS EKS 2.1.2 asks that logs be kept)."""
    oidc_provider: bool = False
    """Create the cluster's IAM OIDC provider even when no role of this stack uses IRSA (for
    IRSA roles made in other stacks). Off: it is created only when some role here uses IRSA."""
    protect: bool = False
    """Pulumi `protect` on the cluster, its keys and its log groups, so `pulumi destroy` or a
    replacing change stops instead of deleting them. Also the default of
    `deletionProtection`. On in prod; remove it (and run `pulumi up`) before tearing a stack
    down."""
    deletion_protection: bool | None = None
    """EKS's own deletion protection on the cluster (DeleteCluster is refused while it is on).
    Unset: follows `protect`. Turn it off with `pulumi up` before `pulumi destroy`."""
    zonal_shift: bool = False
    """Register the cluster with ARC zonal shift (`zonalShiftConfig`): a zonal shift or
    autoshift then moves in-cluster east-west traffic away from an impaired zone (zonal
    autoshift itself is configured in ARC)."""
    bootstrap_self_managed_addons: bool = False
    """Let EKS install its self-managed vpc-cni, kube-proxy and coredns at creation. Off by
    default: the package installs them as managed add-ons (or the Helm CNI), so nothing
    fights over `aws-node`. EKS reads it only at creation; `true` with `cni.mode: helm`
    needs `cni.helm.adoptExisting`."""
    tags: dict[str, str] = {}
    """Tags on every taggable resource, on top of the package's own (`eks-platform/stack`,
    `eks-platform/cluster` and a few more). AWS allows 50 tags per resource, so the stack
    may give 50 minus the package's; no `aws:` prefix."""
    cni: CniSettings = CniSettings()
    """The one declaration of pod networking: CNI mode, prefix delegation, custom networking,
    warm targets, network policy and the CNI's IAM. Node groups and Karpenter NodePools take
    their max pods from it."""
    addons: AddonsSettings = AddonsSettings()
    """The managed add-ons: with the CNI declaration, what every node runs (its DaemonSets)."""
    auto_mode: AutoModeSettings | None = None
    """EKS Auto Mode: nodes, networking and storage run by EKS. None leaves the cluster's
    Auto Mode inputs unset, so a cluster that never had it sees no change."""
    control_plane_tier: ControlPlaneTier | None = None
    """`controlPlaneScalingConfig.tier` (EKS Provisioned Control Plane): capacity bought
    ahead of load; None leaves EKS's standard, on-demand scaling."""
    hybrid_nodes: HybridNodesSettings | None = None
    """On-premises nodes (EKS Hybrid Nodes): `remoteNetworkConfig` and what they need."""

    #: Tags the package adds to some resource on top of `tags` (the node group's
    #: `eks-platform/node-group`); AWS allows 50 per resource in all.
    PACKAGE_TAGS: ClassVar[tuple[str, ...]] = ("eks-platform/node-group",)

    @property
    def pod_identity_agent_enabled(self) -> bool:
        """The agent runs when asked for or when the CNI uses EKS Pod Identity."""
        return self.addons.pod_identity_agent.enabled or self.cni.iam == "podIdentity"

    def node_daemon_sets(self) -> tuple[str, ...]:
        """The DaemonSets on every node (`nodes.resolver.node_daemon_sets`)."""
        return node_daemon_sets(pod_identity_agent=self.pod_identity_agent_enabled,
                                ebs_csi_driver=self.addons.ebs_csi_driver.enabled)

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        return check_region(region)

    @field_validator("kubernetes_version")
    @classmethod
    def _judged_version(cls, version: str, info: ValidationInfo) -> str:
        return rules.judged_version(version, info.data.get("support_type", "STANDARD"))

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _quoted_version(cls, version: object) -> object:
        return rules.quoted_version(version)

    @field_validator("admins", mode="before")
    @classmethod
    def _plain_admin_arns(cls, admins: Any) -> Any:
        return admin_entries(admins)

    @field_validator("admins")
    @classmethod
    def _one_entry_per_admin(cls, admins: list[AdminSettings]) -> list[AdminSettings]:
        return check_unique_principals(admins)

    @field_validator("kms_key_admins")
    @classmethod
    def _key_admins(cls, arns: list[str]) -> list[str]:
        return check_principals(arns)

    @field_validator("log_retention_days")
    @classmethod
    def _retention(cls, days: int) -> int:
        return check_retention(days)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: dict[str, str]) -> dict[str, str]:
        return rules.check_tags(tags, cls.PACKAGE_TAGS)

    @model_validator(mode="after")
    def _features_fit_cluster(self) -> ClusterSettings:
        cluster_feature_error(
            auto_mode=self.auto_mode, tier=self.control_plane_tier, hybrid=self.hybrid_nodes,
            kubernetes_version=self.kubernetes_version, ip_family=self.ip_family,
            bootstrap_self_managed_addons=self.bootstrap_self_managed_addons)
        return self

    @property
    def auto_mode_on(self) -> bool:
        return self.auto_mode is not None and self.auto_mode.enabled

    @model_validator(mode="after")
    def _public_cidrs_fit_family(self) -> ClusterSettings:
        rules.check_public_cidrs(self.endpoint, self.ip_family)
        return self

    @model_validator(mode="after")
    def _chart_does_what_is_asked(self) -> ClusterSettings:
        rules.check_chart_features(self.cni, self.cni_features)
        return self

    @property
    def cni_features(self) -> list[str]:
        """Features the stack asks of the VPC CNI (each has a minimum version)."""
        asked = {PREFIX_DELEGATION: self.cni.prefix_delegation,
                 NETWORK_POLICY: self.cni.network_policy,
                 POD_IDENTITY: self.cni.iam == "podIdentity"}
        return [feature for feature, on in asked.items() if on]

    @property
    def kubernetes_api_users(self) -> list[str]:
        """What `pulumi up` creates through the Kubernetes API (so it must reach the cluster
        endpoint): the Helm CNI and its adoption patches, custom networking's ENIConfigs."""
        users = ["cni.mode 'helm' installs the CNI"] if self.cni.mode == "helm" else []
        if self.cni.custom_networking:
            users.append("cni.customNetworking creates the ENIConfigs")
        if self.auto_mode is not None and self.auto_mode.enabled and self.auto_mode.node_pools:
            users.append("autoMode.nodePools creates the NodeClass and NodePools")
        return users

    @model_validator(mode="after")
    def _ipv6_cni(self) -> ClusterSettings:
        rules.check_ipv6_cni(self.ip_family, self.cni)
        return self

    @model_validator(mode="after")
    def _cni_fits_bootstrap(self) -> ClusterSettings:
        rules.check_cni_bootstrap(self.cni, self.bootstrap_self_managed_addons)
        return self

    #: A subclass with more checks runs `check_deployer_reaches_api` after them instead.
    REACHABILITY_CHECKED_LAST: ClassVar[bool] = False

    @model_validator(mode="after")
    def _deployer_reaches_api(self) -> ClusterSettings:
        if not self.REACHABILITY_CHECKED_LAST:
            self.check_deployer_reaches_api()
        return self

    def check_deployer_reaches_api(self) -> None:
        """What goes through the Kubernetes API needs a declared way to the endpoint."""
        rules.check_deployer_reaches_api(self.kubernetes_api_users, self.endpoint)

    @property
    def creator_is_admin(self) -> bool:
        """Whether EKS makes the identity creating the cluster its cluster-admin: as set, else
        only when no admins are given (otherwise nobody could reach the cluster)."""
        if self.cluster_creator_admin is not None:
            return self.cluster_creator_admin
        return not self.admins

    @property
    def protect_deletion(self) -> bool:
        return self.protect if self.deletion_protection is None else self.deletion_protection
