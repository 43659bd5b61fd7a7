"""eks-platform: Amazon EKS cluster, node groups and add-ons as Pulumi components.

    from eks_platform import EksCluster, EksClusterArgs, ManagedNodeGroup, ManagedNodeGroupArgs

Everything a composing program needs is importable from here. Components are exported lazily
(PEP 562) so that `python -m eks_platform max-pods` and the pure modules never import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "EksCluster": ".cluster.component",
    "EksClusterArgs": ".cluster.component",
    "ExistingCluster": ".cluster.existing",
    "ExistingClusterArgs": ".cluster.existing",
    "AutoModeNodePools": ".cluster.auto_mode_component",
    "AutoModeNodePoolsArgs": ".cluster.auto_mode_component",
    "AutoModeSettings": ".cluster.auto_mode",
    "HybridNodesSettings": ".cluster.auto_mode",
    "ManagedNodeGroup": ".nodes.nodegroup",
    "ManagedNodeGroupArgs": ".nodes.nodegroup",
    "EksAddon": ".addons.component",
    "EksAddonArgs": ".addons.component",
    "ServiceAccountRole": ".cluster.service_account_role",
    "ServiceAccountRoleArgs": ".cluster.service_account_role",
    "vpc_cni_role": ".cluster.service_account_role",
    "SelfManagedVpcCni": ".addons.vpc_cni_helm",
    "SelfManagedVpcCniArgs": ".addons.vpc_cni_helm",
    "FargateProfiles": ".nodes.fargate",
    "FargateProfilesArgs": ".nodes.fargate",
    "Vpc": ".network.vpc",
    "VpcFlowLogs": ".network.flow_logs",
    "VpcFlowLogsArgs": ".network.flow_logs",
    "VpcArgs": ".network.vpc",
    "Karpenter": ".karpenter.component",
    "KarpenterArgs": ".karpenter.component",
    "KarpenterSettings": ".karpenter.settings",
    "NodePoolSettings": ".karpenter.settings",
    "EksPlatform": ".platform",
    "EniConfigs": ".network.custom_networking",
    "EniConfigsArgs": ".network.custom_networking",
    "EksPlatformArgs": ".platform",
    "AddonSettings": ".stack",
    "AdminSettings": ".stack",
    "CorednsSettings": ".stack",
    "FlowLogsSettings": ".stack",
    "KubeProxySettings": ".stack",
    "ClusterSettings": ".stack",
    "EndpointSettings": ".stack",
    "FargateProfileSettings": ".stack",
    "FargateSelectorSettings": ".stack",
    "NodeGroupSettings": ".stack",
    "PlatformSettings": ".stack",
    "SettingsError": ".stack",
    "TaintSettings": ".stack",
    "VpcSettings": ".stack",
    "load": ".stack",
    "parse": ".stack",
    "CniSettings": ".addons.cni",
    "HelmCniSettings": ".addons.cni",
    "MaxPodsOptions": ".nodes.maxpods",
    "max_pods": ".nodes.maxpods",
    "nodegroup_max_pods": ".nodes.maxpods",
}

__all__ = [
    "AddonSettings",
    "AdminSettings",
    "AutoModeNodePools",
    "AutoModeNodePoolsArgs",
    "AutoModeSettings",
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
    "ExistingCluster",
    "ExistingClusterArgs",
    "FargateProfileSettings",
    "FargateProfiles",
    "FargateProfilesArgs",
    "FargateSelectorSettings",
    "FlowLogsSettings",
    "HelmCniSettings",
    "HybridNodesSettings",
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
    from eks_platform.addons.cni import CniSettings, HelmCniSettings
    from eks_platform.addons.component import EksAddon, EksAddonArgs
    from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs
    from eks_platform.cluster.auto_mode import AutoModeSettings, HybridNodesSettings
    from eks_platform.cluster.auto_mode_component import AutoModeNodePools, AutoModeNodePoolsArgs
    from eks_platform.cluster.component import EksCluster, EksClusterArgs
    from eks_platform.cluster.existing import ExistingCluster, ExistingClusterArgs
    from eks_platform.cluster.service_account_role import (
        ServiceAccountRole,
        ServiceAccountRoleArgs,
        vpc_cni_role,
    )
    from eks_platform.karpenter.component import Karpenter, KarpenterArgs
    from eks_platform.karpenter.settings import KarpenterSettings, NodePoolSettings
    from eks_platform.network.custom_networking import EniConfigs, EniConfigsArgs
    from eks_platform.network.flow_logs import VpcFlowLogs, VpcFlowLogsArgs
    from eks_platform.network.vpc import Vpc, VpcArgs
    from eks_platform.nodes.fargate import FargateProfiles, FargateProfilesArgs
    from eks_platform.nodes.maxpods import MaxPodsOptions, max_pods, nodegroup_max_pods
    from eks_platform.nodes.nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
    from eks_platform.platform import EksPlatform, EksPlatformArgs
    from eks_platform.stack import (
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
