"""Typed, validated stack settings: the only module that knows how stack config is shaped.

A stack file `stacks/Pulumi.<env>.yaml` holds camelCase keys under the `eks-platform`
namespace (plus `aws:region`). `parse()` turns them into `PlatformSettings` or raises one
`SettingsError` whose message names the stack file, every bad key path, its value and what is
allowed, before any resource exists. `load()` does the same from a running Pulumi program.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from . import maxpods
from .cni import CniSettings
from .model import SettingsModel
from .registry import KNOWN_REGIONS

PROJECT = "eks-platform"

#: EKS versions in standard or extended support (EKS version calendar, November 2026).
SUPPORTED_KUBERNETES_VERSIONS = ("1.30", "1.31", "1.32", "1.33", "1.34", "1.35")
DEFAULT_KUBERNETES_VERSION = "1.34"

LogType = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]
#: AMI types this package renders kubelet settings for (AL2 has no AMIs for Kubernetes >= 1.33).
NodeAmiType = Literal[
    "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA",
    "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON",
    "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_FIPS",
    "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA",
]
CapacityType = Literal["ON_DEMAND", "SPOT"]
TaintEffect = Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]
ConflictOnCreate = Literal["OVERWRITE", "NONE"]
ConflictOnUpdate = Literal["OVERWRITE", "NONE", "PRESERVE"]

_IAM_PRINCIPAL = r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)/[\w+=,.@/-]+$"
_KMS_KEY = r"^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/-]+$"
_ADDON_VERSION = r"^(default|latest|v\d+\.\d+\.\d+-eksbuild\.\d+)$"


class SettingsError(ValueError):
    """Invalid stack settings; `str()` is the whole message, meant to be shown as is."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"invalid stack settings in {source}:\n{lines}")


# --- network ---------------------------------------------------------------------------------

class VpcSettings(SettingsModel):
    """A VPC that the stack creates: private and public subnets in each AZ, NAT for egress."""

    cidr: IPv4Network = IPv4Network("10.0.0.0/16")
    availability_zones: int = Field(3, ge=2, le=6)
    nat_gateways: Literal["single", "onePerAz"] = "onePerAz"

    @field_validator("cidr")
    @classmethod
    def _size(cls, cidr: IPv4Network) -> IPv4Network:
        if not 16 <= cidr.prefixlen <= 20:
            raise ValueError("the VPC CIDR must be between /16 and /20")
        return cidr


class EndpointSettings(SettingsModel):
    """API server endpoint: private access is always on; public access is opt-in by CIDR."""

    public_access: bool = False
    public_access_cidrs: list[IPv4Network] = []

    @model_validator(mode="after")
    def _cidrs_need_public(self) -> EndpointSettings:
        if self.public_access and not self.public_access_cidrs:
            raise ValueError("publicAccess: true needs publicAccessCidrs (e.g. your office /32)")
        if self.public_access_cidrs and not self.public_access:
            raise ValueError("publicAccessCidrs is set but publicAccess is false")
        return self


# --- add-ons ---------------------------------------------------------------------------------

class AddonSettings(SettingsModel):
    """One EKS managed add-on. `version`: `default` (what EKS installs for this Kubernetes
    version), `latest` (newest compatible), or a pinned `vX.Y.Z-eksbuild.N`."""

    version: str = Field("default", pattern=_ADDON_VERSION)
    resolve_conflicts_on_create: ConflictOnCreate = "OVERWRITE"
    resolve_conflicts_on_update: ConflictOnUpdate = "OVERWRITE"
    preserve: bool = False

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


# --- compute ---------------------------------------------------------------------------------

