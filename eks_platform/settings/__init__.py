"""Typed, validated settings: one module per concept, one validation path.

Stack files (`stacks/Pulumi.<env>.yaml`) and the library's Args are checked by the same
models and produce the same messages (`SettingsError`).
"""

from ..errors import PROJECT, SettingsError
from .addons import (
    AddonSettings,
    AddonsSettings,
    CorednsSettings,
    KubeProxySettings,
    OptionalAddonSettings,
)
from .cluster import ClusterSettings, LogType
from .network import EndpointSettings, FlowLogsSettings, VpcSettings
from .nodes import (
    FargateProfileSettings,
    FargateSelectorSettings,
    NodeAmiType,
    NodeGroupSettings,
    TaintSettings,
)
from .platform import PlatformSettings
from .security import AdminSettings
from .source import decode_pulumi_config, load, parse, pulumi_config_values, read_stack_file

__all__ = [
    "PROJECT",
    "AddonSettings",
    "AddonsSettings",
    "AdminSettings",
    "ClusterSettings",
    "CorednsSettings",
    "EndpointSettings",
    "FargateProfileSettings",
    "FargateSelectorSettings",
    "FlowLogsSettings",
    "KubeProxySettings",
    "LogType",
    "NodeAmiType",
    "NodeGroupSettings",
    "OptionalAddonSettings",
    "PlatformSettings",
    "SettingsError",
    "TaintSettings",
    "VpcSettings",
    "decode_pulumi_config",
    "load",
    "parse",
    "pulumi_config_values",
    "read_stack_file",
]
