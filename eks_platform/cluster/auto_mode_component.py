"""`AutoModeNodePools`: custom NodePools on EKS Auto Mode, on a NodeClass the package makes.

    node role (WorkerNodeMinimal, PullOnly) ─> EC2 access entry + AmazonEKSAutoNodePolicy
    cluster (Auto Mode on) ─────────────────┴─> NodeClass (eks.amazonaws.com/v1) ─> NodePools

The pools have the shape of `karpenter.nodePools` and reuse its NodePool manifest; only the
node class reference differs (`eks.amazonaws.com/NodeClass`). Pods per node are Auto Mode's
own (110 cap after the calculation, `auto_mode.pool_pods`): a NodeClass has no kubelet maxPods.
Sources: EKS user guide automode/create-node-class.adoc, automode/create-node-pool.adoc.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pydantic import Field, field_validator, model_validator

from eks_platform.addons.registry import partition_of
from eks_platform.cluster import iam
from eks_platform.cluster.auto_mode import (
    NODE_CLASS_NAME,
    AutoPoolPods,
    check_auto_mode_pools,
    pool_pods,
)
from eks_platform.cluster.auto_mode_nodeclass import (
    AUTO_MODE_EXPIRE_AFTER_HOURS,
    NODE_CLASS_API_VERSION,
    NODE_CLASS_KIND,
    NODE_CLASS_REF_GROUP,
    NODE_CLASS_REF_KIND,
    NODE_CLASS_RESTRICTED_TAGS,
    NODE_POOL_API_VERSION,
    NODE_POOL_KIND,
)
from eks_platform.cluster.auto_mode_rules import (
    AUTO_MODE_NODE_POLICIES,
    AUTO_NODE_ACCESS_ENTRY_TYPE,
    AUTO_NODE_ACCESS_POLICY,
    AUTO_NODE_ACCESS_SCOPE,
)
from eks_platform.cluster.component import EksCluster
from eks_platform.component import ComponentArgs, EksComponent, StringList
from eks_platform.karpenter.nodepools import PlannedPool, nodepool_manifest, share_limits
from eks_platform.karpenter.settings import NodePoolSettings
from eks_platform.model import SettingsModel


class AutoModePoolsSpec(SettingsModel):
    """What `AutoModeNodePools` makes: the pools (`autoMode.nodePools` of a stack file)."""

    node_pools: list[NodePoolSettings] = Field(min_length=1)
    """Custom NodePools, shaped like `karpenter.nodePools`; at least one (otherwise the
    built-in pools alone need no NodeClass of the package's)."""

    @model_validator(mode="after")
    def _pools_fit_auto_mode(self) -> AutoModePoolsSpec:
        check_auto_mode_pools(self.node_pools)
        return self


class AutoModeNodePoolsArgs(AutoModePoolsSpec, ComponentArgs):
    """Custom Auto Mode NodePools of `cluster`, shaped like `karpenter.nodePools`."""

    cluster: EksCluster
    """A cluster with Auto Mode on (gives the name, subnets, security group, provider)."""
    subnet_ids: StringList | None = None
    """The NodeClass's subnets (e.g. `Vpc.egress_subnet_ids`, which wait for NAT); None: the
    cluster's subnets."""

    @field_validator("cluster")
    @classmethod
    def _auto_mode_on(cls, cluster: EksCluster) -> EksCluster:
        if not cluster.args.auto_mode_on:
            raise ValueError(f"cluster {cluster.args.name} does not have autoMode.enabled: "
                             "Auto Mode NodePools need it")
        return cluster


def node_class_spec(role_name: str, subnet_ids: list[str], security_group_id: str,
                    disk_gib: int, tags: dict[str, str]) -> dict[str, Any]:
    """The NodeClass spec: its role, the cluster's subnets and security group by ID, and an
    ephemeral volume of the largest pool's size. Auto Mode encrypts it with the account's
    EBS key; a customer key needs the key policy of automode/auto-kms.adoc (not made here)."""
    storage: dict[str, Any] = {"size": f"{disk_gib}Gi"}
    return {"role": role_name,
            "subnetSelectorTerms": [{"id": subnet} for subnet in subnet_ids],
            "securityGroupSelectorTerms": [{"id": security_group_id}],
            "ephemeralStorage": storage,
            "tags": allowed_tags(tags)}


def allowed_tags(tags: dict[str, str]) -> dict[str, str]:
    """The stack's tags without those a NodeClass may not set (create-node-class.adoc)."""
    def restricted(key: str) -> bool:
        return any(key.startswith(r.rstrip("*")) if r.endswith("*") else key == r
                   for r in NODE_CLASS_RESTRICTED_TAGS)
    return {k: v for k, v in tags.items() if not restricted(k)}


def auto_nodepool_manifest(pool: NodePoolSettings, class_name: str) -> dict[str, Any]:
    """Karpenter's NodePool for `pool`, pointed at the Auto Mode NodeClass; Auto Mode's
    336 h expiry unless the pool sets its own (create-node-pool.adoc)."""
    planned = PlannedPool(pool.name, pool, 0, tuple(pool.allowed_types),
                          share_limits(pool.limits, 1, pool.name)[0])
    manifest = nodepool_manifest(planned)
    template = manifest["spec"]["template"]["spec"]
    template["nodeClassRef"] = {"group": NODE_CLASS_REF_GROUP, "kind": NODE_CLASS_REF_KIND,
                                "name": class_name}
    if "expire_after" not in pool.model_fields_set:
        template["expireAfter"] = f"{AUTO_MODE_EXPIRE_AFTER_HOURS}h"
    return manifest


class AutoModeNodePools(EksComponent):
    """A NodeClass with its own node role and access entry, and one NodePool per pool."""

    node_role: aws.iam.Role
    """The NodeClass's node role."""
    access_entry: aws.eks.AccessEntry
    """`EC2` access entry of the node role (create-node-class.adoc)."""
    node_class: k8s.apiextensions.CustomResource
    """The `eks.amazonaws.com/v1` NodeClass."""
    node_pools: dict[str, k8s.apiextensions.CustomResource]
    """NodePools by name."""
    pods: dict[str, AutoPoolPods]
    """Pods per node of each pool, per Auto Mode's rule."""

    def __init__(self, name: str, args: AutoModeNodePoolsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:cluster:AutoModeNodePools", name, opts)
        cluster = args.cluster
        tags = dict(cluster.args.tags)
        child = self.child_opts()
        self.node_role = aws.iam.Role(
            f"{name}-node", assume_role_policy=iam.service_trust_policy("ec2.amazonaws.com"),
            description=f"EKS Auto Mode NodeClass of {cluster.args.name}", tags=tags, opts=child)
        waits: list[pulumi.Resource] = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy.name}", role=self.node_role.name,
                policy_arn=iam.policy_arn(policy.name, cluster.region), opts=child)
            for policy in AUTO_MODE_NODE_POLICIES]
        self.access_entry = aws.eks.AccessEntry(
            f"{name}-node", cluster_name=cluster.cluster_name,
            principal_arn=self.node_role.arn, type=AUTO_NODE_ACCESS_ENTRY_TYPE, tags=tags,
            opts=child)
        partition = partition_of(cluster.region)
        waits.append(aws.eks.AccessPolicyAssociation(
            f"{name}-node", cluster_name=cluster.cluster_name,
            principal_arn=self.node_role.arn,
            policy_arn=f"arn:{partition}:eks::aws:cluster-access-policy/"
                       f"{AUTO_NODE_ACCESS_POLICY}",
            access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(
                type=AUTO_NODE_ACCESS_SCOPE),
            opts=self.child_opts(depends_on=[self.access_entry])))
        class_name = NODE_CLASS_NAME
        disk = max(pool.disk_size_gib for pool in args.node_pools)
        spec = pulumi.Output.all(
            self.node_role.name,
            cluster.subnet_ids if args.subnet_ids is None else args.subnet_ids,
            cluster.cluster_security_group_id).apply(
            lambda a: node_class_spec(a[0], list(a[1]), a[2], disk, tags))
        self.node_class = k8s.apiextensions.CustomResource(
            f"{name}-class", api_version=NODE_CLASS_API_VERSION, kind=NODE_CLASS_KIND,
            metadata=k8s.meta.v1.ObjectMetaArgs(name=class_name), spec=spec,
            opts=self.child_opts(provider=cluster.provider,
                                 depends_on=[self.access_entry, *waits]))
        self.node_pools, self.pods = {}, {}
        for pool in args.node_pools:
            self.pods[pool.name] = pool_pods(pool)
            self.node_pools[pool.name] = k8s.apiextensions.CustomResource(
                f"{name}-{pool.name}", api_version=NODE_POOL_API_VERSION, kind=NODE_POOL_KIND,
                metadata=k8s.meta.v1.ObjectMetaArgs(name=pool.name),
                spec=auto_nodepool_manifest(pool, class_name)["spec"],
                opts=self.child_opts(provider=cluster.provider, depends_on=[self.node_class]))
        self.register_outputs({"nodeRoleName": self.node_role.name})
