"""The control plane's share of Auto Mode, control-plane tiers and hybrid nodes: the cluster
role's extra trust and policies, the `aws.eks.Cluster` inputs, the built-in pools' node role,
and the hybrid nodes role with its `HYBRID_LINUX` access entry and security group rules.

Rules and sources: `auto_mode_rules.py` (IAM, switches), `tiers.py`, `hybrid_rules.py`;
input shapes: `facts/eks_api.PULUMI_INPUTS` (pulumi_aws 7.51.1), checked in the tests.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from eks_platform.addons.registry import partition_of
from eks_platform.cluster import iam
from eks_platform.cluster.auto_mode import node_role_name
from eks_platform.cluster.auto_mode_rules import (
    AUTO_MODE_CLUSTER_POLICIES,
    AUTO_MODE_NODE_POLICIES,
)
from eks_platform.cluster.hybrid_rules import (
    HYBRID_ACCESS_ENTRY_TYPE,
    HYBRID_CREDENTIALS,
    HYBRID_ROLE_ACTIONS,
    HYBRID_ROLE_POLICIES,
)
from eks_platform.cluster.settings import ClusterSettings

if TYPE_CHECKING:
    from eks_platform.component import EksComponent


def cluster_role_policies(settings: ClusterSettings) -> tuple[str, ...]:
    """AmazonEKSClusterPolicy, and with Auto Mode the four capability policies beside it."""
    if settings.auto_mode_on:
        return tuple(p.name for p in AUTO_MODE_CLUSTER_POLICIES)
    return iam.CLUSTER_POLICIES


def cluster_role_tag_session(settings: ClusterSettings) -> bool:
    """Auto Mode's cluster role trusts sts:TagSession too (auto-enable-existing.adoc)."""
    return settings.auto_mode_on


def auto_mode_node_role(owner: EksComponent, prefix: str, settings: ClusterSettings,
                        cluster_name: str, tags: dict[str, str]) -> aws.iam.Role | None:
    """The built-in pools' node role (AmazonEKSWorkerNodeMinimalPolicy and
    AmazonEC2ContainerRegistryPullOnly), with a fixed name; None without built-in pools."""
    auto = settings.auto_mode
    if auto is None or not auto.enabled or not auto.built_in_node_pools:
        return None
    child = owner.child_opts()
    role = aws.iam.Role(f"{prefix}-builtin-node", name=node_role_name(cluster_name),
                        assume_role_policy=iam.service_trust_policy("ec2.amazonaws.com"),
                        tags=tags, opts=child)
    for policy in AUTO_MODE_NODE_POLICIES:
        aws.iam.RolePolicyAttachment(
            f"{prefix}-builtin-node-{policy.name}", role=role.name,
            policy_arn=iam.policy_arn(policy.name, settings.region), opts=child)
    return role


def cluster_inputs(settings: ClusterSettings,
                   node_role: aws.iam.Role | None) -> dict[str, Any]:
    """`aws.eks.Cluster` keyword arguments for Auto Mode, the tier and hybrid nodes; nothing
    for what the settings leave out, so a cluster without them sees no change."""
    inputs: dict[str, Any] = {}
    auto = settings.auto_mode
    if auto is not None and (auto.enabled or auto.turning_off):
        on = auto.enabled
        inputs["compute_config"] = aws.eks.ClusterComputeConfigArgs(
            enabled=on, node_pools=list(auto.built_in_node_pools) if on else [],
            node_role_arn=node_role.arn if node_role is not None else None)
        inputs["storage_config"] = aws.eks.ClusterStorageConfigArgs(
            block_storage=aws.eks.ClusterStorageConfigBlockStorageArgs(enabled=on))
        inputs["elastic_load_balancing"] = \
            aws.eks.ClusterKubernetesNetworkConfigElasticLoadBalancingArgs(enabled=on)
    if settings.control_plane_tier is not None:
        inputs["control_plane_scaling_config"] = aws.eks.ClusterControlPlaneScalingConfigArgs(
            tier=settings.control_plane_tier)
    hybrid = settings.hybrid_nodes
    if hybrid is not None:
        pods = (aws.eks.ClusterRemoteNetworkConfigRemotePodNetworksArgs(
            cidrs=list(hybrid.remote_pod_networks)) if hybrid.remote_pod_networks else None)
        inputs["remote_network_config"] = aws.eks.ClusterRemoteNetworkConfigArgs(
            remote_node_networks=aws.eks.ClusterRemoteNetworkConfigRemoteNodeNetworksArgs(
                cidrs=list(hybrid.remote_node_networks)),
            remote_pod_networks=pods)
    return inputs


