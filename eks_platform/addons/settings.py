"""EKS managed add-ons: version request, conflict handling, per-add-on configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from eks_platform.model import SettingsModel

ConflictOnCreate = Literal["OVERWRITE", "NONE"]
ConflictOnUpdate = Literal["OVERWRITE", "NONE", "PRESERVE"]
ADDON_VERSION_PATTERN = r"^(default|latest|v\d+\.\d+\.\d+-eksbuild\.\d+)$"


class AddonSettings(SettingsModel):
    """One EKS managed add-on. `version`: `default` (what EKS installs for this Kubernetes
    version), `latest` (newest compatible), or a pinned `vX.Y.Z-eksbuild.N`."""

    version: str = Field("default", pattern=ADDON_VERSION_PATTERN)
    resolve_conflicts_on_create: ConflictOnCreate = "OVERWRITE"
    resolve_conflicts_on_update: ConflictOnUpdate = "OVERWRITE"
    preserve: bool | None = None
    """Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for
    vpc-cni, false for the others. Pulumi deletes a removed add-on with the inputs it last
    applied, so vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves
    aws-node running for the chart to adopt, and no pod loses its network."""

    @property
    def pinned_version(self) -> str | None:
        return None if self.version in ("default", "latest") else self.version


class CorednsSettings(AddonSettings):
    replica_count: int = Field(2, ge=1, le=100)


class KubeProxySettings(AddonSettings):
    mode: Literal["iptables", "ipvs"] | None = None


class OptionalAddonSettings(AddonSettings):
    enabled: bool = False


class AddonsSettings(SettingsModel):
    """Managed add-ons. vpc-cni lives here only in `cni.mode: managed`."""

    vpc_cni: AddonSettings | None = None
    coredns: CorednsSettings = CorednsSettings()
    kube_proxy: KubeProxySettings = KubeProxySettings()
    pod_identity_agent: OptionalAddonSettings = OptionalAddonSettings()
    ebs_csi_driver: OptionalAddonSettings = OptionalAddonSettings()


