"""eks-platform: Amazon EKS cluster, node groups and add-ons as Pulumi components.

    from eks_platform import EksCluster, EksClusterArgs, ManagedNodeGroup, EksPlatform

Components are exported lazily (PEP 562) so that `python -m eks_platform max-pods` and the pure
modules never import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "EksCluster": ".cluster", "EksClusterArgs": ".cluster",
    "ManagedNodeGroup": ".nodegroup", "ManagedNodeGroupArgs": ".nodegroup",
    "EksAddon": ".addons", "EksAddonArgs": ".addons",
    "ServiceAccountRole": ".addons", "ServiceAccountRoleArgs": ".addons",
    "SelfManagedVpcCni": ".vpc_cni_helm", "SelfManagedVpcCniArgs": ".vpc_cni_helm",
    "FargateProfiles": ".fargate", "FargateProfilesArgs": ".fargate",
    "Vpc": ".network", "VpcArgs": ".network",
    "EksPlatform": ".platform", "EksPlatformArgs": ".platform",
    "PlatformSettings": ".settings", "NodeGroupSettings": ".settings",
    "AddonSettings": ".settings", "SettingsError": ".settings",
    "CniSettings": ".cni", "MaxPodsOptions": ".maxpods",
    "max_pods": ".maxpods", "nodegroup_max_pods": ".maxpods",
}

__all__ = [
    "AddonSettings",
    "CniSettings",
    "EksAddon",
    "EksAddonArgs",
    "EksCluster",
    "EksClusterArgs",
    "EksPlatform",
    "EksPlatformArgs",
    "FargateProfiles",
    "FargateProfilesArgs",
    "ManagedNodeGroup",
    "ManagedNodeGroupArgs",
    "MaxPodsOptions",
    "NodeGroupSettings",
    "PlatformSettings",
    "SelfManagedVpcCni",
    "SelfManagedVpcCniArgs",
    "ServiceAccountRole",
    "ServiceAccountRoleArgs",
    "SettingsError",
    "Vpc",
    "VpcArgs",
    "max_pods",
    "nodegroup_max_pods",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eks_platform' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


if TYPE_CHECKING:
    from .addons import EksAddon, EksAddonArgs, ServiceAccountRole, ServiceAccountRoleArgs
    from .cluster import EksCluster, EksClusterArgs
    from .cni import CniSettings
    from .fargate import FargateProfiles, FargateProfilesArgs
    from .maxpods import MaxPodsOptions, max_pods, nodegroup_max_pods
    from .network import Vpc, VpcArgs
    from .nodegroup import ManagedNodeGroup, ManagedNodeGroupArgs
    from .platform import EksPlatform, EksPlatformArgs
    from .settings import AddonSettings, NodeGroupSettings, PlatformSettings, SettingsError
    from .vpc_cni_helm import SelfManagedVpcCni, SelfManagedVpcCniArgs