def _hybrid_inline_policy(cluster_arn: str, region: str) -> str:
    """eks:DescribeCluster on this cluster, and the SSM actions of hybrid activations."""
    account = iam.account_of(cluster_arn)
    partition = partition_of(region)
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(HYBRID_ROLE_ACTIONS), "Resource": cluster_arn},
        {"Effect": "Allow", "Action": "ssm:DescribeInstanceInformation", "Resource": "*"},
        {"Effect": "Allow", "Action": "ssm:DeregisterManagedInstance",
         "Resource": f"arn:{partition}:ssm:{region}:{account}:managed-instance/*"},
    ]}, sort_keys=True)


def _ssm_trust(cluster_arn: str, region: str) -> str:
    account = iam.account_of(cluster_arn)
    return iam.service_trust_policy("ssm.amazonaws.com", condition={
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:{partition_of(region)}:ssm:{region}:{account}:*"}})


def hybrid_nodes(owner: EksComponent, prefix: str, settings: ClusterSettings,
                 cluster: aws.eks.Cluster, security_group_id: pulumi.Output[str],
                 tags: dict[str, str]) -> aws.iam.Role | None:
    """The hybrid nodes role (SSM hybrid activations: hybrid-nodes-creds), its HYBRID_LINUX
    access entry (no access policy: hybrid-nodes-cluster-prep), and on the cluster security
    group 443 from the remote node and pod networks (hybrid-nodes-networking, "Cluster
    security group configuration")."""
    hybrid = settings.hybrid_nodes
    if hybrid is None:
        return None
    child = owner.child_opts()
    region = settings.region
    ssm = HYBRID_CREDENTIALS["ssm"]
    role = aws.iam.Role(
        f"{prefix}-hybrid-nodes", description="EKS Hybrid Nodes (SSM hybrid activations)",
        assume_role_policy=cluster.arn.apply(lambda arn: _ssm_trust(arn, region)),
        tags=tags, opts=child)
    for policy in (*HYBRID_ROLE_POLICIES, *ssm.managed_policies):
        aws.iam.RolePolicyAttachment(f"{prefix}-hybrid-nodes-{policy.name}", role=role.name,
                                     policy_arn=iam.policy_arn(policy.name, region), opts=child)
    aws.iam.RolePolicy(f"{prefix}-hybrid-nodes", role=role.id,
                       policy=cluster.arn.apply(lambda arn: _hybrid_inline_policy(arn, region)),
                       opts=child)
    aws.eks.AccessEntry(f"{prefix}-hybrid-nodes", cluster_name=cluster.name,
                        principal_arn=role.arn, type=HYBRID_ACCESS_ENTRY_TYPE, tags=tags,
                        opts=child)
    networks = [("node", c) for c in hybrid.remote_node_networks]
    networks += [("pod", c) for c in hybrid.remote_pod_networks]
    for index, (kind, cidr) in enumerate(networks):
        aws.vpc.SecurityGroupIngressRule(
            f"{prefix}-hybrid-{kind}-api-{index}", security_group_id=security_group_id,
            description=f"Kubernetes API from remote {kind} network {cidr} (hybrid nodes)",
            ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4=cidr, tags=tags,
            opts=child)
    # Outbound (10250 to the kubelets, webhooks on the pod networks): the EKS-created cluster
    # security group allows all egress already (EKS user guide, sec-group-reqs), so no rule.
    return role
