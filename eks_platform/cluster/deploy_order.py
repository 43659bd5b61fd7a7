"""What a cluster knows of the deploy order: its CNI, what nodes wait for, the compute that
add-ons running pods wait for. Components created with `cluster=` record themselves here and
read from it, so the order is derived, never wired by the caller."""

from __future__ import annotations

import pulumi

from eks_platform.addons.cni import CniSettings
from eks_platform.cluster.settings import ClusterSettings
from eks_platform.nodes.maxpods import MaxPodsOptions
from eks_platform.nodes.resolver import node_daemon_sets


class DeployOrder:
    """The order-keeping half of `EksCluster` (a mixin: the cluster supplies `cni` and the
    name and bootstrap flag used in messages)."""

    cni: CniSettings
    args: ClusterSettings

    def __init__(self, cluster_name: str, bootstraps_addons: bool) -> None:
        self._cluster_label = cluster_name
        self._bootstraps_addons = bootstraps_addons
        self._node_prerequisites: list[pulumi.Resource] = []
        self._compute: list[pulumi.Resource] = []
        self._cni: pulumi.Resource | None = None
        self._cni_version: str | None = None
        self._pod_identity_agent: pulumi.Resource | None = None

    def add_cni(self, cni: pulumi.Resource, cni_version: str | None) -> None:
        """Record the CNI (add-on or Helm release): nodes wait for it, and max pods is computed
        for its version (None: resolved by EKS at deploy, at least 1.18)."""
        if self._cni is not None:
            raise ValueError(
                f"cluster {self._cluster_label} already has a CNI: exactly one may be on")
        self._cni, self._cni_version = cni, cni_version
        self._node_prerequisites.append(cni)

    def add_pod_identity_agent(self, agent: pulumi.Resource) -> None:
        """Record the eks-pod-identity-agent add-on: a node prerequisite, and what every EKS
        Pod Identity role of this cluster needs (it hands pods their credentials)."""
        self._pod_identity_agent = agent
        self._node_prerequisites.append(agent)

    def pod_identity_agent(self, user: str) -> pulumi.Resource:
        """The pod identity agent `user` (a Pod Identity role's consumer) relies on, or a clear
        error: without the agent on the nodes, the pods get no credentials."""
        if self._pod_identity_agent is None:
            raise ValueError(
                f"{user} uses EKS Pod Identity: create the eks-pod-identity-agent add-on of "
                f"cluster {self._cluster_label} first "
                "(EksAddon, addon_name='eks-pod-identity-agent')")
        return self._pod_identity_agent

    def add_node_prerequisite(self, resource: pulumi.Resource) -> None:
        """Something nodes need before they can become Ready (kube-proxy, the pod identity
        agent): node groups created afterwards wait for it."""
        self._node_prerequisites.append(resource)

    def add_compute(self, resource: pulumi.Resource) -> None:
        """A node group or Fargate profiles: add-ons that run pods wait for them."""
        self._compute.append(resource)

    @property
    def node_prerequisites(self) -> list[pulumi.Resource]:
        """What a node group created now waits for. Without any CNI, EKS's own aws-node and
        kube-proxy must be there (`bootstrap_self_managed_addons`), or nodes never get Ready."""
        if self._cni is None and not self._bootstraps_addons:
            raise ValueError(
                f"cluster {self._cluster_label} has no CNI yet: create the vpc-cni add-on "
                "(EksAddon) "
                "or SelfManagedVpcCni before its node groups, or create the cluster with "
                "bootstrap_self_managed_addons=True")
        return list(self._node_prerequisites)

    def node_daemon_sets(self) -> tuple[str, ...]:
        """The DaemonSets on every node, as the stack file counts them: the cluster's declared
        add-ons, and the pod identity agent also when it was added without being declared."""
        return node_daemon_sets(
            pod_identity_agent=(self.args.pod_identity_agent_enabled
                                or self._pod_identity_agent is not None),
            ebs_csi_driver=self.args.addons.ebs_csi_driver.enabled)

    @property
    def compute(self) -> list[pulumi.Resource]:
        """Node groups and Fargate profiles created so far."""
        return list(self._compute)

    def max_pods_options(self) -> MaxPodsOptions:
        """Max-pods inputs of every node group of this cluster: from the CNI declaration and
        the CNI's version."""
        return self.cni.max_pods_options(self._cni_version)
