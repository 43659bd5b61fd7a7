"""eks-platform: Amazon EKS cluster, node groups and add-ons as Pulumi components.

    from eks_platform import EksCluster, EksClusterArgs, ManagedNodeGroup, ManagedNodeGroupArgs

Everything a composing program needs is importable from here. Components are exported lazily
(PEP 562) so that `python -m eks_platform max-pods` and the pure modules never import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "EksCluster": ".cluster",
    "EksClusterArgs": ".cluster",
    "ManagedNodeGroup": ".nodegroup",
    "ManagedNodeGroupArgs": ".nodegroup",
    "EksAddon": ".addons",
    "EksAddonArgs": ".addons",
    "ServiceAccountRole": ".service_account_role",
    "ServiceAccountRoleArgs": ".service_account_role",
    "vpc_cni_role": ".service_account_role",
    "SelfManagedVpcCni": ".vpc_cni_helm",
    "SelfManagedVpcCniArgs": ".vpc_cni_helm",
    "FargateProfiles": ".fargate",
    "FargateProfilesArgs": ".fargate",
    "Vpc": ".network",
    "VpcFlowLogs": ".flow_logs",
    "VpcFlowLogsArgs": ".flow_logs",
    "VpcArgs": ".network",
    "Karpenter": ".karpenter.component",
    "KarpenterArgs": ".karpenter.component",
    "KarpenterSettings": ".karpenter.settings",
    "NodePoolSettings": ".karpenter.settings",
    "EksPlatform": ".platform",
    "EniConfigs": ".custom_networking",
    "EniConfigsArgs": ".custom_networking",
    "EksPlatformArgs": ".platform",
    "AddonSettings": ".settings",
    "AdminSettings": ".settings",
    "CorednsSettings": ".settings",
    "FlowLogsSettings": ".settings",
    "KubeProxySettings": ".settings",
    "ClusterSettings": ".settings",
    "EndpointSettings": ".settings",
    "FargateProfileSettings": ".settings",
    "FargateSelectorSettings": ".settings",
    "NodeGroupSettings": ".settings",
    "PlatformSettings": ".settings",
    "SettingsError": ".settings",
    "TaintSettings": ".settings",
    "VpcSettings": ".settings",
    "load": ".settings",
    "parse": ".settings",
    "CniSettings": ".cni",
    "HelmCniSettings": ".cni",
    "MaxPodsOptions": ".maxpods",
    "max_pods": ".maxpods",
    "nodegroup_max_pods": ".maxpods",
}

__all__ = [
    "AddonSettings",
    "AdminSettings",
    "ClusterSettings",
    "CniSettings",
    "CorednsSettings",
    "EksAddon",
    "EksAddonArgs",
    "EksCluster",
    "EksClusterArgs",
    "EksPlatform",
    "EksPlatformArgs",
    "EndpointSettings",
    "EniConfigs",
    "EniConfigsArgs",
    "FargateProfileSettings",
    "FargateProfiles",
    "FargateProfilesArgs",
    "FargateSelectorSettings",
    "FlowLogsSettings",
    "HelmCniSettings",
    "Karpenter",
    "KarpenterArgs",
    "KarpenterSettings",
    "KubeProxySettings",
    "ManagedNodeGroup",
    "ManagedNodeGroupArgs",
    "MaxPodsOptions",
    "NodeGroupSettings",
    "NodePoolSettings",
    "PlatformSettings",
    "SelfManagedVpcCni",
    "SelfManagedVpcCniArgs",
    "ServiceAccountRole",
    "ServiceAccountRoleArgs",
    "SettingsError",
    "TaintSettings",
    "Vpc",
    "VpcArgs",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
    "VpcSettings",
    "load",
    "max_pods",
    "nodegroup_max_pods",
    "parse",
    "vpc_cni_role",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eks_platform' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


if TYPE_CHECKING:
    from .addons import EksAddon, EksAddonArgs
    from .cluster import EksCluster, EksClusterArgs
    from .cni import CniSettings, HelmCniSettings
    from .custom_networking import EniConfigs, EniConfigsArgs
    from .fargate import FargateProfiles, FargateProfilesArgs
    from .flow_logs import VpcFlowLogs, VpcFlowLogsArgs
    from .karpenter.component import Karpenter, KarpenterArgs
    from .karpenter.settings import KarpenterSettings, NodePoolSettings
    from .maxpods import MaxPodsOptions, max_pods, nodegroup_max_pods
    from .network import Vpc, VpcArgs
    from .nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
    from .platform import EksPlatform, EksPlatformArgs
    from .service_account_role import ServiceAccountRole, ServiceAccountRoleArgs, vpc_cni_role
    from .settings import (
        AddonSettings,
        AdminSettings,
        ClusterSettings,
        CorednsSettings,
        EndpointSettings,
        FargateProfileSettings,
        FargateSelectorSettings,
        FlowLogsSettings,
        KubeProxySettings,
        NodeGroupSettings,
        PlatformSettings,
        SettingsError,
        TaintSettings,
        VpcSettings,
        load,
        parse,
    )
    from .vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs
