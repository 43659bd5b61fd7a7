"""Karpenter, pure parts: settings, NodePools with calculator max pods, IAM, interruption
queue and chart values. Imports nothing from Pulumi; the component builds on these."""

from eks_platform.karpenter.nodepools import (
    DISCOVERY_TAG,
    MaxPodsClass,
    PlannedPool,
    ec2nodeclass_manifest,
    max_pods_classes,
    nodepool_manifest,
    plan_pools,
)
from eks_platform.karpenter.settings import (
    CHART,
    DEFAULT_CHART_VERSION,
    KarpenterSettings,
    NodePoolSettings,
)

__all__ = [
    "CHART",
    "DEFAULT_CHART_VERSION",
    "DISCOVERY_TAG",
    "KarpenterSettings",
    "MaxPodsClass",
    "NodePoolSettings",
    "PlannedPool",
    "ec2nodeclass_manifest",
    "max_pods_classes",
    "nodepool_manifest",
    "plan_pools",
]
