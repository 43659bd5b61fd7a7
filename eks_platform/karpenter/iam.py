"""IAM for Karpenter v1: the controller's policies and the node role's managed policies.

Facts from Karpenter's getting-started CloudFormation template for v1
(aws/karpenter-provider-aws, website/content/en/docs/getting-started/
getting-started-with-karpenter/cloudformation.yaml, chart 1.14.1): which actions, on which
resources, under which tag conditions. Writes that create or destroy EC2 and IAM resources are
scoped to the cluster by the `kubernetes.io/cluster/<name>: owned` tag (plus Karpenter's own
`karpenter.sh/nodepool` / `karpenter.k8s.aws/ec2nodeclass` tags), exactly where the docs scope
them; reads are limited to the region. Kept as six documents, like the docs, so each stays
under IAM's 6,144-character limit for a managed policy.
"""

from __future__ import annotations

import json
from typing import Any

from eks_platform.addons.registry import partition_of
from eks_platform.cluster.iam import node_policies
from eks_platform.cluster.kms_policy import GRANT_ACTIONS, USE_ACTIONS, via_service

#: Services a role may be passed to for instance profiles (the docs list both spellings).
EC2_SERVICES = ("ec2.amazonaws.com", "ec2.amazonaws.com.cn")
NODEPOOL_TAG = "karpenter.sh/nodepool"
NODECLASS_TAG = "karpenter.k8s.aws/ec2nodeclass"
REGION_TAG = "topology.kubernetes.io/region"
CLUSTER_NAME_TAG = "eks:eks-cluster-name"
#: What Karpenter may tag instances with after launch (docs: AllowScopedResourceTagging).
LATE_TAG_KEYS = ("eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name")


def node_role_policies(attach_cni_policy: bool, ssm: bool = False) -> tuple[str, ...]:
    """Managed policies of the node role: those of the managed groups' node roles (worker
    policies; Session Manager only when asked for, as for the groups; the CNI policy only when
    the VPC CNI runs with the node's role). The docs attach SSM and the CNI policy always."""
    return node_policies(ssm=ssm, cni=attach_cni_policy)


#: The controller's policy documents, named like the sections of Karpenter's docs.
CONTROLLER_POLICY_NAMES = ("node-lifecycle", "iam-integration", "eks-integration",
                           "interruption", "resource-discovery", "zonal-shift")


def controller_policies(
    *, cluster_name: str, region: str, account_id: str, node_role_arn: str, queue_arn: str
) -> dict[str, str]:
    """Policy name suffix -> JSON document, for the controller's Pod Identity role."""
    scope = _Scope(cluster_name, region, account_id)
    return {
        "node-lifecycle": _document(scope.node_lifecycle()),
        "iam-integration": _document(scope.iam_integration(node_role_arn)),
        "eks-integration": _document([scope.statement(
            "AllowAPIServerEndpointDiscovery", "eks:DescribeCluster", scope.cluster_arn)]),
        "interruption": _document([scope.statement(
            "AllowInterruptionQueueActions",
            ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], queue_arn)]),
        "resource-discovery": _document(scope.resource_discovery()),
        "zonal-shift": _document([scope.statement(
            "AllowZonalShiftStatusReadOnly", "arc-zonal-shift:GetManagedResource", "*",
            {"StringEquals": {"arc-zonal-shift:ResourceIdentifier": scope.cluster_arn}})]),
    }


