"""`ManagedNodeGroup`: node role, launch template carrying the kubelet's settings, node group.

What a group's nodes boot with comes from the one node-group resolver (`nodes.resolver`):
the AMI type and its fit, max pods for the cluster's CNI declaration, the sizes beside the
cluster's DaemonSets, and the vCPUs the AL2023 kube-reserved drop-in restates. Types in the
generated table are resolved now (the Args already rejected what does not fit); with
`liveInstanceTypeLookup`, types the table lacks are resolved from `aws.ec2.get_instance_type`
at deploy time by the same function, so a misfit fails the deployment with the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
from pydantic import model_validator

from eks_platform.cluster import iam
from eks_platform.cluster.component import EksCluster
from eks_platform.component import ComponentArgs, EksComponent, StringList
from eks_platform.errors import GroupedFieldError
from eks_platform.nodes import maxpods
from eks_platform.nodes.live_group import live_node_group
from eks_platform.nodes.maxpods.live import live_limits
from eks_platform.nodes.resolver import (
    ResolvedGroup,
    deploy_desired_size,
    instance_types_input,
    resolve_group,
)
from eks_platform.nodes.volumes import node_volumes
from eks_platform.stack import NodeGroupSettings

#: The AMI type of a group whose types EC2 describes at deploy: its family (and so its
#: volumes) is AL2023's, whatever architecture and accelerator EC2 reports.
DERIVED_FAMILY_AMI_TYPE = "AL2023_x86_64_STANDARD"


class ManagedNodeGroupArgs(NodeGroupSettings, ComponentArgs):
    """A node group of `cluster`: the stack file's node group settings (same rules, same
    messages) plus what may differ from the cluster's defaults."""

    cluster: EksCluster
    """Gives the cluster name, region, CNI declaration (max pods) and what nodes wait for."""
    subnet_ids: StringList | None = None
    """None: the cluster's subnets."""

    @model_validator(mode="after")
    def _resolves(self) -> ManagedNodeGroupArgs:
        """The stack file's checks (`nodes.resolver`), with this cluster's CNI declaration
        and DaemonSets, for types the table knows."""
        if self.known_limits is not None:
            resolve_group(self, self.known_limits, self.cluster.max_pods_options(),
                          self.daemon_set_pods_for(self.cluster))
        return self

    def daemon_set_pods_for(self, cluster: EksCluster) -> int:
        """DaemonSet pods per node on `cluster` (`NodeGroupSettings.daemon_set_pods`)."""
        return self.daemon_set_pods(cluster.node_daemon_sets())


def resolve_at_deploy(spec: NodeGroupSettings, types: Sequence[maxpods.InstanceLimits],
                      options: maxpods.MaxPodsOptions, daemon_set_pods: int) -> ResolvedGroup:
    """`resolve_group` on EC2's answer, misfits raised as a one-message `pulumi.RunError`."""
    try:
        return resolve_group(spec, types, options, daemon_set_pods)
    except GroupedFieldError as errors:
        lines = []
        for error in errors.errors:
            shown = error.value if isinstance(error.value, str | int) else ", ".join(error.value)
            lines.append(f"{error} ({'.'.join(str(k) for k in error.key)} = {shown}; instance "
                         "data from EC2 at deploy, liveInstanceTypeLookup)")
        raise pulumi.RunError("; ".join(lines)) from None


def group_resolution(spec: NodeGroupSettings, options: maxpods.MaxPodsOptions,
                     daemon_set_pods: int, parent: pulumi.Resource | None = None
                     ) -> pulumi.Output[ResolvedGroup]:
    """From the table now, or, for types it lacks, from EC2 at deploy time (asked through
    `parent`'s AWS provider)."""
    known = spec.known_limits
    if known is not None:
        return pulumi.Output.from_input(resolve_group(spec, known, options, daemon_set_pods))
    opts = pulumi.InvokeOptions(parent=parent)
    answers: list[Any] = [maxpods.lookup(t) if maxpods.is_known(t) else live_limits(t, opts)
                          for t in spec.instance_types]
    return pulumi.Output.all(*answers).apply(
        lambda types: resolve_at_deploy(spec, types, options, daemon_set_pods))


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
    ami_type: pulumi.Output[str]
    """The AMI type: given, or derived from the instance types."""
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
        daemon_set_pods = args.daemon_set_pods_for(cluster)

        self.role = aws.iam.Role(f"{name}-node", assume_role_policy=iam.service_trust_policy(
            iam.ec2_service(cluster.region)), tags=tags, opts=child)
        policies = iam.node_policies(ssm=spec.ssm, cni=cluster.cni.iam == "nodeRole")
        attachments = [
            aws.iam.RolePolicyAttachment(f"{name}-{iam.policy_label(policy)}", role=self.role.name,
                                         policy_arn=iam.policy_arn(policy, cluster.region),
                                         opts=child)
            for policy in policies
        ]

        resolved = group_resolution(spec, cluster.max_pods_options(), daemon_set_pods, self)
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"{spec.name}: kubelet max pods, IMDSv2, encrypted gp3",
            user_data=resolved.apply(lambda r: r.user_data()),
            update_default_version=True,
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required",
                http_put_response_hop_limit=spec.imds_hop_limit),
            block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name=volume.device_name,
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_size=volume.size_gib, volume_type="gp3", encrypted="true",
                    kms_key_id=cluster.node_volume_key_arn(), delete_on_termination="true"))
                for volume in node_volumes(spec.ami_type or DERIVED_FAMILY_AMI_TYPE,
                                           spec.disk_size_gib)],
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags)
                for kind in ("instance", "volume", "network-interface")
            ],
            tags=tags,
            opts=child,
        )

        # The running group (at preview; none offline): its types' order and desired size.
        live = live_node_group(cluster.args.name, spec.name, pulumi.InvokeOptions(parent=self))
        live_desired = None if live is None else live.desired_size
        desired = resolved.apply(
            lambda r: deploy_desired_size(r.size, spec.scaled_by, live_desired)[0])
        leave_desired = spec.scaled_by != "stack" and (
            live_desired is None or spec.min_size <= live_desired <= spec.max_size)
        self.node_group = aws.eks.NodeGroup(
            f"{name}-ng",
            cluster_name=cluster.cluster_name,
            node_group_name_prefix=f"{spec.name}-",
            node_role_arn=self.role.arn,
            subnet_ids=cluster.subnet_ids if args.subnet_ids is None else args.subnet_ids,
            instance_types=instance_types_input(
                spec.capacity_type, spec.instance_types,
                None if live is None else live.instance_types),
            ami_type=resolved.apply(lambda r: r.ami_type),
            capacity_type=spec.capacity_type,
            labels=dict(spec.labels),
            taints=[aws.eks.NodeGroupTaintArgs(key=t.key, value=t.value, effect=t.effect)
                    for t in spec.taints],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=spec.min_size,
                desired_size=desired,
                max_size=spec.max_size),
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
                # Left alone only when a cluster autoscaler owns it and it is in range
                # (`scaledBy`, `resolver.deploy_desired_size`).
                ignore_changes=["scalingConfig.desiredSize"] if leave_desired else None),
        )
        self.max_pods = resolved.apply(lambda r: r.max_pods)
        self.ami_type = resolved.apply(lambda r: r.ami_type)
        self.desired_size = desired
        cluster.add_compute(self)
        self.register_outputs({"maxPods": self.max_pods, "nodeGroupName":
                               self.node_group.node_group_name})
