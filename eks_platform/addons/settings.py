"""EKS managed add-ons: version request, conflict handling, per-add-on configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from eks_platform.addons.namespaces import addon_namespace_error, addon_namespace_problems
from eks_platform.errors import FieldError
from eks_platform.model import SettingsModel

ConflictOnCreate = Literal["OVERWRITE", "NONE"]
ConflictOnUpdate = Literal["OVERWRITE", "NONE", "PRESERVE"]
ADDON_VERSION_PATTERN = r"^(default|latest|v\d+\.\d+\.\d+-eksbuild\.\d+)$"


class AddonSettings(SettingsModel):
    """One EKS managed add-on. `version`: `default` (what EKS installs for this Kubernetes
    version), `latest` (newest compatible), or a pinned `vX.Y.Z-eksbuild.N`."""

    version: str = Field("default", pattern=ADDON_VERSION_PATTERN)
    """`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves
    only when the cluster version does, so previews stay quiet), `latest` (newest build
    compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with
    DescribeAddonVersions at preview."""
    resolve_conflicts_on_create: ConflictOnCreate = "OVERWRITE"
    """What EKS does when the add-on's objects already exist as self-managed ones at creation:
    `OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons
    converges) or `NONE` (leave them; creation may fail)."""
    resolve_conflicts_on_update: ConflictOnUpdate = "OVERWRITE"
    """What EKS does with fields changed away from its defaults when the add-on is updated:
    `OVERWRITE` (back to EKS's values; the default, so the stack file is the truth),
    `PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail)."""
    preserve: bool | None = None
    """Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for
    vpc-cni, false for the others. Pulumi deletes a removed add-on with the inputs it last
    applied, so vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves
    aws-node running for the chart to adopt, and no pod loses its network."""
    namespace: str | None = None
    """`namespaceConfig.namespace`: install the add-on in this namespace instead of its
    predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's
    UpdateAddon has no namespaceConfig), which the plan says."""

    @field_validator("namespace")
    @classmethod
    def _dns_label(cls, namespace: str | None) -> str | None:
        problems = addon_namespace_problems(namespace) if namespace is not None else []
        if problems:
            raise ValueError(problems[0])
        return namespace

    @property
    def pinned_version(self) -> str | None:
        return None if self.version in ("default", "latest") else self.version


class CorednsSettings(AddonSettings):
    replica_count: int = Field(2, ge=1, le=100)
    """CoreDNS replicas (`replicaCount` of the add-on's configuration), 1 to 100. Two, EKS's
    own default, survive the loss of one node."""


class KubeProxySettings(AddonSettings):
    mode: Literal["iptables", "ipvs"] | None = None
    """kube-proxy's proxy mode in the add-on's configuration: `iptables` or `ipvs`. Unset: the
    add-on's default (iptables)."""


class OptionalAddonSettings(AddonSettings):
    enabled: bool = False
    """Install this add-on. Off by default: the pod identity agent also comes on by itself when
    something uses EKS Pod Identity (`cni.iam: podIdentity`, Karpenter); the EBS CSI driver
    is only needed for EBS persistent volumes."""


class AddonsSettings(SettingsModel):
    """Managed add-ons. vpc-cni lives here only in `cni.mode: managed`."""

    vpc_cni: AddonSettings | None = None
    """The vpc-cni managed add-on, with `cni.mode: managed` (unset: `version: default`). Its
    configuration comes from `cni`, never from here. Setting it with `cni.mode: helm` is an
    error."""
    coredns: CorednsSettings = CorednsSettings()
    """The coredns managed add-on (cluster DNS). A Deployment: created after the node groups,
    since it stays DEGRADED without nodes."""
    kube_proxy: KubeProxySettings = KubeProxySettings()
    """The kube-proxy managed add-on. A DaemonSet: created with the CNI, before the nodes that
    need it."""
    pod_identity_agent: OptionalAddonSettings = OptionalAddonSettings()
    """The eks-pod-identity-agent add-on, which EKS Pod Identity needs on every node. Turned on
    by itself when `cni.iam` is `podIdentity` or Karpenter is enabled."""
    ebs_csi_driver: OptionalAddonSettings = OptionalAddonSettings()
    """The aws-ebs-csi-driver add-on, for EBS persistent volumes; its node plugin counts as a
    DaemonSet pod on every node."""

    @model_validator(mode="after")
    def _namespaces_allowed(self) -> AddonsSettings:
        names = {"vpc_cni": "vpc-cni", "coredns": "coredns", "kube_proxy": "kube-proxy"}
        for field, addon in names.items():
            spec = getattr(self, field)
            error = (addon_namespace_error(addon, spec.namespace)
                     if spec is not None and spec.namespace is not None else None)
            if error is not None:
                raise FieldError((to_camel(field), "namespace"), spec.namespace, error)
        return self