def _document(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


class _Scope:
    """ARNs and tag conditions of one cluster in one region and account."""

    def __init__(self, cluster_name: str, region: str, account_id: str) -> None:
        self.cluster = cluster_name
        self.region = region
        self.account = account_id
        self.partition = partition_of(region)
        self.cluster_arn = f"arn:{self.partition}:eks:{region}:{account_id}:cluster/{cluster_name}"
        self.owned_key = f"kubernetes.io/cluster/{cluster_name}"

    def ec2(self, kind: str, account: str = "*") -> str:
        return f"arn:{self.partition}:ec2:{self.region}:{account}:{kind}/*"

    def instance_profiles(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:instance-profile/*"

    @staticmethod
    def statement(sid: str, actions: str | list[str], resources: str | list[str],
                  condition: dict[str, Any] | None = None) -> dict[str, Any]:
        statement: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Action": actions,
                                     "Resource": resources}
        if condition:
            statement["Condition"] = condition
        return statement

    def owned(self, context: str) -> dict[str, str]:
        """`aws:ResourceTag/...` (existing resources) or `aws:RequestTag/...` (new ones)."""
        return {f"aws:{context}/{self.owned_key}": "owned"}

    def requested_for_cluster(self) -> dict[str, str]:
        return {**self.owned("RequestTag"), f"aws:RequestTag/{CLUSTER_NAME_TAG}": self.cluster}

    def node_lifecycle(self) -> list[dict[str, Any]]:
        launched = [self.ec2(kind) for kind in ("fleet", "instance", "volume", "network-interface",
                                                "launch-template", "spot-instances-request")]
        nodepool_tagged = {"StringLike": {f"aws:ResourceTag/{NODEPOOL_TAG}": "*"}}
        nodepool_requested = {"StringLike": {f"aws:RequestTag/{NODEPOOL_TAG}": "*"}}
        return [
            self.statement(
                "AllowScopedEC2InstanceAccessActions", ["ec2:RunInstances", "ec2:CreateFleet"],
                [f"arn:{self.partition}:ec2:{self.region}::image/*",
                 f"arn:{self.partition}:ec2:{self.region}::snapshot/*",
                 *(self.ec2(kind) for kind in ("security-group", "subnet",
                                               "capacity-reservation", "placement-group"))]),
            self.statement(
                "AllowScopedEC2LaunchTemplateAccessActions",
                ["ec2:RunInstances", "ec2:CreateFleet"], self.ec2("launch-template"),
                {"StringEquals": self.owned("ResourceTag"), **nodepool_tagged}),
            self.statement(
                "AllowScopedEC2InstanceActionsWithTags",
                ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], launched,
                {"StringEquals": self.requested_for_cluster(), **nodepool_requested}),
            self.statement(
                "AllowScopedResourceCreationTagging", "ec2:CreateTags", launched,
                {"StringEquals": {**self.requested_for_cluster(), "ec2:CreateAction": [
                    "RunInstances", "CreateFleet", "CreateLaunchTemplate"]},
                 **nodepool_requested}),
            self.statement(
                "AllowScopedResourceTagging", "ec2:CreateTags", self.ec2("instance"),
                {"StringEquals": self.owned("ResourceTag"), **nodepool_tagged,
                 "StringEqualsIfExists": {f"aws:RequestTag/{CLUSTER_NAME_TAG}": self.cluster},
                 "ForAllValues:StringEquals": {"aws:TagKeys": list(LATE_TAG_KEYS)}}),
            self.statement(
                "AllowScopedDeletion", ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                [self.ec2("instance"), self.ec2("launch-template")],
                {"StringEquals": self.owned("ResourceTag"), **nodepool_tagged}),
        ]

    def iam_integration(self, node_role_arn: str) -> list[dict[str, Any]]:
        region_tag = f"aws:ResourceTag/{REGION_TAG}"
        requested = {**self.requested_for_cluster(), f"aws:RequestTag/{REGION_TAG}": self.region}
        existing = {**self.owned("ResourceTag"), region_tag: self.region}
        nodeclass_tagged = {f"aws:ResourceTag/{NODECLASS_TAG}": "*"}
        nodeclass_requested = {f"aws:RequestTag/{NODECLASS_TAG}": "*"}
        return [
            self.statement(
                "AllowPassingInstanceRole", "iam:PassRole", node_role_arn,
                {"StringEquals": {"iam:PassedToService": list(EC2_SERVICES)}}),
            self.statement(
                "AllowScopedInstanceProfileCreationActions", ["iam:CreateInstanceProfile"],
                self.instance_profiles(),
                {"StringEquals": requested, "StringLike": nodeclass_requested}),
            self.statement(
                "AllowScopedInstanceProfileTagActions", ["iam:TagInstanceProfile"],
                self.instance_profiles(),
                {"StringEquals": {**existing, **requested},
                 "StringLike": {**nodeclass_tagged, **nodeclass_requested}}),
            self.statement(
                "AllowScopedInstanceProfileActions",
                ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
                 "iam:DeleteInstanceProfile"],
                self.instance_profiles(),
                {"StringEquals": existing, "StringLike": nodeclass_tagged}),
        ]

    def resource_discovery(self) -> list[dict[str, Any]]:
        reads = ["ec2:DescribeCapacityReservations", "ec2:DescribeImages",
                 "ec2:DescribeInstances", "ec2:DescribeInstanceStatus",
                 "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes",
                 "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups",
                 "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory",
                 "ec2:DescribeSubnets"]
        return [
            self.statement("AllowRegionalReadActions", reads, "*",
                           {"StringEquals": {"aws:RequestedRegion": self.region}}),
            self.statement("AllowSSMReadActions", "ssm:GetParameter",
                           f"arn:{self.partition}:ssm:{self.region}::parameter/aws/service/*"),
            self.statement("AllowPricingReadActions", "pricing:GetProducts", "*"),
            self.statement("AllowUnscopedInstanceProfileListAction",
                           "iam:ListInstanceProfiles", "*"),
            self.statement("AllowInstanceProfileReadActions", "iam:GetInstanceProfile",
                           self.instance_profiles()),
        ]


def node_volume_key_policy(key_arn: str, region: str, account_id: str) -> str:
    """Use of the cluster's node-volume key, for a controller that launches instances itself
    (the managed groups launch through EC2 Auto Scaling, which the key policy names): the same
    actions the key grants its users, only through EC2 in this Region and account, and grants
    only for AWS resources (EC2 Auto Scaling user guide, "Required AWS KMS key policy for use
    with encrypted volumes"; the key policy lets the account's IAM policies apply)."""
    through = {"kms:ViaService": via_service("ec2", region), "kms:CallerAccount": account_id}
    return _document([
        _Scope.statement("AllowNodeVolumeKeyUseThroughEC2", list(USE_ACTIONS), key_arn,
                         {"StringEquals": through}),
        _Scope.statement("AllowNodeVolumeKeyGrantsForEC2", list(GRANT_ACTIONS), key_arn,
                         {"StringEquals": through,
                          "Bool": {"kms:GrantIsForAWSResource": "true"}}),
    ])
