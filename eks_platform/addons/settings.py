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
    resolve_conflicts_on_create: ConflictOnCreate = "OVERWRITE"
    resolve_conflicts_on_update: ConflictOnUpdate = "OVERWRITE"
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