class TaintSettings(SettingsModel):
    key: str = Field(pattern=r"^([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
    value: str | None = Field(None, max_length=63)
    effect: TaintEffect


class NodeGroupSettings(SettingsModel):
    """A managed node group. Size it with min/max and either `desiredSize` or `targetPods`."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,36}$")
    live_instance_type_lookup: bool = False
    instance_types: list[str] = Field(min_length=1, max_length=20)
    ami_type: NodeAmiType = "AL2023_x86_64_STANDARD"
    capacity_type: CapacityType = "ON_DEMAND"
    min_size: int = Field(1, ge=0, le=1000)
    max_size: int = Field(3, ge=1, le=1000)
    desired_size: int | None = Field(None, ge=0)
    target_pods: int | None = Field(None, ge=0)
    daemon_set_pods_per_node: int | None = Field(None, ge=0)
    labels: dict[str, str] = {}
    taints: list[TaintSettings] = []
    disk_size_gib: int = Field(50, ge=20, le=16384)
    imds_hop_limit: int = Field(1, ge=1, le=64)
    max_unavailable: int = Field(1, ge=1, le=100)

    @field_validator("instance_types")
    @classmethod
    def _known_types(cls, types: list[str], info: ValidationInfo) -> list[str]:
        if len(set(types)) != len(types):
            raise ValueError("instance types must not repeat")
        if info.data.get("live_instance_type_lookup"):
            return types
        for instance_type in types:
            try:
                maxpods.lookup(instance_type)
            except maxpods.UnknownInstanceTypeError as error:
                raise ValueError(
                    f"{error} (or set liveInstanceTypeLookup: true to ask EC2 at deploy time)"
                ) from None
        return types

    @field_validator("max_size")
    @classmethod
    def _max_not_below_min(cls, max_size: int, info: ValidationInfo) -> int:
        min_size = info.data.get("min_size")
        if min_size is not None and min_size > max_size:
            raise ValueError(f"maxSize must be >= minSize ({min_size})")
        return max_size

    @field_validator("desired_size")
    @classmethod
    def _desired_in_range(cls, desired: int | None, info: ValidationInfo) -> int | None:
        low, high = info.data.get("min_size"), info.data.get("max_size")
        known = desired is not None and low is not None and high is not None
        if known and not low <= desired <= high:  # type: ignore[operator]
            raise ValueError(f"desiredSize must be between minSize ({low}) and maxSize ({high})")
        return desired

    @model_validator(mode="after")
    def _one_sizing(self) -> NodeGroupSettings:
        if self.desired_size is not None and self.target_pods is not None:
            raise ValueError("give desiredSize or targetPods, not both")
        return self

    @property
    def is_bottlerocket(self) -> bool:
        return self.ami_type.startswith("BOTTLEROCKET")


class FargateSelectorSettings(SettingsModel):
    namespace: str = Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    labels: dict[str, str] = {}


class FargateProfileSettings(SettingsModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")
    selectors: list[FargateSelectorSettings] = Field(min_length=1, max_length=5)


# --- the whole stack -------------------------------------------------------------------------

class PlatformSettings(SettingsModel):
    """Everything under `eks-platform:` in a stack file, plus the stack's `aws:region`."""

    region: str
    cluster_name: str | None = Field(None, pattern=r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
    ip_family: Literal["ipv4", "ipv6"] = "ipv4"
    cluster_creator_admin: bool = True
    vpc: VpcSettings | None = None
    subnet_ids: list[str] | None = Field(None, min_length=2)
    endpoint: EndpointSettings = EndpointSettings()
    admins: list[str] = []
    kms_key_arn: str | None = Field(None, pattern=_KMS_KEY)
    logging: list[LogType] = ["api", "audit", "authenticator"]
    protect: bool = False
    deletion_protection: bool | None = None
    bootstrap_self_managed_addons: bool = False
    tags: dict[str, str] = {}
    cni: CniSettings = CniSettings()
    addons: AddonsSettings = AddonsSettings()
    node_groups: list[NodeGroupSettings] = []
    fargate_profiles: list[FargateProfileSettings] = []

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in KNOWN_REGIONS:
            raise ValueError(f"unknown AWS region; known: {', '.join(KNOWN_REGIONS)}")
        return region

    @field_validator("kubernetes_version")
    @classmethod
    def _supported_version(cls, version: str) -> str:
        if version not in SUPPORTED_KUBERNETES_VERSIONS:
            allowed = ", ".join(SUPPORTED_KUBERNETES_VERSIONS)
            raise ValueError(f"unsupported Kubernetes version; supported: {allowed} (quote it)")
        return version

    @field_validator("subnet_ids")
    @classmethod
    def _subnet_ids(cls, ids: list[str] | None) -> list[str] | None:
        for subnet in ids or []:
            if not subnet.startswith("subnet-") or len(subnet) not in (15, 24):
                raise ValueError(f"{subnet!r} is not a subnet ID (subnet-0123456789abcdef0)")
        return ids

    @field_validator("admins")
    @classmethod
    def _admins(cls, admins: list[str]) -> list[str]:
        for arn in admins:
            if not re.match(_IAM_PRINCIPAL, arn):
                raise ValueError(f"{arn!r} is not an IAM role or user ARN")
        return admins

    @model_validator(mode="after")
    def _coherent(self) -> PlatformSettings:
        if self.vpc is not None and self.subnet_ids is not None:
            raise ValueError("give vpc (create one) or subnetIds (use existing), not both")
        if self.ip_family == "ipv6" and self.subnet_ids is None:
            raise ValueError("ipFamily 'ipv6' needs subnetIds of existing dual-stack subnets")
        if not self.node_groups and not self.fargate_profiles:
            raise ValueError("define at least one node group or Fargate profile")
        names = [group.name for group in self.node_groups]
        if len(set(names)) != len(names):
            raise ValueError(f"node group names must be unique: {names}")
        if self.cni.mode == "helm":
            if self.addons.vpc_cni is not None:
                raise ValueError(
                    "addons.vpcCni is set but cni.mode is 'helm': exactly one CNI mode may be on"
                )
            adopt = self.cni.helm_settings.adopt_existing
            if self.bootstrap_self_managed_addons and not adopt:
                raise ValueError(
                    "cni.mode 'helm' with bootstrapSelfManagedAddons: true leaves an EKS-created "
                    "aws-node in the way: set cni.helm.adoptExisting: true or bootstrap false"
                )
            if adopt and not self.bootstrap_self_managed_addons:
                raise ValueError(
                    "cni.helm.adoptExisting needs bootstrapSelfManagedAddons: true "
                    "(otherwise EKS creates no aws-node to adopt)"
                )
        if self.cni.iam == "podIdentity" and self.addons.pod_identity_agent.enabled is False \
                and "podIdentityAgent" in self.addons.model_fields_set:
            raise ValueError("cni.iam 'podIdentity' needs addons.podIdentityAgent.enabled")
        return self

    # derived values, so every component reads the same answer ------------------------------

    def name_for(self, stack: str) -> str:
        return self.cluster_name or f"{PROJECT}-{stack}"

    @property
    def fargate_only(self) -> bool:
        return not self.node_groups and bool(self.fargate_profiles)

    @property
    def pod_identity_agent_enabled(self) -> bool:
        return self.addons.pod_identity_agent.enabled or self.cni.iam == "podIdentity"

    @property
    def protect_deletion(self) -> bool:
        return self.protect if self.deletion_protection is None else self.deletion_protection

    @property
    def cni_addon_version(self) -> str | None:
        vpc_cni = self.addons.vpc_cni
        return vpc_cni.pinned_version if vpc_cni else None

    def max_pods_options(self) -> maxpods.MaxPodsOptions:
        """Max-pods inputs of every node group: from the one CNI declaration."""
        return self.cni.max_pods_options(self.cni_addon_version)

    def daemon_set_pods_per_node(self) -> int:
        """Pods every node carries from this platform's DaemonSets: aws-node, kube-proxy,
        plus the pod identity agent and EBS CSI node plugin when they are on."""
        return 2 + int(self.pod_identity_agent_enabled) + int(self.addons.ebs_csi_driver.enabled)


# --- parsing ---------------------------------------------------------------------------------

def parse(config: Mapping[str, Any], source: str) -> PlatformSettings:
    """Validate stack config (`{"eks-platform:key": value, "aws:region": ...}`)."""
    prefix = f"{PROJECT}:"
    data: dict[str, Any] = {
        key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)
    }
    if "aws:region" in config:
        data["region"] = config["aws:region"]
    if "region" in data and f"{prefix}region" in config:
        raise SettingsError(source, ["eks-platform:region: set the region with aws:region"])
    try:
        return PlatformSettings.model_validate(data)
    except ValidationError as error:
        raise SettingsError(source, [_describe(e) for e in error.errors()]) from None


def _key_path(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return f"{PROJECT}:"
    head, *rest = loc
    path = "aws:region" if head == "region" else f"{PROJECT}:{head}"
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _describe(error: Any) -> str:
    loc = tuple(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return f"{_key_path(loc)}: unknown key; allowed keys here: {', '.join(allowed)}"
    if error["type"] == "missing":
        return f"{_key_path(loc)}: required key is missing"
    value = error.get("input")
    shown = json.dumps(value, default=str) if not isinstance(value, dict) else "{...}"
    return f"{_key_path(loc)} = {shown}: {message}"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The camelCase keys that the model at `loc` accepts, for 'unknown key' messages."""
    model: Any = PlatformSettings
    for part in loc:
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in model.model_fields.items() if (f.alias or name) == part), None
        )
        if field is None:
            return []
        model = nested_model(field.annotation)
        if model is None:
            return []
    return sorted(f.alias or n for n, f in model.model_fields.items() if n != "region")


def nested_model(annotation: Any) -> Any:
    """The settings model inside `Model`, `Model | None` or `list[Model]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, SettingsModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = nested_model(arg)
        if found is not None:
            return found
    return None


# --- sources ---------------------------------------------------------------------------------

def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file, values as YAML typed them."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(str(path), [f"cannot read stack file: {error}"]) from None
    config = document.get("config", {}) if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise SettingsError(str(path), ["config: must be a mapping of keys to values"])
    return config


def pulumi_config_values(config: Mapping[str, Any]) -> dict[str, str]:
    """Stack-file values as the Pulumi CLI hands them to a program: scalars as strings,
    objects and lists as JSON."""
    def encode(value: Any) -> str:
        if isinstance(value, dict | list):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return {key: encode(value) for key, value in config.items()}


def decode_pulumi_config(config: Mapping[str, str]) -> dict[str, Any]:
    """Inverse of `pulumi_config_values`: JSON objects and lists parsed, scalars left as
    strings for the models to coerce (`"3"` -> 3, `"true"` -> True)."""
    decoded: dict[str, Any] = {}
    for key, value in config.items():
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text[:1] in ("{", "["):
            try:
                decoded[key] = json.loads(text)
                continue
            except json.JSONDecodeError:
                pass
        decoded[key] = value
    return decoded


def load(stack: str | None = None) -> PlatformSettings:
    """Settings of the running Pulumi program (its stack's config)."""
    import pulumi
    from pulumi.runtime.config import CONFIG, get_config_env

    stack = stack or pulumi.get_stack()
    raw = {**get_config_env(), **CONFIG.get()}
    return parse(decode_pulumi_config(raw), f"stacks/Pulumi.{stack}.yaml")
