"""`ManagedNodeGroup`: node role, launch template carrying the kubelet's max pods, node group.

Max pods comes from the max-pods helper for the group's instance types and the stack's CNI
settings (the minimum across types); the launch template renders it for the AMI family.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from . import iam, maxpods
from .cluster import EksCluster
from .component import ComponentArgs, EksComponent, StringList
from .maxpods.live import live_max_pods
from .node_volumes import node_volumes
from .settings import NodeGroupSettings
from .userdata import KubeletSettings, encode, render_user_data


class ManagedNodeGroupArgs(NodeGroupSettings, ComponentArgs):
    """A node group of `cluster`: the stack file's node group settings (same rules, same
    messages) plus what may differ from the cluster's defaults."""

    cluster: EksCluster
    """Gives the cluster name, region, CNI declaration (max pods) and what nodes wait for."""
    subnet_ids: StringList | None = None
    """None: the cluster's subnets."""


def group_max_pods(spec: NodeGroupSettings, options: maxpods.MaxPodsOptions) -> pulumi.Input[int]:
    """The minimum over the group's types: from the table, or, for types it lacks, from EC2
    at deploy time."""
    if all(maxpods.is_known(t) for t in spec.instance_types):
        return maxpods.nodegroup_max_pods(spec.instance_types, options)
    answers = [
        maxpods.max_pods(t, options) if maxpods.is_known(t) else live_max_pods(t, options)
        for t in spec.instance_types
    ]
    return pulumi.Output.all(*answers).apply(min)


def group_size(spec: NodeGroupSettings, max_pods: int, daemon_set_pods: int) -> maxpods.GroupSize:
    """Explicit sizes, or the desired size that holds `targetPods`."""
    if spec.target_pods is not None:
        return maxpods.size_for_pods(spec.target_pods, max_pods, daemon_set_pods,
                                     spec.min_size, spec.max_size)
    desired = spec.min_size if spec.desired_size is None else spec.desired_size
    return maxpods.GroupSize(spec.min_size, desired, spec.max_size)


class ManagedNodeGroup(EksComponent):
    """An EKS managed node group whose kubelet max pods matches the VPC CNI's addresses."""

    args: ManagedNodeGroupArgs
    """What the group was created from (labels and taints tell others how to run on it)."""
    node_group: aws.eks.NodeGroup
    """The `aws.eks.NodeGroup` resource."""
    role: aws.iam.Role
    """The node IAM role."""
    launch_template: aws.ec2.LaunchTemplate
    max_pods: pulumi.Output[int]
    """Max pods per node (minimum over the instance types)."""
    desired_size: pulumi.Output[int]

    def __init__(self, name: str, args: ManagedNodeGroupArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:nodegroup:ManagedNodeGroup", name, opts)
        self.args = args
        cluster = args.cluster
        prerequisites = cluster.node_prerequisites
        child = self.child_opts()
        spec = args
        tags = {**cluster.args.tags, "eks-platform/node-group": spec.name}
        daemon_set_pods = spec.daemon_set_pods_per_node
        if daemon_set_pods is None:
            # Every node prerequisite is a DaemonSet (aws-node, kube-proxy, pod identity agent).
            daemon_set_pods = max(2, len(prerequisites))

        self.role = aws.iam.Role(f"{name}-node", assume_role_policy=iam.service_trust_policy(
            "ec2.amazonaws.com"), tags=tags, opts=child)
        policies = iam.node_policies(ssm=spec.ssm, cni=cluster.cni.iam == "nodeRole")
        attachments = [
            aws.iam.RolePolicyAttachment(f"{name}-{iam.policy_label(policy)}", role=self.role.name,
                                         policy_arn=iam.policy_arn(policy, cluster.region),
                                         opts=child)
            for policy in policies
        ]

        max_pods = pulumi.Output.from_input(group_max_pods(spec, cluster.max_pods_options()))
        user_data = max_pods.apply(
            lambda n: encode(render_user_data(spec.ami_type, KubeletSettings(max_pods=n))))
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"{spec.name}: kubelet max pods, IMDSv2, encrypted gp3",
            user_data=user_data,
            update_default_version=True,
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required",
                http_put_response_hop_limit=spec.imds_hop_limit),
            block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name=volume.device_name,
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_size=volume.size_gib, volume_type="gp3", encrypted="true",
                    kms_key_id=cluster.node_volume_key_arn, delete_on_termination="true"))
                for volume in node_volumes(spec.ami_type, spec.disk_size_gib)],
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags)
                for kind in ("instance", "volume", "network-interface")
            ],
            tags=tags,
            opts=child,
        )

        sizes = max_pods.apply(
            lambda n: group_size(spec, n, daemon_set_pods))
        self.node_group = aws.eks.NodeGroup(
            f"{name}-ng",
            cluster_name=cluster.cluster_name,
            node_group_name_prefix=f"{spec.name}-",
            node_role_arn=self.role.arn,
            subnet_ids=cluster.subnet_ids if args.subnet_ids is None else args.subnet_ids,
            instance_types=list(spec.instance_types),
            ami_type=spec.ami_type,
            capacity_type=spec.capacity_type,
            labels=dict(spec.labels),
            taints=[aws.eks.NodeGroupTaintArgs(key=t.key, value=t.value, effect=t.effect)
                    for t in spec.taints],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=sizes.apply(lambda s: s.min_size),
                desired_size=sizes.apply(lambda s: s.desired_size),
                max_size=sizes.apply(lambda s: s.max_size)),
            # After the control plane: the group follows the version EKS reports for the
            # cluster, so it rolls only once the cluster's upgrade has finished.
            version=cluster.version,
            update_config=aws.eks.NodeGroupUpdateConfigArgs(
                max_unavailable=spec.max_unavailable_count,
                max_unavailable_percentage=spec.max_unavailable_percentage,
                update_strategy=spec.update_strategy),
            node_repair_config=aws.eks.NodeGroupNodeRepairConfigArgs(enabled=spec.node_repair),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=self.launch_template.id,
                version=self.launch_template.latest_version.apply(str)),
            tags=tags,
            opts=self.child_opts(
                depends_on=[*attachments, *prerequisites],
                # The cluster autoscaler or Karpenter owns the desired size after creation.
                ignore_changes=["scalingConfig.desiredSize"]),
        )
        self.max_pods = max_pods
        self.desired_size = sizes.apply(lambda s: s.desired_size)
        cluster.add_compute(self)
        self.register_outputs({"maxPods": self.max_pods, "nodeGroupName":
                               self.node_group.node_group_name})
