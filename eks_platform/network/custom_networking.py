"""`EniConfigs`: the ENIConfig of every zone, so that custom networking gives pods addresses.

With `cni.customNetworking` the VPC CNI takes pod addresses from the subnet of the ENIConfig
named after the node's zone (`ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone`, set by
`cni.py` in both CNI modes); a node whose zone has none gets no pod addresses at all. So:

* the ENIConfigs wait for the CNI, which installs their CRD (add-on or chart);
* node groups wait for the ENIConfigs: the component registers itself as a node
  prerequisite of the cluster, and node groups created afterwards depend on it.

The documents themselves are built by the pure `eniconfig.eniconfig`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s
from pydantic import field_validator

from eks_platform.cluster.component import EksCluster
from eks_platform.component import ComponentArgs, EksComponent
from eks_platform.network.eniconfig import eniconfig

if TYPE_CHECKING:
    PodSubnetList = Sequence[tuple[pulumi.Input[str], pulumi.Input[str]]]
    """(zone name, pod subnet ID) pairs; either may be an Output (zones of a created VPC)."""
else:
    PodSubnetList = Any


class EniConfigsArgs(ComponentArgs):
    """ENIConfigs of `cluster`, whose CNI declaration has `customNetworking: true`."""

    cluster: EksCluster
    """The cluster whose CNI declaration has `customNetworking: true`; its Kubernetes provider
    applies the ENIConfigs and its node groups wait for them."""
    pod_subnets: PodSubnetList
    """(zone, subnet ID) pairs, or a mapping zone -> subnet ID: one pod subnet per zone."""
    security_group_ids: list[Any] | None = None
    """Security group IDs (strings or Outputs) of the pods' ENIs; None: the cluster
    security group, which managed nodes' own ENIs carry too."""

    @field_validator("cluster")
    @classmethod
    def _custom_networking(cls, cluster: EksCluster) -> EksCluster:
        if not cluster.cni.custom_networking:
            raise ValueError("ENIConfigs need cni.customNetworking: true (otherwise the CNI "
                             "ignores them and gives pods addresses from the node's subnet)")
        return cluster

    @field_validator("pod_subnets")
    @classmethod
    def _pairs(cls, pod_subnets: Any) -> list[tuple[Any, Any]]:
        pairs = list(pod_subnets.items() if isinstance(pod_subnets, Mapping) else pod_subnets)
        if not pairs:
            raise ValueError("name at least one (zone, pod subnet ID) pair")
        if any(not isinstance(p, tuple | list) or len(p) != 2 for p in pairs):
            raise ValueError("each pod subnet is a (zone, subnet ID) pair")
        zones = [zone for zone, _ in pairs if isinstance(zone, str)]
        if len(set(zones)) != len(zones):
            raise ValueError(f"zones repeat: {', '.join(zones)}; one pod subnet per zone")
        return [(zone, subnet) for zone, subnet in pairs]


class EniConfigs(EksComponent):
    """One `ENIConfig` (crd.k8s.amazonaws.com/v1alpha1) per zone, named after the zone."""

    eniconfigs: list[k8s.apiextensions.CustomResource]
    """The ENIConfig objects, in the order of `pod_subnets`."""

    def __init__(self, name: str, args: EniConfigsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:custom_networking:EniConfigs", name, opts)
        cluster = args.cluster
        groups = ([cluster.cluster_security_group_id] if args.security_group_ids is None
                  else list(args.security_group_ids))
        waits = cluster.node_prerequisites  # the CNI (or EKS's own aws-node) brings the CRD
        self.eniconfigs = []
        pairs: list[tuple[Any, Any]] = list(args.pod_subnets)
        for index, (zone, subnet_id) in enumerate(pairs):
            document = eniconfig(zone, subnet_id, groups)
            self.eniconfigs.append(k8s.apiextensions.CustomResource(
                f"{name}-{zone}" if isinstance(zone, str) else f"{name}-{index}",
                api_version=document["apiVersion"], kind=document["kind"],
                metadata=k8s.meta.v1.ObjectMetaArgs(name=document["metadata"]["name"]),
                spec=document["spec"],
                opts=self.child_opts(provider=cluster.provider, depends_on=waits,
                                     aliases=[pulumi.Alias(name=f"{name}-{index}")]
                                     if isinstance(zone, str) else None)))
        cluster.add_node_prerequisite(self)
        self.register_outputs({"zones": [zone for zone, _ in args.pod_subnets]})
