"""The control plane's settings, shared by the stack file and `EksClusterArgs`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..cni import CniSettings
from ..errors import FieldError
from ..facts.versions import SupportType, judge, load
from ..judgment_day import judgment_day
from ..model import SettingsModel
from ..registry import KNOWN_REGIONS
from .network import EndpointSettings
from .security import (
    DEFAULT_LOG_RETENTION_DAYS,
    AdminSettings,
    NodeVolumeKey,
    admin_entries,
    check_principals,
    check_retention,
    check_unique_principals,
)

#: `kubernetesVersion: default` (or no key): the newest version in standard support on the
#: judgment day, from the EKS version calendar (`facts/versions.json`).
DEFAULT_VERSION = "default"
CLUSTER_NAME_PATTERN = r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$"

LogType = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]
IpFamily = Literal["ipv4", "ipv6"]

_KMS_KEY = r"^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/-]+$"


class ClusterSettings(SettingsModel):
    """Region, version, endpoint, access, encryption, logs, protection and the one CNI
    declaration: everything the control plane itself is created from."""

    region: str
    support_type: SupportType = "STANDARD"
    """`upgradePolicy.supportType`, always set: EKS's own default is EXTENDED, which bills a
    cluster left on an old version at the extended rate without anyone choosing it."""
    kubernetes_version: str = Field(DEFAULT_VERSION, validate_default=True)
    """Judged by the EKS version calendar on the judgment day (see `judgment_day`)."""
    ip_family: IpFamily = "ipv4"
    cluster_creator_admin: bool | None = None
    endpoint: EndpointSettings = EndpointSettings()
    admins: list[AdminSettings] = []
    kms_key_arn: str | None = Field(None, pattern=_KMS_KEY)
    kms_key_admins: list[str] = []
    node_volume_kms_key: NodeVolumeKey = "customer"
    logging: list[LogType] = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    oidc_provider: bool = False
    protect: bool = False
    deletion_protection: bool | None = None
    zonal_shift: bool = False
    """Register the cluster with ARC zonal shift (`zonalShiftConfig`): a zonal shift or
    autoshift then moves in-cluster east-west traffic away from an impaired zone (zonal
    autoshift itself is configured in ARC)."""
    bootstrap_self_managed_addons: bool = False
    tags: dict[str, str] = {}
    cni: CniSettings = CniSettings()

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in KNOWN_REGIONS:
            raise ValueError(f"unknown AWS region; known: {', '.join(KNOWN_REGIONS)}")
        return region

    @field_validator("kubernetes_version")
    @classmethod
    def _judged_version(cls, version: str, info: ValidationInfo) -> str:
        """`default` resolved, then refused if the calendar says EKS no longer offers it, or
        offers it only in extended support while `supportType` is not EXTENDED."""
        day = judgment_day()
        if version == DEFAULT_VERSION:
            return load().default_version(day)
        support_type = info.data.get("support_type", "STANDARD")
        errors = judge(version, day, support_type).errors
        if errors:
            raise ValueError(errors[0])
        return version

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _quoted_version(cls, version: object) -> object:
        if isinstance(version, int | float) and not isinstance(version, bool):
            raise ValueError('quote the version, e.g. "1.35": YAML reads 1.30 as the number 1.3')
        return version

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

    @model_validator(mode="after")
    def _cni_fits_bootstrap(self) -> ClusterSettings:
        if self.cni.mode != "helm":
            return self
        adopt = self.cni.helm_settings.adopt_existing
        if self.bootstrap_self_managed_addons and not adopt:
            raise FieldError(
                "bootstrapSelfManagedAddons", True,
                "cni.mode 'helm' with bootstrapSelfManagedAddons: true leaves an EKS-created "
                "aws-node in the way: set cni.helm.adoptExisting: true or bootstrap false")
        if adopt and not self.bootstrap_self_managed_addons:
            raise FieldError(
                ("cni", "helm", "adoptExisting"), True,
                "cni.helm.adoptExisting needs bootstrapSelfManagedAddons: true "
                "(otherwise EKS creates no aws-node to adopt)")
        return self

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
