"""The stack file: its settings (each concern's models, gathered), loading and preflight.

Stack files (`stacks/Pulumi.<env>.yaml`) and the library's Args are checked by the same
models and produce the same messages (`SettingsError`).
"""

from eks_platform.addons.settings import (
    AddonSettings,
    AddonsSettings,
    CorednsSettings,
    KubeProxySettings,
    OptionalAddonSettings,
)
from eks_platform.cluster.security_settings import AdminSettings
from eks_platform.cluster.settings import ClusterSettings, LogType
from eks_platform.errors import PROJECT, SettingsError
from eks_platform.network.settings import EndpointSettings, FlowLogsSettings, VpcSettings
from eks_platform.nodes.settings import (
    FargateProfileSettings,
    FargateSelectorSettings,
    NodeAmiType,
    NodeGroupSettings,
    TaintSettings,
)
from eks_platform.stack.settings import PlatformSettings
from eks_platform.stack.source import (
    decode_pulumi_config,
    load,
    parse,
    pulumi_config_values,
)
from eks_platform.stack.stack_file import read_stack_file

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
