"""`VpcFlowLogs`: a VPC's flow logs in an encrypted CloudWatch Logs group with a retention.

The group is created here (so it is encrypted and expires, which a group that VPC Flow Logs
creates itself is not), with its own customer key whose policy lets CloudWatch Logs use it for
that group only; the role VPC Flow Logs assumes may write to that group only, and trusts flow
logs of this account and Region only (`iam.flow_logs_trust_policy`).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
from pydantic import Field

from eks_platform.cluster import iam, keys
from eks_platform.component import ComponentArgs, EksComponent, StringInput
from eks_platform.network.settings import FlowLogsSettings


def flow_log_group_name(cluster_name: str) -> str:
    """Where the flow logs of the cluster's VPC go."""
    return f"/aws/vpc/{cluster_name}/flow-logs"


class VpcFlowLogsArgs(ComponentArgs):
    """Flow logs of VPC `vpc_id` of cluster `cluster_name` (names the log group)."""

    vpc_id: StringInput
    """ID of the VPC whose traffic is logged."""
    cluster_name: str
    """The cluster's name; it names the log group `/aws/vpc/<cluster>/flow-logs` and
    the key's description."""
    region: str
    """Region of the VPC; picks the partition and the logs service principal of the key policy."""
    settings: FlowLogsSettings = FlowLogsSettings()
    """Traffic type and retention (the stack file's `vpc.flowLogs`)."""
    kms_key_admins: list[str] = Field(default_factory=list)
    """Administrators of the log group's key, besides the identity running `pulumi up`."""
    protect: bool = False
    """Pulumi `protect` on the log group and its key."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags on the log group, key and role."""


class VpcFlowLogs(EksComponent):
    """Flow logs of one VPC to CloudWatch Logs, encrypted with a customer key."""

    log_group: aws.cloudwatch.LogGroup
    """The encrypted log group the flow logs go to."""
    flow_log: aws.ec2.FlowLog
    """The `aws.ec2.FlowLog`."""

    def __init__(self, name: str, args: VpcFlowLogsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:network:VpcFlowLogs", name, opts)
        child = self.child_opts()
        protected = self.child_opts(protect=args.protect)
        tags = dict(args.tags)
        region = args.region
        group_name = flow_log_group_name(args.cluster_name)
        deployer = keys.deployer(self)

        key = keys.logs_key(
            f"{name}-logs", keys.KeyContext(deployer, region, args.kms_key_admins, tags, protected),
            log_group_name=group_name, description=f"VPC flow logs of {args.cluster_name}")
        self.log_group = aws.cloudwatch.LogGroup(
            name, name=group_name, retention_in_days=args.settings.retention_days,
            kms_key_id=key.arn, tags=tags, opts=protected,
            # CloudWatch Logs' own deletion protection, beside Pulumi's `protect`.
            deletion_protection_enabled=args.protect or None)
        role = aws.iam.Role(
            f"{name}-publish", description=f"VPC Flow Logs of {args.cluster_name} to CloudWatch",
            assume_role_policy=iam.flow_logs_trust_policy(deployer.account_id, region),
            tags=tags, opts=child)
        publish = aws.iam.RolePolicy(
            f"{name}-publish", role=role.name,
            policy=self.log_group.arn.apply(iam.flow_logs_publish_policy), opts=child)
        self.flow_log = aws.ec2.FlowLog(
            name, vpc_id=args.vpc_id, traffic_type=args.settings.traffic_type,
            log_destination_type="cloud-watch-logs", log_destination=self.log_group.arn,
            iam_role_arn=role.arn, tags=tags, opts=self.child_opts(depends_on=[publish]))
        self.register_outputs({"logGroupName": self.log_group.name})
